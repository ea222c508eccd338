package io.moescope.model.recording.pickle;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@code torch.save} file (zip container, serving-traces.md §5.2) or a bare pickle (§5.1) into plain Java
 * values without running anything from it. The archive stays open while the returned tensors are read, so use
 * try-with-resources: storages are read from the zip on demand (never extracted to disk, entry names never used
 * as paths).
 */
public final class TorchFile implements AutoCloseable {

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    private final Path file;
    private final ZipFile zip;
    private final Object root;

    private TorchFile(Path file, ZipFile zip, Object root) {
        this.file = file;
        this.zip = zip;
        this.root = root;
    }

    /** The unpickled top-level value. */
    public Object root() {
        return root;
    }

    public Path file() {
        return file;
    }

    /** True if the file starts like a zip archive ("PK\3\4"). */
    public static boolean isZip(Path file) throws IOException {
        return startsWith(file, new byte[] {0x50, 0x4B, 0x03, 0x04});
    }

    /** True if the file starts like a pickle of protocol 2 or later. */
    public static boolean isPickle(Path file) throws IOException {
        byte[] head = head(file, 2);
        return head.length == 2 && (head[0] & 0xFF) == 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    /** Opens a torch zip archive or a bare pickle and unpickles its data.pkl. */
    public static TorchFile open(Path file, PickleLimits limits) throws ModelLoadException {
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                throw ModelLoadException.at(
                        file, "file of " + size + " bytes exceeds the limit of " + limits.maxFileBytes());
            }
            if (isPickle(file)) {
                if (size > limits.maxPickleBytes()) {
                    throw ModelLoadException.at(file, "pickle of " + size + " bytes exceeds the limit");
                }
                Object root = Unpickler.load(Files.readAllBytes(file), limits, null);
                if (LEGACY_MAGIC.equals(root)) {
                    throw ModelLoadException.at(
                            file, "legacy torch format (before torch 1.6); re-save it with a recent " + "torch.save");
                }
                return new TorchFile(file, null, root);
            }
            if (!isZip(file)) {
                throw ModelLoadException.at(file, "neither a torch.save zip archive nor a pickle");
            }
            ZipFile zip = openZip(file);
            try {
                Object root = new Archive(file, zip, limits).unpickle();
                return new TorchFile(file, zip, root);
            } catch (ModelLoadException | RuntimeException e) {
                zip.close();
                throw e;
            }
        } catch (PickleException e) {
            throw ModelLoadException.at(file, e.getMessage());
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
    }

    static ZipFile openZip(Path file) throws ModelLoadException {
        try {
            return new ZipFile(file.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw ModelLoadException.at(file, "not a readable zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /**
     * The archive's entries in directory order, at most {@code max} (more is an error: {@code tooMany} says what).
     * A name that is not valid UTF-8 is refused here: the JDK reports it as an unchecked IllegalArgumentException.
     */
    static List<ZipEntry> listEntries(Path file, ZipFile zip, int max, String tooMany) throws ModelLoadException {
        List<ZipEntry> out = new ArrayList<>();
        try {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                if (out.size() >= max) {
                    throw ModelLoadException.at(file, tooMany);
                }
                out.add(all.nextElement());
            }
        } catch (IllegalArgumentException e) {
            throw ModelLoadException.at(file, "a zip entry name is not valid UTF-8 (after " + out.size() + " entries)");
        }
        return out;
    }

    /** Reads one entry, refusing methods other than STORED/DEFLATED and more than max bytes once inflated. */
    static byte[] readEntry(ZipFile zip, ZipEntry e, long max) throws PickleException {
        if (e.getMethod() != ZipEntry.STORED && e.getMethod() != ZipEntry.DEFLATED) {
            throw new PickleException("zip entry " + e.getName() + " uses compression method " + e.getMethod());
        }
        long declared = e.getSize();
        if (declared > max || declared > Integer.MAX_VALUE - 16) {
            throw new PickleException("zip entry " + e.getName() + " of " + declared + " bytes exceeds the limit");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 16) + 1);
            if (b.length > max) {
                throw new PickleException("zip entry " + e.getName() + " inflates beyond " + max + " bytes");
            }
            if (declared >= 0 && b.length != declared) {
                throw new PickleException(
                        "zip entry " + e.getName() + " has " + b.length + " bytes, the directory says " + declared);
            }
            return b;
        } catch (IOException x) {
            throw new PickleException("zip entry " + e.getName() + " is unreadable (" + x.getMessage() + ")");
        }
    }

    private static boolean startsWith(Path file, byte[] magic) throws IOException {
        byte[] head = head(file, magic.length);
        return java.util.Arrays.equals(head, magic);
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }

    /** The torch.save zip layout: {prefix}/data.pkl, {prefix}/data/{key}, {prefix}/byteorder. */
    private static final class Archive {
        private final Path file;
        private final ZipFile zip;
        private final PickleLimits limits;
        private final Map<String, ZipEntry> entries = new HashMap<>();
        private final Map<String, Storage> storages = new HashMap<>();
        private final Set<String> counted = new HashSet<>();
        private long storageBytes;
        private String prefix;
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        Archive(Path file, ZipFile zip, PickleLimits limits) {
            this.file = file;
            this.zip = zip;
            this.limits = limits;
        }

        Object unpickle() throws ModelLoadException, PickleException {
            List<String> pickles = new ArrayList<>();
            for (ZipEntry e : listEntries(
                    file, zip, limits.maxEntries(), "zip archive with more than " + limits.maxEntries() + " entries")) {
                entries.put(e.getName(), e);
                String n = e.getName();
                int slash = n.indexOf('/');
                if (slash > 0 && n.substring(slash).equals("/data.pkl")) {
                    pickles.add(n.substring(0, slash));
                }
            }
            if (pickles.isEmpty()) {
                boolean npz = entries.keySet().stream().anyMatch(n -> n.endsWith(".npy"));
                throw ModelLoadException.at(
                        file,
                        npz
                                ? "a numpy .npz archive, not a torch file (read it as .npz)"
                                : "a zip archive without {prefix}/data.pkl: not a torch.save file");
            }
            if (pickles.size() > 1) {
                throw ModelLoadException.at(file, "zip archive with " + pickles.size() + " data.pkl entries");
            }
            prefix = pickles.get(0);
            if (entries.containsKey(prefix + "/constants.pkl")
                    || entries.keySet().stream().anyMatch(n -> n.startsWith(prefix + "/code/"))) {
                throw ModelLoadException.at(
                        file, "a TorchScript archive (torch.jit.save), not a torch.save file of data");
            }
            ZipEntry bo = entries.get(prefix + "/byteorder");
            if (bo != null) {
                String s = new String(readEntry(zip, bo, 16), StandardCharsets.US_ASCII).trim();
                if (s.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!s.equals("little")) {
                    throw ModelLoadException.at(file, "byteorder entry says '" + s + "'");
                }
            }
            byte[] pkl = readEntry(zip, entries.get(prefix + "/data.pkl"), limits.maxPickleBytes());
            return Unpickler.load(pkl, limits, this::storage);
        }

        /** BINPERSID: ("storage", class, key, location, numel), cached by key. */
        private Object storage(Object pid) throws PickleException {
            if (!(pid instanceof PyTuple t)
                    || t.size() != 5
                    || !"storage".equals(t.get(0))
                    || !(t.get(1) instanceof Whitelist.StorageClass cls)
                    || !(t.get(2) instanceof String key)
                    || !(t.get(4) instanceof Long numel)) {
                throw new PickleException("persistent id " + describe(pid) + " is not a torch storage reference");
            }
            Storage cached = storages.get(key);
            if (cached != null) {
                return cached;
            }
            ZipEntry e = entries.get(prefix + "/data/" + key);
            if (e == null) {
                throw new PickleException(
                        "storage " + key + " is missing from the archive (no " + prefix + "/data/" + key + ")");
            }
            long bytes;
            try {
                bytes = cls.type() == null ? numel : Math.multiplyExact(numel, (long) cls.type().size);
            } catch (ArithmeticException x) {
                throw new PickleException("storage " + key + " of " + numel + " elements overflows");
            }
            if (numel < 0 || e.getSize() != bytes) {
                throw new PickleException("storage " + key + " declares " + numel
                        + (cls.type() == null ? " bytes" : " " + cls.type().torchName + " elements")
                        + " but its entry has " + e.getSize() + " bytes");
            }
            if (counted.add(key)) {
                storageBytes += bytes;
                if (storageBytes > limits.maxStorageBytes()) {
                    throw new PickleException("storages exceed " + limits.maxStorageBytes() + " bytes in total");
                }
            }
            Storage s = new Storage(key, cls.type(), bytes, order, () -> readEntry(zip, e, bytes));
            storages.put(key, s);
            return s;
        }

        private static String describe(Object pid) {
            String s = String.valueOf(pid);
            return s.length() > 80 ? s.substring(0, 80) + "…" : s;
        }
    }
}
