package io.moescope.model.runtime;

import java.util.Locale;

/**
 * How weights are held: {@code FP32} copies on the heap, {@code NATIVE} = BF16/F16 weights left memory-mapped in
 * the file and read by the 16-bit kernels (other dtypes still become FP32), {@code AUTO} = native for checkpoints
 * stored in BF16 (the widening is exact, so the products are the same from half the bytes), otherwise (FP32, F16)
 * FP32 if the copy fits the memory budget, else native. The system property {@code moescope.weights} overrides AUTO.
 */
public enum WeightMode {
    FP32,
    NATIVE,
    AUTO;

    public static WeightMode parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32" -> {
                return FP32;
            }
            case "native", "bf16", "mapped" -> {
                return NATIVE;
            }
            case "auto" -> {
                return AUTO;
            }
            default -> throw new IllegalArgumentException("--weights must be fp32, native or auto, got '" + s + "'");
        }
    }
}
