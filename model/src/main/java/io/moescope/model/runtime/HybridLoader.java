package io.moescope.model.runtime;

import io.moescope.model.config.HybridAttention;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.Attention;
import io.moescope.model.layer.AttentionLayer;
import io.moescope.model.layer.BiasedMatrix;
import io.moescope.model.layer.GatedDeltaNet;
import io.moescope.model.layer.RmsNorm;
import io.moescope.model.layer.Rope;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the token mixer of one Qwen3-Next / Qwen3.5 layer: a {@link GatedDeltaNet} from {@code linear_attn.*} or an
 * output-gated, partially rotated {@link Attention} from {@code self_attn.*}, as {@link HybridAttention} says. Rows
 * that the checkpoint interleaves per head are re-stacked into contiguous blocks (no copy for mapped weights).
 */
final class HybridLoader {

    private final ModelConfig c;
    private final TensorSource store;
    private final MatrixFactory factory;
    private final Weights w;
    private final HybridAttention hy;
    private final int h;

    HybridLoader(ModelConfig c, TensorSource store, MatrixFactory factory) {
        this.c = c;
        this.store = store;
        this.factory = factory;
        this.w = new Weights(store);
        this.hy = c.hybrid();
        this.h = c.hiddenSize();
    }

    /** Zero-centred RMSNorm weights as the norm uses them: 1 + w. */
    static float[] centred(float[] weight) {
        float[] out = new float[weight.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 1f + weight[i];
        }
        return out;
    }

    /** p = "model.layers.L." */
    AttentionLayer attention(int layer, String p) throws ModelLoadException {
        return hy.isLinear(layer) ? deltaNet(p + "linear_attn.") : gated(p + "self_attn.");
    }

    /** q_proj holds [q_h | gate_h] per head h: the q rows, k, v, then the gate rows are stacked as Attention wants. */
    private Attention gated(String p) throws ModelLoadException {
        int hd = c.headDim();
        int nh = c.numHeads();
        int qDim = nh * hd;
        int kvDim = c.numKvHeads() * hd;
        TensorInfo q = shaped(p + "q_proj.weight", 2 * qDim, h);
        List<RowBlock> blocks = new ArrayList<>();
        for (int head = 0; head < nh; head++) {
            blocks.add(new RowBlock(q, 2L * head * hd, hd));
        }
        blocks.add(RowBlock.whole(shaped(p + "k_proj.weight", kvDim, h)));
        blocks.add(RowBlock.whole(shaped(p + "v_proj.weight", kvDim, h)));
        for (int head = 0; head < nh; head++) {
            blocks.add(new RowBlock(q, 2L * head * hd + hd, hd));
        }
        Matrix qkvg = factory.stack(store, blocks);
        Matrix o = factory.stack(store, List.of(RowBlock.whole(shaped(p + "o_proj.weight", h, qDim))));
        float[] bias = null;
        if (c.qkvBias()) { // attention_bias: q_proj (with its gate rows), k, v and o all have biases
            float[] qb = w.read(p + "q_proj.bias", 2 * qDim);
            bias = new float[2 * qDim + 2 * kvDim];
            for (int head = 0; head < nh; head++) {
                System.arraycopy(qb, 2 * head * hd, bias, head * hd, hd);
                System.arraycopy(qb, 2 * head * hd + hd, bias, qDim + 2 * kvDim + head * hd, hd);
            }
            System.arraycopy(w.read(p + "k_proj.bias", kvDim), 0, bias, qDim, kvDim);
            System.arraycopy(w.read(p + "v_proj.bias", kvDim), 0, bias, qDim + kvDim, kvDim);
            o = new BiasedMatrix(o, w.read(p + "o_proj.bias", h));
        }
        RmsNorm qn = new RmsNorm(centred(w.read(p + "q_norm.weight", hd)), c.rmsNormEps());
        RmsNorm kn = new RmsNorm(centred(w.read(p + "k_norm.weight", hd)), c.rmsNormEps());
        Attention.Options opt = new Attention.Options(bias, qn, kn, true, Float.NaN, 0, null, true);
        return new Attention(qkvg, o, nh, c.numKvHeads(), hd, new Rope(hy.rotaryDim(), c.rope(), false), opt);
    }

    private GatedDeltaNet deltaNet(String p) throws ModelLoadException {
        int nk = hy.keyHeads();
        int nv = hy.valueHeads();
        int r = nv / nk;
        int dk = hy.keyHeadDim();
        int dv = hy.valueHeadDim();
        List<RowBlock> blocks = new ArrayList<>();
        // q|k|v|z and b|a: each pair grouped per key head (Qwen3-Next's safetensors) or apart (Qwen3.5, and llama.cpp's
        // qwen3next GGUF files, which split in_proj_qkvz but keep in_proj_ba), as the checkpoint has them
        if (grouped(p + "in_proj_qkvz.weight", p + "in_proj_qkv.weight")) {
            // in_proj_qkvz: per key head g, rows [q_g (dk) | k_g (dk) | v_g (r·dv) | z_g (r·dv)]
            int group = 2 * dk + 2 * r * dv;
            TensorInfo qkvz = shaped(p + "in_proj_qkvz.weight", nk * group, h);
            long[] starts = {0, dk, 2L * dk, 2L * dk + r * dv};
            int[] sizes = {dk, dk, r * dv, r * dv};
            for (int part = 0; part < 4; part++) {
                for (int g = 0; g < nk; g++) {
                    blocks.add(new RowBlock(qkvz, (long) g * group + starts[part], sizes[part]));
                }
            }
        } else {
            blocks.add(RowBlock.whole(shaped(p + "in_proj_qkv.weight", hy.convChannels(), h)));
            blocks.add(RowBlock.whole(shaped(p + "in_proj_z.weight", hy.valueDim(), h)));
        }
        if (grouped(p + "in_proj_ba.weight", p + "in_proj_b.weight")) {
            TensorInfo ba = shaped(p + "in_proj_ba.weight", 2 * nv, h); // per key head g: [b_g (r) | a_g (r)]
            for (int part = 0; part < 2; part++) {
                for (int g = 0; g < nk; g++) {
                    blocks.add(new RowBlock(ba, 2L * g * r + (long) part * r, r));
                }
            }
        } else {
            blocks.add(RowBlock.whole(shaped(p + "in_proj_b.weight", nv, h)));
            blocks.add(RowBlock.whole(shaped(p + "in_proj_a.weight", nv, h)));
        }
        Matrix in = factory.stack(store, blocks);
        float[] conv = w.read(p + "conv1d.weight", hy.convChannels(), 1, hy.convKernel());
        Matrix out = factory.stack(store, List.of(RowBlock.whole(shaped(p + "out_proj.weight", h, hy.valueDim()))));
        return new GatedDeltaNet(
                in,
                conv,
                w.read(p + "A_log", nv),
                w.read(p + "dt_bias", nv),
                w.read(p + "norm.weight", dv),
                c.rmsNormEps(),
                out,
                hy);
    }

    /**
     * True to read the grouped tensor: the checkpoint has it, or has neither form and the config says grouped (so
     * the missing-tensor error names the one the family expects).
     */
    private boolean grouped(String groupedName, String apartName) {
        return store.has(groupedName) || (hy.groupedProjections() && !store.has(apartName));
    }

    private TensorInfo shaped(String name, int rows, int cols) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, cols);
        return t;
    }
}
