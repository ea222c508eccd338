package io.moescope.app.recording;

import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.ImportProgress;
import io.moescope.model.recording.LoadWindows;
import io.moescope.model.recording.RecordingImporter;
import io.moescope.model.recording.RecordingShape;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.trace.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * File → Import recording…: a serving-engine recording (any format {@link RecordingImporter} reads) as a run the
 * window shows like a replayed trace. Its sequences are joined into one ({@link OneSequence}, a joined store), so
 * the load views and the live diagnosis count all of it while the store keeps only its bounded window of positions
 * and the diagnosis one sequence's chunk state. Token ids become
 * text when a tokenizer.json sits beside the config.json; recordings carry no router scores.
 */
public final class RecordingRun {

    /** What the window opens: the run, the model shape it was recorded with, and what the importer read. */
    public record Imported(Run run, ModelShape shape, RecordingImporter.Summary summary, LoadWindows windows) {}

    private RecordingRun() {}

    /**
     * Imports the files (on the caller's thread) recorded with the model of {@code config} (null: the shape an Atlas
     * recording carries); a cancelled import throws CancellationException.
     */
    public static Imported read(List<Path> files, Path config, ImportProgress progress) throws ModelLoadException {
        Objects.requireNonNull(progress, "progress");
        ModelShape shape = RecordingShape.read(config, files);
        TraceStore store = new TraceStore().joinSequences();
        HfTokenizer tok = tokenizerBeside(config);
        try {
            if (tok != null) {
                store.tokenPieces(tok::display);
            }
            Run run = new Run(label(files), store, null);
            OneSequence joined = new OneSequence(run.sink());
            LoadWindows windows = LoadWindowsViewModel.collector(); // before joining: a window is a sequence
            RecordingImporter.Summary summary = new RecordingImporter(shape, PickleLimits.DEFAULT)
                    .run(files, io.moescope.model.trace.TraceSink.fanOut(List.of(joined, windows)), progress);
            return new Imported(run, shape, summary, windows);
        } finally {
            // the store asks for pieces only while positions arrive: a finished (or failed) import needs it no more
            if (tok != null) {
                store.tokenPieces(null);
                tok.close();
            }
        }
    }

    /** "a.pt" or "a.pt + 3 more". */
    public static String label(List<Path> files) {
        String first = files.get(0).getFileName().toString();
        return files.size() == 1 ? first : first + " + " + (files.size() - 1) + " more";
    }

    private static HfTokenizer tokenizerBeside(Path config) throws ModelLoadException {
        if (config == null) {
            return null;
        }
        Path dir = Files.isDirectory(config) ? config : config.toAbsolutePath().getParent();
        return dir != null && Files.isRegularFile(dir.resolve("tokenizer.json")) ? HfTokenizer.load(dir) : null;
    }
}
