package io.moescope.model.runtime;

import io.moescope.model.config.Family;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.WeightStore;
import io.moescope.model.layer.Attention;
import io.moescope.model.layer.AttentionLayer;
import io.moescope.model.layer.FeedForward;
import io.moescope.model.layer.Mlp;
import io.moescope.model.layer.MoeBlock;
import io.moescope.model.layer.RmsNorm;
import io.moescope.model.layer.Rope;
import io.moescope.model.layer.Router;
import io.moescope.model.layer.RoutingRule;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.MatrixFactory;
import io.moescope.model.tensor.RowBlock;
import io.moescope.model.tensor.RowTable;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Builds a {@link Transformer} from config + weights, with the tensor names of each family (spec §2–8). */
final class CheckpointLoader {

    private final ModelConfig c;
    private final Weights w;
    private final WeightStore store;
    private final MatrixFactory factory;
    private final int h;

    private CheckpointLoader(ModelConfig c, WeightStore store, MatrixFactory factory) {
        this.c = c;
        this.w = new Weights(store);
        this.store = store;
        this.factory = factory;
        this.h = c.hiddenSize();
    }

    static Transformer load(ModelConfig c, WeightStore store, MatrixFactory factory, LoadProgress progress,
                            BooleanSupplier cancelled) throws ModelLoadException {
        return new CheckpointLoader(c, store, factory).build(progress, cancelled);
    }

    private Transformer build(LoadProgress progress, BooleanSupplier cancelled) throws ModelLoadException {
        int total = c.numLayers() + 2;
        progress.update(0, total, "embedding");
        TensorInfo embedInfo = w.info("model.embed_tokens.weight");
        w.expectShape(embedInfo, c.vocabSize(), h);
        RowTable embed = factory.table(store, embedInfo);
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("loading cancelled");
            }
            progress.update(l + 1, total, "layer " + l);
            String p = "model.layers." + l + ".";
            RmsNorm in = norm(p + "input_layernorm.weight", h);
            RmsNorm post = norm(p + "post_attention_layernorm.weight", h);
            FeedForward ffn = c.isMoeLayer(l) ? moe(l, p) : FeedForward.dense(mlp(p + "mlp.", c.intermediateSize()));
            layers[l] = new DecoderLayer(l, in, attention(p + "self_attn."), post, ffn);
        }
        progress.update(total - 1, total, "output head");
        RmsNorm finalNorm = norm("model.norm.weight", h);
        Matrix head;
        if (!c.tieWordEmbeddings() && w.has("lm_head.weight")) {
            head = matrix("lm_head.weight", c.vocabSize(), h);
        } else {
            head = matrix("model.embed_tokens.weight", c.vocabSize(), h);
        }
        progress.update(total, total, "done");
        return new Transformer(c, embed, layers, finalNorm, head);
    }

    private RmsNorm norm(String name, int width) throws ModelLoadException {
        return new RmsNorm(w.read(name, width), c.rmsNormEps());
    }

    private Matrix matrix(String name, int rows, int cols) throws ModelLoadException {
        return stack(block(name, rows, cols));
    }

    /** The whole 2-D tensor {@code name}, checked to be [rows, cols]. */
    private RowBlock block(String name, int rows, int cols) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, cols);
        return RowBlock.whole(t);
    }

    private Matrix stack(RowBlock... blocks) throws ModelLoadException {
        return factory.stack(store, List.of(blocks));
    }

    private AttentionLayer attention(String p) throws ModelLoadException {
        if (c.family().usesMla()) { // DeepSeek-V2/V3; layers >= num_hidden_layers (MTP) are never read
            return new MlaLoader(c, store, factory).attention(p);
        }
        int hd = c.headDim();
        int qDim = c.numHeads() * hd;
        int kvDim = c.numKvHeads() * hd;
        Matrix qkv = stack(block(p + "q_proj.weight", qDim, h), block(p + "k_proj.weight", kvDim, h),
                block(p + "v_proj.weight", kvDim, h));
        Matrix o = matrix(p + "o_proj.weight", h, qDim);
        float[] bias = null;
        if (c.qkvBias()) {
            bias = new float[qDim + 2 * kvDim];
            System.arraycopy(w.read(p + "q_proj.bias", qDim), 0, bias, 0, qDim);
            System.arraycopy(w.read(p + "k_proj.bias", kvDim), 0, bias, qDim, kvDim);
            System.arraycopy(w.read(p + "v_proj.bias", kvDim), 0, bias, qDim + kvDim, kvDim);
        }
        RmsNorm qn = null;
        RmsNorm kn = null;
        if (c.qkNorm() == ModelConfig.QkNorm.PER_HEAD) {
            qn = norm(p + "q_norm.weight", hd);
            kn = norm(p + "k_norm.weight", hd);
        } else if (c.qkNorm() == ModelConfig.QkNorm.FULL) {
            qn = norm(p + "q_norm.weight", qDim);
            kn = norm(p + "k_norm.weight", kvDim);
        }
        Attention.Options opt = new Attention.Options(bias, qn, kn, c.qkNorm() == ModelConfig.QkNorm.PER_HEAD,
                (float) c.clipQkv(), c.slidingWindow());
        return new Attention(qkv, o, c.numHeads(), c.numKvHeads(), hd, new Rope(hd, c.rope(), false), opt);
    }

    private Mlp mlp(String p, int width) throws ModelLoadException {
        return mlp(p + "gate_proj.weight", p + "up_proj.weight", p + "down_proj.weight", width);
    }

    private Mlp mlp(String gate, String up, String down, int width) throws ModelLoadException {
        Matrix gu = stack(block(gate, width, h), block(up, width, h));
        return new Mlp(gu, matrix(down, h, width));
    }

    private FeedForward moe(int l, String p) throws ModelLoadException {
        int e = c.routedExperts();
        int width = c.expertWidth();
        String moe = p + "mlp.";
        boolean mixtralClassic = c.family() == Family.MIXTRAL && w.has(p + "block_sparse_moe.gate.weight");
        if (mixtralClassic) {
            moe = p + "block_sparse_moe.";
        }
        Matrix gate = matrix(moe + "gate.weight", e, h);
        Mlp[] experts = new Mlp[e];
        if (w.has(moe + "experts.gate_up_proj")) {
            fusedExperts(moe, experts, width);
        } else {
            for (int i = 0; i < e; i++) {
                String x = moe + "experts." + i + ".";
                experts[i] = mixtralClassic ? mlp(x + "w1.weight", x + "w3.weight", x + "w2.weight", width)
                        : mlp(x, width);
            }
        }
        Mlp shared = null;
        float[] sharedGate = null;
        if (c.hasSharedExperts()) {
            String s = c.family() == Family.QWEN2_MOE ? moe + "shared_expert." : moe + "shared_experts.";
            shared = mlp(s, c.sharedWidth());
            if (c.family() == Family.QWEN2_MOE) {
                sharedGate = w.read(moe + "shared_expert_gate.weight", 1, h);
            }
        }
        float[] bias = w.has(moe + "gate.e_score_correction_bias")
                ? w.read(moe + "gate.e_score_correction_bias", e) : null;
        Router router = new Router(RoutingRule.of(c), bias, e);
        return new MoeBlock(l, gate, router, experts, shared, sharedGate);
    }

    /** transformers-v5 layout: gate_up_proj [E, 2I, H] (gate rows then up rows), down_proj [E, H, I]. */
    private void fusedExperts(String moe, Mlp[] experts, int width) throws ModelLoadException {
        int e = experts.length;
        TensorInfo gu = w.info(moe + "experts.gate_up_proj");
        TensorInfo down = w.info(moe + "experts.down_proj");
        w.expectShape(down, e, h, width);
        w.expectShape(gu, e, 2L * width, h);
        for (int i = 0; i < e; i++) {
            Matrix gateUp = stack(new RowBlock(gu, (long) i * 2 * width, 2 * width));
            Matrix d = stack(new RowBlock(down, (long) i * h, h));
            experts[i] = new Mlp(gateUp, d);
        }
    }
}
