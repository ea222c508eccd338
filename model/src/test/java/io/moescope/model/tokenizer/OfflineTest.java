package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Building a tokenizer leaves DJL unable to call home; the test kit's guard fails any test that reaches the network. */
class OfflineTest {

    @Test
    void anyWayIntoDjlSwitchesItsTelemetryAndDownloadsOff() {
        DjlTokenizers.builder();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    }

    @Test
    void httpUrlsRefuseToConnectInsideMoeScope() throws Exception {
        Offline.enforce();
        URL metadata = new URL("http://169.254.169.254/latest/meta-data/instance-id");
        IOException e = assertThrows(IOException.class, metadata::openConnection);
        assertTrue(e.getMessage().contains("works offline"), e.getMessage());
        assertThrows(IOException.class, () -> new URL("https://example.org/").openConnection());
    }

    @Test
    void localUrlsStillOpen() throws Exception {
        Offline.enforce();
        URL here = OfflineTest.class.getResource("OfflineTest.class");
        try (var in = here.openStream()) {
            assertTrue(in.read() >= 0);
        }
    }
}
