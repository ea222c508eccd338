package io.moescope.model.recording.pickle;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The closed set of globals a recording may name. A GLOBAL resolves to a Java handler or a constant from this
 * class, never to code: anything else ({@code os.system}, {@code builtins.eval}, ...) is refused by name before
 * a single REDUCE runs.
 */
final class Whitelist {

    private Whitelist() {}

    /** A callable the pickle may REDUCE; each is implemented here in Java. */
    enum Callable {
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
        REBUILD_TENSOR_V3("torch._utils", "_rebuild_tensor_v3"),
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
        ORDERED_DICT("collections", "OrderedDict"),
        COUNTER("collections", "Counter"),
        DEFAULT_DICT("collections", "defaultdict"),
        CODECS_ENCODE("_codecs", "encode"),
        SET("builtins", "set"),
        FROZENSET("builtins", "frozenset"),
        TORCH_SIZE("torch", "Size"),
        NUMPY_SCALAR("numpy.core.multiarray", "scalar"),
        NUMPY2_SCALAR("numpy._core.multiarray", "scalar"),
        NUMPY_DTYPE("numpy", "dtype");

        final String module;
        final String name;

        Callable(String module, String name) {
            this.module = module;
            this.name = name;
        }
    }

    /** A legacy typed storage class ({@code torch.IntStorage}) or UntypedStorage (type null). */
    record StorageClass(ElementType type) {}

    /** A numpy dtype object; BUILD may set its byte order. */
    static final class NumpyDType {
        final ElementType type;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        NumpyDType(ElementType type) {
            this.type = type;
        }
    }

    /** The value of GLOBAL module.name, or a refusal naming it. */
    static Object resolve(String module, String name) throws PickleException {
        // protocol-2 pickles written by Python 3 name builtins by their Python 2 module (pickle's fix_imports)
        String m = module.equals("__builtin__") ? "builtins" : module;
        for (Callable c : Callable.values()) {
            if (c.module.equals(m) && c.name.equals(name)) {
                return c;
            }
        }
        if (module.equals("torch")) {
            ElementType t = ElementType.ofTorchName(name);
            if (t != null) {
                return t;
            }
            t = ElementType.ofStorageClass(name);
            if (t != null) {
                return new StorageClass(t);
            }
        }
        if (module.equals("torch.storage") && name.equals("UntypedStorage")) {
            return new StorageClass(null);
        }
        throw new PickleException("refused global " + module + "." + name
                + ": not on the whitelist of data-only callables (nothing was executed)");
    }

    /** Applies a whitelisted callable to its argument tuple (REDUCE). */
    static Object apply(Callable c, PyTuple args, PickleLimits limits) throws PickleException {
        switch (c) {
            case REBUILD_TENSOR_V2:
                return rebuild(args, null, limits);
            case REBUILD_TENSOR_V3:
                return rebuild(args, arg(args, 6, ElementType.class, c), limits);
            case REBUILD_PARAMETER:
                return arg(args, 0, Tensor.class, c);
            case ORDERED_DICT:
            case COUNTER: {
                Map<Object, Object> m = new LinkedHashMap<>();
                if (args.size() > 0) {
                    Object src = args.get(0);
                    if (src instanceof Map<?, ?> map) {
                        m.putAll(map);
                    } else if (src instanceof List<?> pairs) {
                        for (Object p : pairs) {
                            if (!(p instanceof PyTuple t) || t.size() != 2) {
                                throw new PickleException(c.name + " expects (key, value) pairs");
                            }
                            m.put(Unpickler.hashable(t.get(0)), t.get(1));
                        }
                    } else {
                        throw new PickleException(c.name + " of " + typeName(src));
                    }
                }
                return m;
            }
            case DEFAULT_DICT:
                return new LinkedHashMap<>();
            case CODECS_ENCODE: {
                String s = arg(args, 0, String.class, c);
                String enc = args.size() > 1 ? arg(args, 1, String.class, c) : "utf-8";
                if (!enc.equals("latin1") && !enc.equals("latin-1")) {
                    throw new PickleException("_codecs.encode with encoding '" + enc + "'");
                }
                return new PyBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            case SET:
            case FROZENSET:
                return new LinkedHashSet<>(items(args, c));
            case TORCH_SIZE:
                return new PyTuple(items(args, c));
            case NUMPY_DTYPE: {
                String code = arg(args, 0, String.class, c);
                ElementType t = ElementType.ofNumpyCode(code.replaceFirst("^[<>=|]", ""));
                if (t == null) {
                    throw new PickleException("numpy dtype '" + code + "' is not supported");
                }
                return new NumpyDType(t);
            }
            case NUMPY_SCALAR:
            case NUMPY2_SCALAR:
                return scalar(arg(args, 0, NumpyDType.class, c), arg(args, 1, PyBytes.class, c));
            default:
                throw new AssertionError(c);
        }
    }

    private static Object scalar(NumpyDType d, PyBytes raw) throws PickleException {
        if (raw.length() != d.type.size) {
            throw new PickleException("numpy scalar of " + d.type.torchName + " with " + raw.length() + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(raw.data()).order(d.order);
        Storage s = new Storage("scalar", d.type, raw.length(), d.order, raw::data);
        Tensor t;
        try {
            t = Tensor.view(d.type, new long[0], new long[0], 0, s, PickleLimits.DEFAULT);
        } catch (PickleException e) {
            throw new AssertionError(e);
        }
        if (d.type == ElementType.UINT64 && b.getLong(0) < 0) {
            return new BigInteger(Long.toUnsignedString(b.getLong(0)));
        }
        Tensor.Data data = t.read();
        return d.type.isIntegral() ? (Object) data.longAt() : (Object) data.doubleAt();
    }

    private static Tensor rebuild(PyTuple a, ElementType dtype, PickleLimits limits) throws PickleException {
        Callable c = dtype == null ? Callable.REBUILD_TENSOR_V2 : Callable.REBUILD_TENSOR_V3;
        Storage storage = arg(a, 0, Storage.class, c);
        long offset = arg(a, 1, Long.class, c);
        long[] size = longs(arg(a, 2, PyTuple.class, c), "size");
        long[] stride = longs(arg(a, 3, PyTuple.class, c), "stride");
        int metaAt = dtype == null ? 6 : 7;
        if (a.size() > metaAt && a.get(metaAt) instanceof Map<?, ?> meta && !meta.isEmpty()) {
            throw new PickleException(
                    "tensor with metadata " + meta.keySet() + " (conjugate/negative views are not " + "supported)");
        }
        ElementType type = dtype != null ? dtype : storage.type();
        if (type == null) {
            throw new PickleException("_rebuild_tensor_v2 on an untyped storage");
        }
        return Tensor.view(type, size, stride, offset, storage, limits);
    }

    private static long[] longs(PyTuple t, String what) throws PickleException {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v)) {
                throw new PickleException("tensor " + what + " holds " + typeName(t.get(i)));
            }
            out[i] = v;
        }
        return out;
    }

    private static List<Object> items(PyTuple args, Callable c) throws PickleException {
        if (args.size() == 0) {
            return List.of();
        }
        Object src = args.get(0);
        List<Object> out = new ArrayList<>();
        if (src instanceof List<?> l) {
            out.addAll(l);
        } else if (src instanceof PyTuple t) {
            out.addAll(t.items());
        } else if (src instanceof java.util.Set<?> s) {
            out.addAll(s);
        } else {
            throw new PickleException(c.name + " of " + typeName(src));
        }
        return out;
    }

    static <T> T arg(PyTuple args, int i, Class<T> type, Callable c) throws PickleException {
        if (args.size() <= i || !type.isInstance(args.get(i))) {
            throw new PickleException(c.module + "." + c.name + " expects a " + type.getSimpleName() + " as argument "
                    + i + ", got " + (args.size() <= i ? "none" : typeName(args.get(i))));
        }
        return type.cast(args.get(i));
    }

    static String typeName(Object o) {
        return o == null
                ? "None"
                : o instanceof Callable c
                        ? c.module + "." + c.name
                        : o.getClass().getSimpleName();
    }
}
