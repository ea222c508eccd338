package io.moescope.base;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Files and directories that appear whole or not at all. The content is written under a hidden temporary sibling
 * (same directory, so the rename cannot cross file systems), forced to disk, then renamed over the target in one
 * atomic step; if anything fails the temporary is deleted and an existing target is left as it was.
 *
 * <p>Temporaries are created with the default permissions (the umask), not owner-only, so the result is an ordinary
 * file or directory.
 */
public final class AtomicFiles {

    /** Writes a file's bytes; may throw one checked exception type of its own besides IOException. */
    @FunctionalInterface
    public interface Body<E extends Exception> {
        void write(OutputStream out) throws IOException, E;
    }

    /** Fills a (new, empty) directory. */
    @FunctionalInterface
    public interface DirectoryBody<E extends Exception> {
        void write(Path dir) throws IOException, E;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code target} (replacing it if it exists) from what {@code body} writes to the stream. The target's
     * folder must exist.
     */
    public static <E extends Exception> void write(Path target, Body<E> body) throws IOException, E {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new FileSystemException(target.toString(), null, dir + " is a file, not a folder");
            }
            throw new NoSuchFileException(target.toString(), null, "the folder " + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(target.toString(), null, "is a folder, not a file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            writeInPlace(file, target, body); // a device or pipe (/dev/stdout, /dev/full): it cannot be renamed over
            return;
        }
        Path tmp = null;
        try {
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                tmp = temporarySibling(file, ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 8) {
                        throw e;
                    }
                } catch (AccessDeniedException e) {
                    tmp = null;
                    throw new AccessDeniedException(file.toString(), null, "no permission to write in " + dir);
                }
            }
            try (FileChannel channel = ch;
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                body.write(new KeepOpen(
                        out, target)); // a body may close its stream (Jackson does): the sync needs it open
                try {
                    out.flush();
                    channel.force(true);
                } catch (IOException e) {
                    throw KeepOpen.naming(target, e);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            forceDirectory(dir);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * As {@link #write}, after creating the target's missing folders (the charts' exports, whose folder may be new).
     */
    public static <E extends Exception> void writeCreatingFolders(Path target, Body<E> body) throws IOException, E {
        Files.createDirectories(target.toAbsolutePath().getParent());
        write(target, body);
    }

    /**
     * Writes the directory {@code target}: {@code body} fills an empty temporary sibling, every file in it is forced
     * to disk, and the sibling is renamed to {@code target}. An existing {@code target} is replaced only once the
     * new one is complete (it is renamed aside first, then deleted); callers decide beforehand whether replacing is
     * allowed. Missing parent folders are created.
     */
    public static <E extends Exception> void writeDirectory(Path target, DirectoryBody<E> body) throws IOException, E {
        Path dir = target.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        Path tmp = createDirectorySibling(dir, ".tmp");
        try {
            body.write(tmp);
            forceTree(tmp);
            if (Files.exists(dir)) {
                Path old = createDirectorySibling(dir, ".old");
                Files.delete(old); // only its unused name is wanted
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
                forceDirectory(parent);
                deleteTree(old);
            } else {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
                forceDirectory(parent);
            }
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Deletes a file or a directory with everything in it; nothing happens if it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Writes straight into an existing file that is not a regular file; a failure names the target. */
    private static <E extends Exception> void writeInPlace(Path file, Path target, Body<E> body) throws IOException, E {
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 1 << 16)) {
            body.write(new KeepOpen(out, target));
            try {
                out.flush();
            } catch (IOException e) {
                throw KeepOpen.naming(target, e);
            }
        }
    }

    /**
     * Passes writes through; close only flushes. A failed write (a full disk: "No space left on device") is rethrown
     * naming the target, so the one-line error says which file could not be written.
     */
    private static final class KeepOpen extends FilterOutputStream {
        private final Path target;

        KeepOpen(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        static IOException naming(Path target, IOException e) {
            if (e instanceof FileSystemException f && f.getFile() != null) {
                return e;
            }
            FileSystemException named =
                    new FileSystemException(target.toString(), null, "cannot write: " + e.getMessage());
            named.initCause(e);
            return named;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** ".name.<random><suffix>" beside the target. */
    private static Path temporarySibling(Path target, String suffix) {
        long n = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        return target.resolveSibling("." + target.getFileName() + "." + Long.toString(n, 36) + suffix);
    }

    private static Path createDirectorySibling(Path target, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = temporarySibling(target, suffix);
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    forceDirectory(p);
                }
            }
        }
    }

    /** Makes a rename inside {@code dir} durable where the platform allows it (Linux, macOS; not Windows). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // directories cannot be opened for syncing here: the rename is still atomic, only not yet durable
        }
    }
}
