package io.moescope.model.runtime;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.family.ExpertLayout;
import io.moescope.model.family.Parts;
import io.moescope.model.ggufmodel.PermutedRows;
import io.moescope.model.io.DType;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.Mxfp4;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.BiasedMatrix;
import io.moescope.model.layer.ClampedSwigluExpert;
import io.moescope.model.layer.Expert;
import io.moescope.model.layer.Mlp;
import io.moescope.model.tensor.HeapMatrix;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import io.moescope.model.tensor.quant.QuantMatrices;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Reads the routed experts of one MoE layer in whichever of its family's {@link ExpertLayout}s the checkpoint uses. */
final class ExpertLoader {

    private final ModelConfig c;
    private final TensorSource store;
    private final MatrixFactory factory;
    private final Weights w;
    private final int h;

    ExpertLoader(ModelConfig c, TensorSource store, MatrixFactory factory) {
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
            case SPLIT_BIASED:
                split(moe, layout, out, width);
                return out;
            case PER_EXPERT:
                for (int i = 0; i < e; i++) {
                    String x = moe + "experts." + i + ".";
                    out[i] = mlp(
                            x + layout.gate() + ".weight",
                            x + layout.up() + ".weight",
                            x + layout.down() + ".weight",
                            width);
                }
                return out;
            case FUSED:
                fused(moe, layout, out, width);
                return out;
            case FUSED_TRANSPOSED:
                transposed(moe, out, width);
                return out;
            default:
                mxfp4(moe, out, width);
                return out;
        }
    }

    /**
     * gpt_oss as transformers saves it: gate_up_proj [E, H, 2I] (y = x·W, gate/up interleaved along 2I) and
     * down_proj [E, I, H], each with a bias [E, 2I] / [E, H]. Transposed once into [out, in] rows on the heap.
     */
    private void transposed(String moe, Expert[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        TensorInfo gu = w.info(moe + "experts.gate_up_proj");
        TensorInfo down = w.info(moe + "experts.down_proj");
        w.expectShape(gu, e, h, 2L * width);
        w.expectShape(down, e, width, h);
        float[][] bias = biases(moe, e, width);
        for (int i = 0; i < e; i++) {
            Matrix gateUp = transposedSlice(gu, (long) i * h, h, 2 * width);
            Matrix d = transposedSlice(down, (long) i * width, width, h);
            experts[i] = expert(gateUp, d, bias, i, width);
        }
    }

    /** Rows [first, first+rows) of a [n, cols] view, as a [cols, rows] matrix. */
    private Matrix transposedSlice(TensorInfo t, long first, int rows, int cols) throws ModelLoadException {
        float[] in = new float[rows * cols]; // [rows, cols]
        store.readRows(t, first, rows, in, 0);
        float[] out = new float[rows * cols]; // [cols, rows]
        for (int r = 0; r < rows; r++) {
            for (int c2 = 0; c2 < cols; c2++) {
                out[c2 * rows + r] = in[r * cols + c2];
            }
        }
        return new HeapMatrix(out, cols, rows);
    }

    /**
     * gpt_oss MXFP4: {@code X_blocks [E, out, in/32, 16]} + {@code X_scales [E, out, in/32]}, each expert's slice of
     * the mapping read in place by the MXFP4 block kernel ({@link QuantMatrices#mxfp4}).
     */
    private void mxfp4(String moe, Expert[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        String gu = moe + "experts.gate_up_proj";
        String down = moe + "experts.down_proj";
        TensorInfo[] guT = packed(gu, e, 2 * width, h);
        TensorInfo[] downT = packed(down, e, h, width);
        float[][] bias = biases(moe, e, width);
        for (int i = 0; i < e; i++) {
            experts[i] = expert(slice(guT, i, 2 * width, h), slice(downT, i, h, width), bias, i, width);
        }
    }

    /** {blocks, scales} of X, checked against [E, rows, cols/32, 16] and [E, rows, cols/32] uint8. */
    private TensorInfo[] packed(String name, int e, int rows, int cols) throws ModelLoadException {
        TensorInfo b = w.info(name + "_blocks");
        TensorInfo s = w.info(name + "_scales");
        if (cols % Mxfp4.BLOCK != 0) {
            throw ModelLoadException.at(
                    b.file(),
                    "tensor '" + b.name() + "': MXFP4 needs rows that are a multiple of " + Mxfp4.BLOCK
                            + " values, but config.json implies " + cols);
        }
        long blocks = cols / Mxfp4.BLOCK;
        for (TensorInfo t : new TensorInfo[] {b, s}) {
            if (t.dtype() != DType.U8) {
                throw ModelLoadException.at(
                        t.file(), "tensor '" + t.name() + "' is " + t.dtype() + "; MXFP4 blocks and scales are U8");
            }
        }
        w.expectShape(b, e, rows, blocks, Mxfp4.BLOCK_BYTES);
        if (!java.util.Arrays.equals(s.shape(), new long[] {e, rows, blocks})) {
            throw ModelLoadException.at(
                    s.file(),
                    "tensor '" + s.name() + "' has shape " + s.shapeString()
                            + " but its blocks need one E8M0 scale per 32 values: [" + e + ", " + rows + ", " + blocks
                            + "]");
        }
        return new TensorInfo[] {b, s};
    }

    private Matrix slice(TensorInfo[] bs, int expert, int rows, int cols) throws ModelLoadException {
        long perRow = cols / Mxfp4.BLOCK;
        long scaleBytes = rows * perRow;
        ByteBuffer blocks = store.map(bs[0], expert * scaleBytes * Mxfp4.BLOCK_BYTES, scaleBytes * Mxfp4.BLOCK_BYTES);
        ByteBuffer scales = store.map(bs[1], expert * scaleBytes, scaleBytes);
        return QuantMatrices.mxfp4(blocks, scales, rows, cols);
    }

    /**
     * gpt_oss as llama.cpp stores it (through the family's GGUF form): per-expert gate [I, H], up [I, H] and down
     * [H, I] plus {@code experts.{gate,up,down}_proj_bias} [E, I] / [E, I] / [E, H]; the gate and up rows (and
     * biases) are interleaved again for the clamped SwiGLU, the weights stay as stored (MXFP4 blocks).
     */
    private void split(String moe, ExpertLayout layout, Expert[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        float[] gateBias = w.read(moe + "experts.gate_proj_bias", e, width);
        float[] upBias = w.read(moe + "experts.up_proj_bias", e, width);
        float[] downBias = w.read(moe + "experts.down_proj_bias", e, h);
        int[] order = new int[2 * width]; // interleaved row 2i = gate row i, 2i + 1 = up row i
        for (int i = 0; i < width; i++) {
            order[2 * i] = i;
            order[2 * i + 1] = width + i;
        }
        for (int i = 0; i < e; i++) {
            String x = moe + "experts." + i + ".";
            Matrix gu = new PermutedRows(
                    factory.stack(
                            store,
                            List.of(
                                    block(x + layout.gate() + ".weight", width, h),
                                    block(x + layout.up() + ".weight", width, h))),
                    order);
            float[] bias = new float[2 * width];
            for (int j = 0; j < width; j++) {
                bias[2 * j] = gateBias[i * width + j];
                bias[2 * j + 1] = upBias[i * width + j];
            }
            Matrix d = factory.stack(store, List.of(block(x + layout.down() + ".weight", h, width)));
            experts[i] = new ClampedSwigluExpert(
                    new BiasedMatrix(gu, bias), new BiasedMatrix(d, Arrays.copyOfRange(downBias, i * h, (i + 1) * h)));
        }
    }

    /** {gate_up_proj_bias [E·2I], down_proj_bias [E·H]}. */
    private float[][] biases(String moe, int e, int width) throws ModelLoadException {
        return new float[][] {
            w.read(moe + "experts.gate_up_proj_bias", e, 2L * width), w.read(moe + "experts.down_proj_bias", e, h)
        };
    }

    private Expert expert(Matrix gateUp, Matrix down, float[][] bias, int i, int width) throws ModelLoadException {
        if (c.family().parts().activation() != Parts.Activation.CLAMPED_SWIGLU) {
            throw ModelLoadException.at(
                    store.location(),
                    "model_type " + c.family().modelType() + " does not describe biased, interleaved experts");
        }
        return new ClampedSwigluExpert(
                new BiasedMatrix(gateUp, Arrays.copyOfRange(bias[0], i * 2 * width, (i + 1) * 2 * width)),
                new BiasedMatrix(down, Arrays.copyOfRange(bias[1], i * h, (i + 1) * h)));
    }

    /** SwiGLU MLP from three [I,H], [I,H], [H,I] tensors. */
    Mlp mlp(String gate, String up, String down, int width) throws ModelLoadException {
        Matrix gu = factory.stack(store, List.of(block(gate, width, h), block(up, width, h)));
        return new Mlp(gu, factory.stack(store, List.of(block(down, h, width))));
    }

    /**
     * The dense or shared MLP {@code p}{gate,up,down}_proj.weight, with the {@code .bias} of each when the config
     * says the MLPs have biases (ERNIE use_bias).
     */
    Mlp mlp(String p, int width) throws ModelLoadException {
        Mlp plain = mlp(p + "gate_proj.weight", p + "up_proj.weight", p + "down_proj.weight", width);
        if (!c.extras().linearBias()) {
            return plain;
        }
        float[] gu = new float[2 * width]; // gate biases, then up biases, as the fused rows are ordered
        System.arraycopy(w.read(p + "gate_proj.bias", width), 0, gu, 0, width);
        System.arraycopy(w.read(p + "up_proj.bias", width), 0, gu, width, width);
        Matrix gateUp = factory.stack(
                store, List.of(block(p + "gate_proj.weight", width, h), block(p + "up_proj.weight", width, h)));
        Matrix down = factory.stack(store, List.of(block(p + "down_proj.weight", h, width)));
        return new Mlp(new BiasedMatrix(gateUp, gu), new BiasedMatrix(down, w.read(p + "down_proj.bias", h)));
    }

    /** SwiGLU MLP from one fused [2I, H] gate_up tensor (gate rows, then up rows) and a [H, I] down tensor. */
    Mlp fusedMlp(String gateUp, String down, int width) throws ModelLoadException {
        return new Mlp(
                factory.stack(store, List.of(block(gateUp, 2 * width, h))),
                factory.stack(store, List.of(block(down, h, width))));
    }

    private RowBlock block(String name, int rows, int cols) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, cols);
        return RowBlock.whole(t);
    }

    /** transformers-v5 layout: gate_up_proj [E, 2I, H] (gate rows then up rows), down_proj [E, H, I]. */
    private void fused(String moe, ExpertLayout layout, Expert[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        TensorInfo gu = w.info(moe + layout.fusedGateUp());
        TensorInfo down = w.info(moe + layout.fusedDown());
        w.expectShape(down, e, h, width);
        w.expectShape(gu, e, 2L * width, h);
        for (int i = 0; i < e; i++) {
            Matrix gateUp = factory.stack(store, List.of(new RowBlock(gu, (long) i * 2 * width, 2 * width)));
            Matrix d = factory.stack(store, List.of(new RowBlock(down, (long) i * h, h)));
            experts[i] = new Mlp(gateUp, d);
        }
    }
}
