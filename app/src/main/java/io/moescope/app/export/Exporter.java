package io.moescope.app.export;

import io.moescope.app.session.Run;
import io.moescope.base.AtomicFiles;
import io.moescope.viz.export.PngExport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;

/** Writes views, traces and tables to files; every file is written atomically (temporary sibling + rename). */
public final class Exporter {

    private Exporter() {}

    /** A node as it looks now. FX thread. */
    public static void png(Node node, Path target) throws IOException {
        PngExport.write(node, target);
    }

    /** The run's full JSONL trace (recorded while generating, or the replayed file). */
    public static void trace(Run run, Path target) throws IOException {
        Path source = run == null ? null : run.traceFile();
        if (source == null || !Files.isRegularFile(source)) {
            throw new IOException("there is no trace to save yet: generate or open a trace first");
        }
        write(target, out -> Files.copy(source, out));
    }

    public static void text(String content, Path target) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    private static void write(Path target, AtomicFiles.Body<IOException> body) throws IOException {
        AtomicFiles.write(target, body);
    }
}
