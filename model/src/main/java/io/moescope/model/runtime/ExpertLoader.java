package io.moescope.model.runtime;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.family.ExpertLayout;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import io.moescope.model.layer.Expert;
import io.moescope.model.layer.Mlp;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import java.util.List;

/** Reads the routed experts of one MoE layer in whichever of its family's {@link ExpertLayout}s the checkpoint uses. */
final class ExpertLoader {

    private final ModelConfig c;
    private final WeightStore store;
    private final MatrixFactory factory;
    private final Weights w;
    private final int h;

    ExpertLoader(ModelConfig c, WeightStore store, MatrixFactory factory) {
        this.c = c;
        this.store = store;
        this.factory = factory;
        this.w = new Weights(store);
        this.h = c.hiddenSize();
    }

    /** The first layout of the family whose probe tensor exists in layer {@code p}; else the last (for its errors). */
    ExpertLayout layoutOf(String p) {
        List<ExpertLayout> all = c.family().parts().experts();
        for (ExpertLayout l : all) {
            if (store.has(p + l.probe())) {
                return l;
            }
        }
        return all.get(all.size() - 1);
    }

    /** The E routed experts of layer prefix {@code p} ("model.layers.L."). */
    Expert[] routed(String p, ExpertLayout layout) throws ModelLoadException {
        int e = c.routedExperts();
        int width = c.expertWidth();
        String moe = p + layout.prefix();
        Expert[] out = new Expert[e];
        switch (layout.kind()) {
            case PER_EXPERT:
                for (int i = 0; i < e; i++) {
                    String x = moe + "experts." + i + ".";
                    out[i] = mlp(x + layout.gate() + ".weight", x + layout.up() + ".weight",
                            x + layout.down() + ".weight", width);
                }
                return out;
            case FUSED:
                fused(moe, out, width);
                return out;
            default:
                throw ModelLoadException.at(store.directory(), "expert layout " + layout.kind()
                        + " is not readable for model_type " + c.family().modelType());
        }
    }

    /** SwiGLU MLP from three [I,H], [I,H], [H,I] tensors. */
    Mlp mlp(String gate, String up, String down, int width) throws ModelLoadException {
        Matrix gu = factory.stack(store, List.of(block(gate, width, h), block(up, width, h)));
        return new Mlp(gu, factory.stack(store, List.of(block(down, h, width))));
    }

    private RowBlock block(String name, int rows, int cols) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, cols);
        return RowBlock.whole(t);
    }

    /** transformers-v5 layout: gate_up_proj [E, 2I, H] (gate rows then up rows), down_proj [E, H, I]. */
    private void fused(String moe, Expert[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        TensorInfo gu = w.info(moe + "experts.gate_up_proj");
        TensorInfo down = w.info(moe + "experts.down_proj");
        w.expectShape(down, e, h, width);
        w.expectShape(gu, e, 2L * width, h);
        for (int i = 0; i < e; i++) {
            Matrix gateUp = factory.stack(store, List.of(new RowBlock(gu, (long) i * 2 * width, 2 * width)));
            Matrix d = factory.stack(store, List.of(new RowBlock(down, (long) i * h, h)));
            experts[i] = new Mlp(gateUp, d);
        }
    }
}
