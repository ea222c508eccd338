package io.moescope.model.runtime;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.ShortConvLayers;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.BiasedMatrix;
import io.moescope.model.layer.ShortConv;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import java.util.List;

/**
 * Builds LFM2's gated short convolution of one {@code conv} layer from {@code conv.in_proj} [3H, H],
 * {@code conv.conv.weight} [H, 1, L] and {@code conv.out_proj} [H, H] (each with a bias where conv_bias is set).
 */
final class ShortConvLoader {

    private final TensorSource store;
    private final MatrixFactory factory;
    private final Weights w;
    private final ShortConvLayers sc;
    private final int h;

    ShortConvLoader(ModelConfig c, TensorSource store, MatrixFactory factory) {
        this.store = store;
        this.factory = factory;
        this.w = new Weights(store);
        this.sc = c.extras().shortConv();
        this.h = c.hiddenSize();
    }

    /** p = "model.layers.L." */
    ShortConv conv(String p) throws ModelLoadException {
        String q = p + "conv.";
        Matrix in = matrix(q + "in_proj.weight", 3 * h);
        Matrix out = matrix(q + "out_proj.weight", h);
        float[] kernel = w.read(q + "conv.weight", h, 1, sc.kernel());
        float[] bias = null;
        if (sc.bias()) {
            in = new BiasedMatrix(in, w.read(q + "in_proj.bias", 3 * h));
            out = new BiasedMatrix(out, w.read(q + "out_proj.bias", h));
            bias = w.read(q + "conv.bias", h);
        }
        return new ShortConv(in, kernel, bias, out, sc.kernel());
    }

    private Matrix matrix(String name, int rows) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, h);
        return factory.stack(store, List.of(RowBlock.whole(t)));
    }
}
