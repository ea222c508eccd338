package io.moescope.model.recording.pickle;

import java.util.Locale;

/**
 * Element types of torch storages and numpy arrays that recordings use. Integral types stay integral
 * ({@link Tensor#longAt}); the float types decode exactly to double.
 */
public enum ElementType {
    BOOL(1, "bool", "Bool", "b1"),
    UINT8(1, "uint8", "Byte", "u1"),
    INT8(1, "int8", "Char", "i1"),
    INT16(2, "int16", "Short", "i2"),
    UINT16(2, "uint16", null, "u2"),
    INT32(4, "int32", "Int", "i4"),
    UINT32(4, "uint32", null, "u4"),
    INT64(8, "int64", "Long", "i8"),
    UINT64(8, "uint64", null, "u8"),
    FLOAT16(2, "float16", "Half", "f2"),
    BFLOAT16(2, "bfloat16", "BFloat16", null),
    FLOAT32(4, "float32", "Float", "f4"),
    FLOAT64(8, "float64", "Double", "f8");

    /** Bytes per element. */
    public final int size;
    /** The torch attribute name ({@code torch.int32}). */
    public final String torchName;

    private final String storagePrefix;
    private final String numpyCode;

    ElementType(int size, String torchName, String storagePrefix, String numpyCode) {
        this.size = size;
        this.torchName = torchName;
        this.storagePrefix = storagePrefix;
        this.numpyCode = numpyCode;
    }

    public boolean isIntegral() {
        return this != FLOAT16 && this != BFLOAT16 && this != FLOAT32 && this != FLOAT64;
    }

    /** The type of a legacy typed storage class such as {@code IntStorage}, or null. */
    public static ElementType ofStorageClass(String name) {
        for (ElementType t : values()) {
            if (t.storagePrefix != null && name.equals(t.storagePrefix + "Storage")) {
                return t;
            }
        }
        return null;
    }

    /** The type named by a torch attribute ({@code torch uint16}), or null. */
    public static ElementType ofTorchName(String name) {
        for (ElementType t : values()) {
            if (t.torchName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a numpy type code without byte order ({@code i4}, {@code f8}, {@code b1}), or null. */
    public static ElementType ofNumpyCode(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        for (ElementType t : values()) {
            if (c.equals(t.numpyCode)) {
                return t;
            }
        }
        return null;
    }
}
