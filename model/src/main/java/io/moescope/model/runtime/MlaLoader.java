package io.moescope.model.runtime;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.MlaAttention;
import io.moescope.model.layer.RmsNorm;
import io.moescope.model.layer.Rope;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import java.util.List;

/**
 * Builds the multi-head latent attention of one DeepSeek-V2/V3 layer (spec §3) from {@code model.layers.L.self_attn.*}.
 * Shapes are checked against the MLA keys of config.json, so a wrong rank is reported with the key that implies it.
 * FP8 weights arrive dequantised from the store (block scales, see BlockScales).
 */
final class MlaLoader {

    /** HF and the remote code build q_a_layernorm / kv_a_layernorm with the class default ε, not rms_norm_eps. */
    static final double MLA_NORM_EPS = 1e-6;

    private final ModelConfig c;
    private final TensorSource store;
    private final MatrixFactory factory;
    private final Rope rope;
    private final double scale;

    MlaLoader(ModelConfig c, TensorSource store, MatrixFactory factory) {
        this.c = c;
        this.store = store;
        this.factory = factory;
        this.rope = new Rope(c.mla().qkRopeHeadDim(), c.rope(), true);
        this.scale = MlaAttention.softmaxScale(c.mla(), c.rope());
    }

    /** p = "model.layers.L.self_attn." */
    MlaAttention attention(String p) throws ModelLoadException {
        ModelConfig.Mla m = c.mla();
        int h = c.hiddenSize();
        int nh = c.numHeads();
        int qRows = nh * (m.qkNopeHeadDim() + m.qkRopeHeadDim());
        String heads = "num_attention_heads " + nh + " × (qk_nope_head_dim " + m.qkNopeHeadDim()
                + " + qk_rope_head_dim " + m.qkRopeHeadDim() + ")";
        MlaAttention.Query q;
        if (m.qLoraRank() > 0) {
            String rq = "q_lora_rank " + m.qLoraRank();
            Matrix qa = matrix(p + "q_a_proj.weight", m.qLoraRank(), h, rq + " × hidden_size " + h);
            RmsNorm qn = new RmsNorm(vector(p + "q_a_layernorm.weight", m.qLoraRank(), rq), MLA_NORM_EPS);
            q = MlaAttention.Query.lora(
                    qa, qn, matrix(p + "q_b_proj.weight", qRows, m.qLoraRank(), heads + " × " + rq));
        } else {
            if (!store.has(p + "q_proj.weight") && store.has(p + "q_a_proj.weight")) {
                throw ModelLoadException.at(
                        store.location(),
                        "config.json has q_lora_rank null but the checkpoint has '" + p
                                + "q_a_proj.weight' (a q-LoRA model): set q_lora_rank to its first dimension");
            }
            q = MlaAttention.Query.plain(matrix(p + "q_proj.weight", qRows, h, heads + " × hidden_size " + h));
        }
        String rkv = "kv_lora_rank " + m.kvLoraRank();
        Matrix kvA = matrix(
                p + "kv_a_proj_with_mqa.weight",
                m.kvLoraRank() + m.qkRopeHeadDim(),
                h,
                "(" + rkv + " + qk_rope_head_dim " + m.qkRopeHeadDim() + ") × hidden_size " + h);
        RmsNorm kvNorm = new RmsNorm(vector(p + "kv_a_layernorm.weight", m.kvLoraRank(), rkv), MLA_NORM_EPS);
        Matrix kvB = matrix(
                p + "kv_b_proj.weight",
                nh * (m.qkNopeHeadDim() + m.vHeadDim()),
                m.kvLoraRank(),
                "num_attention_heads " + nh + " × (qk_nope_head_dim " + m.qkNopeHeadDim() + " + v_head_dim "
                        + m.vHeadDim() + ") × " + rkv);
        Matrix o = matrix(
                p + "o_proj.weight",
                h,
                nh * m.vHeadDim(),
                "hidden_size " + h + " × num_attention_heads " + nh + " · v_head_dim " + m.vHeadDim());
        if (c.qkvBias()) {
            throw ModelLoadException.at(store.location(), "attention_bias true is not supported for MLA models");
        }
        return new MlaAttention(q, kvA, kvNorm, kvB, o, nh, m, rope, scale);
    }

    private Matrix matrix(String name, int rows, int cols, String why) throws ModelLoadException {
        TensorInfo t = store.info(name);
        if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != cols) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + name + "' has shape " + t.shapeString() + " but " + Weights.hyperParameters(store)
                            + " implies [" + rows + ", " + cols + "] (" + why + ")");
        }
        return factory.stack(store, List.of(RowBlock.whole(t)));
    }

    private float[] vector(String name, int n, String why) throws ModelLoadException {
        TensorInfo t = store.info(name);
        if (t.rank() != 1 || t.dim(0) != n) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + name + "' has shape " + t.shapeString() + " but " + Weights.hyperParameters(store)
                            + " implies [" + n + "] (" + why + ")");
        }
        return store.readFloats(t);
    }
}
