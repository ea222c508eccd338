package io.moescope.testkit;

import java.io.IOException;
import java.net.SocketPermission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, and records, every attempt of this JVM to open an inet socket or resolve a host name other than the local
 * machine's: MoE Scope promises never to touch the network, and the test suite holds it to that promise.
 *
 * <p>Installed as the JVM's security manager for the whole test run by {@link NoNetworkSession} (the only way in Java
 * 17 to see connects made through every API — {@code java.net.Socket}, NIO channels, datagrams, URL connections —
 * including those a library makes on a background thread and swallows the failure of). It permits everything else
 * and does no stack walk, so it costs next to nothing. Attempts are kept until {@link #takeAttempts()} collects them;
 * {@link NoNetworkExtension} fails the test during which they happened.
 */
@SuppressWarnings("removal") // SecurityManager: deprecated for removal after 17; the build targets 17 (see javadoc).
public final class NetworkGuard extends SecurityManager {

    private static final List<String> ATTEMPTS = new ArrayList<>();
    private static volatile String localName;

    @Override
    public void checkPermission(Permission perm) {
        if (perm instanceof SocketPermission && !allowed((SocketPermission) perm)) {
            String attempt = perm.getActions() + " " + perm.getName() + " on thread '"
                    + Thread.currentThread().getName() + "'";
            synchronized (ATTEMPTS) {
                ATTEMPTS.add(attempt);
            }
            throw new SecurityException("MoE Scope tests may not use the network: " + attempt);
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }

    /** Name look-ups of the local machine are harmless (no packet leaves it); connects, listens and accepts are not. */
    private static boolean allowed(SocketPermission p) {
        if (!"resolve".equals(p.getActions())) {
            return false;
        }
        String host = p.getName();
        int colon = host.lastIndexOf(':');
        String name = colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
        return name.equals("localhost")
                || name.equals("127.0.0.1")
                || name.equals("[::1]")
                || name.equals("::1")
                || name.equals(localHostName());
    }

    /** This machine's own name (read from the kernel: no look-up), which libraries resolve to find themselves. */
    private static String localHostName() {
        String name = localName;
        if (name == null) {
            try {
                name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                name = String.valueOf(System.getenv("HOSTNAME"));
            }
            localName = name;
        }
        return name;
    }

    /** Attempts recorded since the last call, and forgets them. */
    public static List<String> takeAttempts() {
        synchronized (ATTEMPTS) {
            List<String> copy = List.copyOf(ATTEMPTS);
            ATTEMPTS.clear();
            return copy;
        }
    }

    /** Installs the guard unless it is already the JVM's security manager. */
    static synchronized void install() {
        if (!(System.getSecurityManager() instanceof NetworkGuard)) {
            System.setSecurityManager(new NetworkGuard());
        }
    }
}
