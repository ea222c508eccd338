package io.moescope.model.recording.pickle;

import io.moescope.model.io.FloatDecoder;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A strided view of a storage, as torch's {@code _rebuild_tensor_v2} or a numpy header describes it: element
 * (i0..in) is storage element {@code offset + Σ i_k·stride_k}. The view is validated against the storage when it
 * is made; the data is read on demand by {@link #read()}.
 */
public final class Tensor {

    private final ElementType type;
    private final long[] shape;
    private final long[] stride;
    private final long offset;
    private final long numel;
    private final Storage storage;

    private Tensor(ElementType type, long[] shape, long[] stride, long offset, long numel, Storage storage) {
        this.type = type;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
        this.numel = numel;
        this.storage = storage;
    }

    /** Checks rank, signs, overflow and bounds before anything is read. */
    public static Tensor view(
            ElementType type, long[] shape, long[] stride, long offset, Storage storage, PickleLimits limits)
            throws PickleException {
        if (shape.length != stride.length) {
            throw new PickleException(
                    "tensor of shape " + Arrays.toString(shape) + " has " + stride.length + " strides");
        }
        if (shape.length > limits.maxRank()) {
            throw new PickleException("tensor of rank " + shape.length + " (limit " + limits.maxRank() + ")");
        }
        if (offset < 0) {
            throw new PickleException("negative storage offset " + offset);
        }
        long storageElements = storage.byteLength() / type.size;
        if (storage.type() == null && storage.byteLength() % type.size != 0) {
            throw new PickleException(
                    "untyped storage of " + storage.byteLength() + " bytes is not a whole number of " + type.torchName);
        }
        if (storage.type() != null && storage.type() != type) {
            throw new PickleException(storage.type().torchName + " storage viewed as " + type.torchName);
        }
        long numel = 1;
        long last = offset;
        try {
            for (int k = 0; k < shape.length; k++) {
                if (shape[k] < 0 || stride[k] < 0) {
                    throw new PickleException("negative size or stride in shape " + Arrays.toString(shape) + " stride "
                            + Arrays.toString(stride));
                }
                numel = Math.multiplyExact(numel, shape[k]);
                if (shape[k] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(shape[k] - 1, stride[k]));
                }
            }
        } catch (ArithmeticException e) {
            throw new PickleException("tensor shape " + Arrays.toString(shape) + " overflows");
        }
        if (numel > 0 && last >= storageElements) {
            throw new PickleException("tensor of shape " + Arrays.toString(shape) + ", stride "
                    + Arrays.toString(stride) + ", offset " + offset + " reaches element " + last + " but storage "
                    + storage.key() + " holds " + storageElements);
        }
        return new Tensor(type, shape.clone(), stride.clone(), offset, numel, storage);
    }

    public ElementType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension k. */
    public long size(int k) {
        return shape[k];
    }

    public long numel() {
        return numel;
    }

    public Storage storage() {
        return storage;
    }

    /** Reads the storage (one allocation of its size) and returns an accessor for this view. */
    public Data read() throws PickleException {
        return new Data(ByteBuffer.wrap(storage.load()).order(storage.order()));
    }

    /** All elements in C order as longs (integral types only). */
    public long[] toLongs() throws PickleException {
        if (!type.isIntegral()) {
            throw new PickleException("expected an integer tensor, got " + type.torchName);
        }
        Data d = read();
        long[] out = new long[Math.toIntExact(numel)];
        if (d.contiguous && type == ElementType.INT64) {
            d.bytes.position(Math.toIntExact(offset * 8)).asLongBuffer().get(out);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = d.longFlat(i);
        }
        return out;
    }

    /**
     * All elements in C order as ints (int8/16/32 and uint8/16 only, so nothing is cut): one bulk copy for a
     * contiguous int32 view, element by element otherwise.
     */
    public int[] toInts() throws PickleException {
        switch (type) {
            case BOOL, UINT8, INT8, INT16, UINT16, INT32 -> {}
            default -> throw new PickleException("expected a tensor of at most 32-bit integers, got " + type.torchName);
        }
        Data d = read();
        int[] out = new int[Math.toIntExact(numel)];
        if (d.contiguous && type == ElementType.INT32) {
            d.bytes.position(Math.toIntExact(offset * 4)).asIntBuffer().get(out);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) d.longFlat(i);
        }
        return out;
    }

    /** All elements in C order as doubles. */
    public double[] toDoubles() throws PickleException {
        Data d = read();
        double[] out = new double[Math.toIntExact(numel)];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.doubleFlat(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "tensor(" + type.torchName + ", " + Arrays.toString(shape) + ")";
    }

    /** Element access for one read of the storage. */
    public final class Data {

        private final ByteBuffer bytes;
        private final boolean contiguous;

        private Data(ByteBuffer bytes) {
            this.bytes = bytes;
            long expect = 1;
            boolean c = true;
            for (int k = shape.length - 1; k >= 0; k--) {
                if (shape[k] > 1 && stride[k] != expect) {
                    c = false;
                }
                expect *= shape[k];
            }
            this.contiguous = c;
        }

        /** Storage element index of the C-order flat index i. */
        private long index(long flat) {
            if (contiguous) {
                return offset + flat;
            }
            long at = offset;
            for (int k = shape.length - 1; k >= 0; k--) {
                long n = shape[k];
                at += (flat % n) * stride[k];
                flat /= n;
            }
            return at;
        }

        /** The element at multi-index idx. */
        public long longAt(long... idx) {
            return raw(at(idx));
        }

        public double doubleAt(long... idx) {
            return decode(at(idx));
        }

        public long longFlat(long flat) {
            return raw(index(flat));
        }

        public double doubleFlat(long flat) {
            return decode(index(flat));
        }

        private long at(long[] idx) {
            if (idx.length != shape.length) {
                throw new IndexOutOfBoundsException(idx.length + " indices for rank " + shape.length);
            }
            long at = offset;
            for (int k = 0; k < idx.length; k++) {
                if (idx[k] < 0 || idx[k] >= shape[k]) {
                    throw new IndexOutOfBoundsException(
                            "index " + idx[k] + " of dimension " + k + " (size " + shape[k] + ")");
                }
                at += idx[k] * stride[k];
            }
            return at;
        }

        private long raw(long element) {
            int b = Math.toIntExact(element * type.size);
            switch (type) {
                case BOOL:
                    return bytes.get(b) != 0 ? 1 : 0;
                case UINT8:
                    return bytes.get(b) & 0xFF;
                case INT8:
                    return bytes.get(b);
                case INT16:
                    return bytes.getShort(b);
                case UINT16:
                    return bytes.getShort(b) & 0xFFFF;
                case INT32:
                    return bytes.getInt(b);
                case UINT32:
                    return bytes.getInt(b) & 0xFFFFFFFFL;
                case INT64:
                case UINT64:
                    return bytes.getLong(b);
                default:
                    return (long) decode(element);
            }
        }

        private double decode(long element) {
            int b = Math.toIntExact(element * type.size);
            switch (type) {
                case FLOAT16:
                    return FloatDecoder.f16(bytes.getShort(b));
                case BFLOAT16:
                    return FloatDecoder.bf16(bytes.getShort(b));
                case FLOAT32:
                    return bytes.getFloat(b);
                case FLOAT64:
                    return bytes.getDouble(b);
                case UINT64:
                    long v = bytes.getLong(b);
                    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
                default:
                    return raw(element);
            }
        }
    }
}
