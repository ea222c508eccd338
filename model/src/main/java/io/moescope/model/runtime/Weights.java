package io.moescope.model.runtime;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import java.util.Arrays;

/** Reads named tensors from a TensorSource as FP32, checking each shape against what config.json implies. */
final class Weights {

    private final TensorSource store;

    Weights(TensorSource store) {
        this.store = store;
    }

    boolean has(String name) {
        return store.has(name);
    }

    TensorInfo info(String name) throws ModelLoadException {
        return store.info(name);
    }

    /** A tensor of exactly the given shape, as FP32. */
    float[] read(String name, long... shape) throws ModelLoadException {
        TensorInfo t = store.info(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + t.name() + "' has shape " + t.shapeString() + " but " + hyperParameters(store)
                            + " implies " + Arrays.toString(shape));
        }
        return store.readFloats(t);
    }

    /** Where the hyper-parameters came from, for shape errors: config.json or the GGUF file's metadata. */
    static String hyperParameters(TensorSource store) {
        return store.location().getFileName() != null
                        && store.location().getFileName().toString().endsWith(".gguf")
                ? "its metadata"
                : "config.json";
    }

    void expectShape(TensorInfo t, long... shape) throws ModelLoadException {
        if (!Arrays.equals(t.shape(), shape)) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + t.name() + "' has shape " + t.shapeString() + " but " + Weights.hyperParameters(store)
                            + " implies " + Arrays.toString(shape));
        }
    }
}
