package io.moescope.model.train;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: every tensor of an exported model.safetensors as FP32, read by the engine's {@link WeightStore}. */
final class Safetensors {
    private Safetensors() {}

    static Map<String, float[]> read(Path file) throws IOException {
        try (WeightStore w = WeightStore.open(file.getParent())) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (TensorInfo t : w.tensors().values()) {
                out.put(t.name(), w.readFloats(t));
            }
            return out;
        } catch (ModelLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
