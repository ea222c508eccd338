package io.moescope.app.cli;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Shared options for commands that open a model. */
public final class ModelOptions {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "PATH",
            description = "Hugging Face model directory (config.json, *.safetensors, tokenizer.json), or a .gguf file "
                    + "(the first part of a split one)")
    Path model;

    @Option(
            names = "--memory-budget",
            paramLabel = "GB",
            description = "Refuse models that need more than this many GB of memory (default: what is available)")
    double memoryBudgetGb;

    @Option(
            names = "--weights",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "fp32 (FP32 copies in memory), native (BF16 weights stay memory-mapped in the file) or auto "
                    + "(fp32 if it fits the memory budget; default)")
    String weights;

    MoeModel open() throws ModelLoadException {
        return MoeModel.open(
                model,
                (long) (memoryBudgetGb * 1e9),
                io.moescope.model.runtime.WeightMode.parse(weights),
                io.moescope.model.runtime.LoadProgress.NONE,
                () -> Thread.currentThread().isInterrupted());
    }
}
