package io.moescope.model.io;

/** Element types found in safetensors files that the engine can read. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F8_E4M3(1),
    F64(8),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1),
    /** ggml block-quantised data (a GGUF tensor); decoded by its {@link TensorSource}, never by {@link FloatDecoder}. */
    GGML_BLOCKS(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** True for the floating types that can hold weights. */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F8_E4M3 || this == F64;
    }

    /** Parses the safetensors spelling; null if unknown. */
    public static DType parse(String s) {
        for (DType t : values()) {
            if (t.name().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
