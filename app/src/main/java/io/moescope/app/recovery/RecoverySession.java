package io.moescope.app.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceFiles;
import io.moescope.base.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This window's recovery folder, {@code <data>/recovery/session-<time>-<pid>/}: one {@code run-N.jsonl} trace per
 * generation (written and flushed token by token by {@link io.moescope.app.session.EngineService}) with a small
 * {@code run-N.json} beside it (the run's name and start time), and a {@code lock} file that this process holds
 * locked for as long as it lives. A normal close deletes the folder; a crash or {@code kill -9} leaves it, and the
 * operating system drops the lock with the process, which is how the next start tells a dead session's folder from
 * a window still open ({@link #orphans()}).
 */
public final class RecoverySession implements TraceFiles, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicInteger runs = new AtomicInteger();

    private RecoverySession(Path root, Path dir, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Starts this process's session under {@code dataDirectory}/recovery (created, owner-only where it can be). */
    public static RecoverySession open(Path dataDirectory) throws IOException {
        Path root = dataDirectory.resolve("recovery").toAbsolutePath().normalize();
        Files.createDirectories(root);
        String name = "session-" + STAMP.format(Instant.now()) + "-"
                + ProcessHandle.current().pid();
        Path dir = root.resolve(name);
        for (int n = 2; Files.exists(dir); n++) {
            dir = root.resolve(name + "-" + n);
        }
        Files.createDirectory(dir);
        ownerOnly(dir);
        FileChannel channel =
                FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException(dir + ": cannot lock the new recovery folder");
        }
        return new RecoverySession(root, dir, channel, lock);
    }

    /** This session's folder. */
    public Path directory() {
        return dir;
    }

    @Override
    public Path create(Run run) throws IOException {
        int n = runs.incrementAndGet();
        Path trace = dir.resolve("run-" + n + ".jsonl");
        writeMeta(trace, run.label(), run.prompt(), Instant.now());
        return Files.createFile(trace);
    }

    @Override
    public void release(Path file) {
        if (file != null && dir.equals(file.toAbsolutePath().normalize().getParent())) {
            delete(file);
        }
    }

    /**
     * The runs that dead sessions left, newest first, each with at least one position to restore. Folders of dead
     * sessions with nothing worth restoring are deleted on the way; folders of live windows are not touched.
     */
    public List<RecoveredRun> orphans() throws IOException {
        List<RecoveredRun> found = new ArrayList<>();
        try (DirectoryStream<Path> sessions = Files.newDirectoryStream(root, "session-*")) {
            for (Path session : sessions) {
                if (session.equals(dir) || !Files.isDirectory(session) || alive(session)) {
                    continue;
                }
                List<RecoveredRun> left = runsIn(session);
                if (left.isEmpty()) {
                    AtomicFiles.deleteTree(session);
                }
                found.addAll(left);
            }
        }
        found.sort(Comparator.comparing(RecoveredRun::started).reversed());
        return found;
    }

    /**
     * Takes a dead session's run into this session: its sound part becomes a new recovery file here (so it is safe
     * from the next crash too), and the old file goes. Returns the new file.
     */
    public Path adopt(RecoveredRun orphan) throws IOException {
        Path trace = dir.resolve("run-" + runs.incrementAndGet() + ".jsonl");
        writeMeta(trace, orphan.restoredLabel(), orphan.prompt(), Instant.now());
        AtomicFiles.write(trace, out -> orphan.salvage().copy(orphan.trace(), out));
        discard(orphan);
        return trace;
    }

    /** Deletes a dead session's run, and its folder once no run is left in it. */
    public void discard(RecoveredRun orphan) throws IOException {
        Path session = orphan.trace().getParent();
        if (session.equals(dir) || alive(session)) {
            return;
        }
        delete(orphan.trace());
        try (DirectoryStream<Path> left = Files.newDirectoryStream(session, "run-*.jsonl")) {
            if (!left.iterator().hasNext()) {
                AtomicFiles.deleteTree(session);
            }
        }
    }

    /** A normal close: the session's folder and everything in it go. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("moescope: cannot remove the recovery folder " + dir + ": " + e.getMessage());
        }
    }

    /** Whether a process (this one included) holds the session's lock. */
    private static boolean alive(Path session) {
        Path lockFile = session.resolve("lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        } catch (IOException e) {
            return true; // cannot tell: leave it alone
        }
    }

    private static List<RecoveredRun> runsIn(Path session) throws IOException {
        List<RecoveredRun> out = new ArrayList<>();
        try (DirectoryStream<Path> traces = Files.newDirectoryStream(session, "run-*.jsonl")) {
            for (Path trace : traces) {
                Salvage salvage = Salvage.scan(trace);
                if (salvage.isEmpty()) {
                    delete(trace);
                    continue;
                }
                JsonNode meta = readMeta(trace);
                String label = meta.path("label").asText(trace.getFileName().toString());
                Instant started;
                try {
                    started = Instant.parse(meta.path("started").asText(""));
                } catch (java.time.format.DateTimeParseException e) {
                    started = Files.getLastModifiedTime(trace).toInstant();
                }
                String prompt =
                        meta.path("prompt").isTextual() ? meta.get("prompt").asText() : salvage.prompt();
                out.add(new RecoveredRun(trace, label, prompt, started, salvage));
            }
        }
        return out;
    }

    private static Path metaOf(Path trace) {
        String name = trace.getFileName().toString();
        return trace.resolveSibling(name.substring(0, name.length() - ".jsonl".length()) + ".json");
    }

    private static void writeMeta(Path trace, String label, String prompt, Instant started) throws IOException {
        var meta = JSON.createObjectNode().put("label", label).put("started", started.toString());
        if (prompt != null) {
            meta.put("prompt", prompt);
        }
        byte[] bytes = JSON.writeValueAsBytes(meta);
        AtomicFiles.write(metaOf(trace), out -> out.write(bytes));
    }

    /** The run's metadata, or an empty object when it is missing or unreadable (the trace is what matters). */
    private static JsonNode readMeta(Path trace) {
        try {
            String text = Files.readString(metaOf(trace), StandardCharsets.UTF_8);
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void delete(Path trace) {
        try {
            Files.deleteIfExists(trace);
            Files.deleteIfExists(metaOf(trace));
        } catch (IOException e) {
            // the next start's scan retries
        }
    }

    private static void ownerOnly(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stay
        }
    }
}
