package io.moescope.model.recording.pickle;

import io.moescope.model.io.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads numpy {@code .npy} arrays and {@code .npz} archives (serving-traces.md §5.10) as {@link Tensor}s. */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /** True if the bytes start with the NPY magic. */
    public static boolean isNpy(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }

    /** Reads a .npy file. */
    public static Tensor read(Path file, PickleLimits limits) throws ModelLoadException {
        try {
            long size = Files.size(file);
            if (size > limits.maxStorageBytes() || size > Integer.MAX_VALUE - 16) {
                throw ModelLoadException.at(file, ".npy file of " + size + " bytes exceeds the limit");
            }
            return parse(Files.readAllBytes(file), file.getFileName().toString(), limits);
        } catch (PickleException e) {
            throw ModelLoadException.at(file, e.getMessage());
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /** Reads every {@code name.npy} of a .npz archive, keyed by name without the extension. */
    public static Map<String, Tensor> readNpz(Path file, PickleLimits limits) throws ModelLoadException {
        try (ZipFile zip = TorchFile.openZip(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            long total = 0;
            for (ZipEntry e : TorchFile.listEntries(
                    file, zip, limits.maxEntries(), ".npz with more than " + limits.maxEntries() + " arrays")) {
                if (!e.getName().endsWith(".npy")) {
                    throw ModelLoadException.at(file, ".npz entry " + e.getName() + " is not a .npy array");
                }
                byte[] b = TorchFile.readEntry(zip, e, limits.maxStorageBytes() - total);
                total += b.length;
                String name = e.getName().substring(0, e.getName().length() - 4);
                out.put(name, parse(b, e.getName(), limits));
            }
            return out;
        } catch (PickleException e) {
            throw ModelLoadException.at(file, e.getMessage());
        } catch (IOException e) {
            throw ModelLoadException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /** Parses the bytes of one .npy array (header by a literal grammar, never evaluated). */
    public static Tensor parse(byte[] b, String name, PickleLimits limits) throws PickleException {
        if (!isNpy(b) || b.length < 10) {
            throw new PickleException(name + " is not a .npy array (no \\x93NUMPY magic)");
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = in.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new PickleException(name + ": truncated .npy header");
            }
            headerLen = in.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new PickleException(name + ": .npy format version " + major + " is not supported");
        }
        if (start + headerLen > b.length) {
            throw new PickleException(name + ": truncated .npy header (" + headerLen + " bytes declared, "
                    + (b.length - start) + " present)");
        }
        String header = new String(
                b, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (!(PyLiteral.parse(header.trim()) instanceof Map<?, ?> h)) {
            throw new PickleException(name + ": .npy header is not a dict");
        }
        if (!(h.get("descr") instanceof String descr)
                || !(h.get("fortran_order") instanceof Boolean fortran)
                || !(h.get("shape") instanceof PyTuple shapeTuple)) {
            throw new PickleException(name + ": .npy header needs descr (str), fortran_order (bool), shape (tuple)");
        }
        ElementType type = ElementType.ofNumpyCode(descr.replaceFirst("^[<>=|]", ""));
        if (type == null) {
            throw new PickleException(name + ": numpy dtype '" + descr + "' is not supported");
        }
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        List<Object> dims = shapeTuple.items();
        long[] shape = new long[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            if (!(dims.get(k) instanceof Long d) || d < 0) {
                throw new PickleException(name + ": bad .npy shape " + dims);
            }
            shape[k] = d;
        }
        long[] stride = new long[shape.length];
        long numel = 1;
        try {
            for (int n = 0; n < shape.length; n++) {
                int k = fortran ? n : shape.length - 1 - n;
                stride[k] = numel;
                numel = Math.multiplyExact(numel, shape[k]);
            }
            long bytes = Math.multiplyExact(numel, (long) type.size);
            long dataStart = start + headerLen;
            if (b.length - dataStart != bytes) {
                throw new PickleException(name + ": truncated or padded .npy data: shape " + Arrays.toString(shape)
                        + " of " + type.torchName + " needs " + bytes + " bytes, the file has "
                        + (b.length - dataStart));
            }
            byte[] data = Arrays.copyOfRange(b, (int) dataStart, b.length);
            Storage s = new Storage(name, type, bytes, order, () -> data);
            return Tensor.view(type, shape, stride, 0, s, limits);
        } catch (ArithmeticException e) {
            throw new PickleException(name + ": .npy shape " + Arrays.toString(shape) + " overflows");
        }
    }
}
