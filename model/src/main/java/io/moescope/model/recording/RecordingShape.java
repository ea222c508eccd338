package io.moescope.model.recording;

import io.moescope.model.config.ConfigParser;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.trace.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The model a recording was made with, from its config.json (parsed by {@link ConfigParser}, which needs no weights):
 * which decoder layers are MoE (dense ones are recognised from first_k_dense_replace, mlp_only_layers, ...), the
 * routed expert count E and top-k. Without a config.json, only a MoE Routing Atlas recording can be imported: it
 * carries its own ({@link AtlasShape}).
 */
public final class RecordingShape {

    private RecordingShape() {}

    /**
     * The shape of the recording's model: from its config.json (or directory) when given, else the shape the
     * recordings themselves carry (MoE Routing Atlas only; any other format is refused, naming the file).
     */
    public static ModelShape read(Path config, List<Path> files) throws ModelLoadException {
        return config != null ? read(config) : AtlasShape.of(files, PickleLimits.DEFAULT);
    }

    /** Reads a model directory or the path of its config.json. */
    public static ModelShape read(Path config) throws ModelLoadException {
        Path dir;
        if (Files.isDirectory(config)) {
            dir = config;
        } else if (config.getFileName() != null
                && config.getFileName().toString().equals("config.json")) {
            dir = config.toAbsolutePath().getParent();
        } else {
            throw ModelLoadException.at(config, "give the model's config.json (or its directory)");
        }
        return of(ConfigParser.read(dir));
    }

    /** The trace header shape of a parsed config (the same one a live run of that model reports). */
    public static ModelShape of(ModelConfig c) {
        return new ModelShape(
                c.family().modelType(),
                c.numLayers(),
                c.moeLayers(),
                c.routedExperts(),
                c.sharedExperts(),
                c.topK(),
                c.vocabSize(),
                c.routingGroups(),
                c.tokenMixers(),
                c.family().alwaysOn(c));
    }
}
