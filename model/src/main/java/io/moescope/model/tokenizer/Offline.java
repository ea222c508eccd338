package io.moescope.model.tokenizer;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Locale;

/**
 * MoE Scope never opens a network connection. Two libraries we use would otherwise try: DJL (which runs the Hugging
 * Face tokenizers library for us) probes the cloud instance-metadata address and reports usage to its vendor the
 * first time a tokenizer is built, and downloads native libraries or hub files when it thinks it may.
 *
 * <p>{@link #enforce()} switches both off before any DJL class runs: DJL's own offline mode and tracking opt-out
 * (system properties, which DJL reads at call time), and a JVM-wide URL handler for {@code http}/{@code https} that
 * refuses to connect, so a library that ignores those switches (or an environment variable that re-enables them)
 * still cannot reach the network through {@link URL}. Every path into DJL goes through {@link DjlTokenizers}, which
 * calls it; the launcher calls it too, first thing. Idempotent and cheap.
 */
public final class Offline {

    private static volatile boolean enforced;

    private Offline() {}

    /** Turns off every call-home we know of; safe to call any number of times from any thread. */
    public static void enforce() {
        if (enforced) {
            return;
        }
        synchronized (Offline.class) {
            if (enforced) {
                return;
            }
            System.setProperty("ai.djl.offline", "true");
            System.setProperty("OPT_OUT_TRACKING", "true");
            try {
                URL.setURLStreamHandlerFactory(Offline::handlerFor);
            } catch (Error alreadySet) {
                // Another part of this JVM installed a factory first (not MoE Scope's code); DJL's switches still hold.
            }
            enforced = true;
        }
    }

    /** Null (the JDK's own handler) for every protocol but the two that reach a network through URL. */
    private static URLStreamHandler handlerFor(String protocol) {
        String p = protocol.toLowerCase(Locale.ROOT);
        return p.equals("http") || p.equals("https") || p.equals("ftp") ? new Refusing() : null;
    }

    /** A handler that never connects. */
    private static final class Refusing extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) throws IOException {
            throw new IOException("MoE Scope works offline and does not open " + url);
        }

        @Override
        protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
            return openConnection(url);
        }
    }
}
