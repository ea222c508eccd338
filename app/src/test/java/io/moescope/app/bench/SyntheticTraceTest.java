package io.moescope.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.diagnosis.DiagnosisMath;
import io.moescope.app.session.TraceStore;
import io.moescope.model.diagnosis.DiagnosisReport;
import org.junit.jupiter.api.Test;

/** The pulse benchmark's synthetic trace fills a trace store as a generation would, and is skewed. */
class SyntheticTraceTest {

    @Test
    void streamsRoutingForEveryLayerAndToken() throws Exception {
        SyntheticTrace trace = new SyntheticTrace(64, 16, 6);
        TraceStore store = new TraceStore();
        trace.stream(store, 200, 1e9);
        assertEquals(200, store.view().size());
        assertEquals(200, store.routing().tokens());
        DiagnosisReport r = DiagnosisMath.diagnose(store.routing(), "synthetic");
        assertEquals(200, r.tokens());
        assertEquals(16, r.layers().size());
        assertTrue(r.layers().get(0).load().maxMean() > 1.5, "popularity is skewed");
    }
}
