package io.moescope.app.session;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.LoadProgress;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import io.moescope.model.trace.TraceSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Owns the one background thread, {@code moe-inference}, on which models are loaded, generations run and
 * traces are replayed, one job at a time. Callers get futures and never block on the engine. Each generation
 * also records its full JSONL trace to a temporary file (for export), next to the bounded in-memory store.
 */
public final class EngineService implements AutoCloseable {

    private final ExecutorService inference = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "moe-inference");
        thread.setDaemon(true);
        return thread;
    });
    /** Jobs are numbered as they are submitted; {@link #cancel()} stops every job numbered up to the newest. */
    private final java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();

    private final java.util.concurrent.atomic.AtomicLong cancelledUpTo = new java.util.concurrent.atomic.AtomicLong();
    private final TraceFiles files;

    /** A service whose generations record their traces in temporary files. */
    public EngineService() {
        this(TraceFiles.temporary());
    }

    /** A service whose generations record their traces where {@code files} says (the window: recovery files). */
    public EngineService(TraceFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    /**
     * Asks the running job to stop after the current token (or tensor, while loading), and every job submitted before
     * this call that has not started yet not to run on. A Cancel pressed while the job it is meant for still waits
     * behind another one is not lost (the job would otherwise start unaware of it); jobs submitted later run.
     */
    public void cancel() {
        cancelledUpTo.set(submitted.get());
    }

    public CompletableFuture<MoeModel> load(Path dir, LoadProgress progress) {
        return submit(cancelled -> MoeModel.open(dir, 0, progress, cancelled));
    }

    /**
     * Runs the run's request on the model; the run's sink (store and token bookkeeping) receives everything. The
     * trace goes to the run's file first and is flushed at every token, before the window hears of it: what the user
     * has seen is in the file, and a process killed mid-run loses at most the token being computed. One write call
     * per token, whatever the model's size.
     */
    public CompletableFuture<GenerationResult> generate(MoeModel model, Run run) {
        return submit(cancelled -> {
            Path file = files.create(run);
            run.setTraceFile(file);
            run.started();
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                    JsonlTraceWriter writer = new JsonlTraceWriter(out, false)) {
                TraceSink recording = new TraceSink() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public void accept(TraceEvent event) {
                        writer.accept(event);
                        if (event instanceof TokenEmitted) {
                            writer.flush();
                        }
                    }
                };
                TraceSink sink = TraceSink.fanOut(List.of(recording, run.sink()));
                GenerationResult result =
                        new Generator(model).generate(run.request(), sink, TokenListener.NONE, cancelled);
                run.finished(result.decodeTokensPerSecond());
                return result;
            }
        });
    }

    /**
     * The run is done with its working trace file: after whatever runs now (a generation still writing to it), the
     * file goes if {@link TraceFiles} made it. A replayed user file is never deleted.
     */
    public void release(Run run) {
        inference.execute(() -> files.release(run.traceFile()));
    }

    /**
     * The run's finished trace was saved to {@code target}: that copy becomes its trace file (a later save copies
     * it), and the working file goes.
     */
    public void saved(Run run, Path target) {
        inference.execute(() -> {
            Path old = run.traceFile();
            run.setTraceFile(target);
            if (old != null && !old.equals(target)) {
                files.release(old);
            }
        });
    }

    /** Replays a JSONL trace into the run's store (as fast as the file reads). */
    public CompletableFuture<Run> replay(Path file, Run run) {
        return submit(cancelled -> {
            run.setTraceFile(file);
            JsonlTraceReader.read(file, run.sink()::accept);
            return run;
        });
    }

    /** A job that stops early when {@code cancelled} turns true. */
    public interface CancellableJob<T> {
        T run(java.util.function.BooleanSupplier cancelled) throws Exception;
    }

    /** Runs any job on the inference thread, after whatever runs now; {@link #cancel()} stops it. */
    public <T> CompletableFuture<T> background(CancellableJob<T> job) {
        return submit(job::run);
    }

    /** Closes a model on the inference thread, after whatever runs now. */
    public void dispose(MoeModel model) {
        if (model != null) {
            inference.execute(model::close);
        }
    }

    private interface Job<T> {
        T run(java.util.function.BooleanSupplier cancelled) throws Exception;
    }

    private <T> CompletableFuture<T> submit(Job<T> job) {
        long id = submitted.incrementAndGet();
        java.util.function.BooleanSupplier cancelled = () -> id <= cancelledUpTo.get();
        CompletableFuture<T> result = new CompletableFuture<>();
        inference.execute(() -> {
            try {
                result.complete(job.run(cancelled));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** The message a user should see for a failure: the engine's own words, never a stack trace. */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException
                        || t instanceof java.util.concurrent.ExecutionException
                        || t instanceof java.io.UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ModelLoadException
                || t instanceof IllegalArgumentException
                || t instanceof io.moescope.model.trace.TraceFormatException) {
            return t.getMessage();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return t.getMessage() + ": no such file";
        }
        if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            String reason = f.getReason() != null
                    ? f.getReason()
                    : t instanceof java.nio.file.AccessDeniedException
                            ? "permission denied"
                            : t instanceof java.nio.file.FileAlreadyExistsException
                                    ? "already exists"
                                    : "cannot read or write this file";
            return f.getFile() + ": " + reason;
        }
        if (t instanceof IOException) {
            String message = String.valueOf(t.getMessage());
            return namesFile(message) ? message : "cannot read or write a file: " + message;
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory; try a smaller model or raise MOESCOPE_HEAP";
        }
        return "unexpected failure: " + t;
    }

    /** Whether a message starts with "/absolute/path: ", the way messages that name their file do. */
    private static boolean namesFile(String message) {
        int colon = message.indexOf(": ");
        return colon > 1 && message.startsWith("/") && message.lastIndexOf('\n', colon) < 0;
    }

    @Override
    public void close() {
        cancel();
        inference.shutdownNow();
    }
}
