package io.moescope.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard itself: each way of reaching the network is refused and recorded (and then forgotten, so this passes). */
// The guard is a SecurityManager by design (the one JVM-wide hook Java 17 offers); its removal is a later JDK's
// concern.
@SuppressWarnings("removal")
class NetworkGuardTest {

    @Test
    void guardIsInstalledForTheWholeRun() {
        assertTrue(System.getSecurityManager() instanceof NetworkGuard);
    }

    @Test
    void plainSocketConnectIsRefusedAndRecorded() {
        assertThrows(SecurityException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("169.254.169.254", 80), 200);
            }
        });
        assertRecorded("connect", "169.254.169.254");
    }

    @Test
    void nioChannelConnectIsRefusedAndRecorded() {
        assertThrows(SecurityException.class, () -> {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.connect(new InetSocketAddress("127.0.0.1", 9));
            }
        });
        assertRecorded("connect", "127.0.0.1");
    }

    @Test
    void urlConnectionIsRefusedAndRecorded() {
        assertThrows(
                SecurityException.class,
                () -> new URL("http://169.254.169.254/latest/meta-data/")
                        .openConnection()
                        .getInputStream());
        assertRecorded("connect", "169.254.169.254");
    }

    @Test
    void listeningIsRefusedToo() {
        assertThrows(SecurityException.class, () -> new java.net.ServerSocket(0).close());
        assertRecorded("listen", "localhost");
    }

    private static void assertRecorded(String action, String host) {
        List<String> attempts = NetworkGuard.takeAttempts();
        assertTrue(attempts.stream().anyMatch(a -> a.contains(action) && a.contains(host)), attempts.toString());
    }
}
