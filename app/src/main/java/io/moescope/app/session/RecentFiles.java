package io.moescope.app.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * Recently opened models and traces, newest first, kept in {@link Preferences} (one string per entry,
 * {@code model:PATH} or {@code trace:PATH}). Pass a throw-away node in tests.
 */
public final class RecentFiles {

    /** One remembered file. */
    public record Entry(boolean model, Path path) {
        String encode() {
            return (model ? "model:" : "trace:") + path;
        }

        static Entry decode(String s) {
            if (s.startsWith("model:")) {
                return new Entry(true, Path.of(s.substring(6)));
            }
            return s.startsWith("trace:") ? new Entry(false, Path.of(s.substring(6))) : null;
        }

        public String display() {
            return (model ? "Model  " : "Trace  ") + path;
        }
    }

    static final int MAX = 8;
    private final Preferences node;

    public RecentFiles(Preferences node) {
        this.node = node;
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String s = node.get("recent." + i, null);
            Entry e = s == null ? null : Entry.decode(s);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public void add(boolean model, Path path) {
        Entry entry = new Entry(model, path.toAbsolutePath().normalize());
        List<Entry> list = new ArrayList<>(entries());
        list.remove(entry);
        list.add(0, entry);
        for (int i = 0; i < MAX; i++) {
            if (i < list.size()) {
                node.put("recent." + i, list.get(i).encode());
            } else {
                node.remove("recent." + i);
            }
        }
        if (model) {
            node.put("lastModel", entry.path().toString());
        }
    }

    /** The model opened last, or null. */
    public Path lastModel() {
        String s = node.get("lastModel", null);
        return s == null ? null : Path.of(s);
    }
}
