package io.moescope.model.runtime;

import io.moescope.model.config.LayerAttention;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.Attention;
import io.moescope.model.layer.Expert;
import io.moescope.model.layer.Gemma4Attention;
import io.moescope.model.layer.Gemma4Ffn;
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

/**
 * Builds a Gemma 4 {@link Transformer} (family {@code gemma4_text}): tensors under {@code model.} (Gemma4ForCausalLM)
 * or {@code model.language_model.} (the multimodal Gemma4ForConditionalGeneration; its vision and audio towers are
 * not read). Each layer: {@link Gemma4Attention} with the layer type's shape, {@link Gemma4Ffn}, layer_scalar.
 */
final class Gemma4Loader {

    private final ModelConfig c;
    private final Weights w;
    private final TensorSource store;
    private final MatrixFactory factory;
    private final int h;

    private Gemma4Loader(ModelConfig c, TensorSource store, MatrixFactory factory) {
        this.c = c;
        this.w = new Weights(store);
        this.store = store;
        this.factory = factory;
        this.h = c.hiddenSize();
    }

    static Transformer load(
            ModelConfig c, TensorSource store, MatrixFactory factory, LoadProgress progress, BooleanSupplier cancelled)
            throws ModelLoadException {
        return new Gemma4Loader(c, store, factory).build(progress, cancelled);
    }

    private Transformer build(LoadProgress progress, BooleanSupplier cancelled) throws ModelLoadException {
        String m = store.has("model.language_model.embed_tokens.weight") ? "model.language_model." : "model.";
        int total = c.numLayers() + 2;
        progress.update(0, total, "embedding");
        TensorInfo embedInfo = w.info(m + "embed_tokens.weight");
        w.expectShape(embedInfo, c.vocabSize(), h);
        RowTable embed = factory.table(store, embedInfo);
        DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("loading cancelled");
            }
            progress.update(l + 1, total, "layer " + l);
            String p = m + "layers." + l + ".";
            float scalar = w.has(p + "layer_scalar") ? w.read(p + "layer_scalar", 1)[0] : 1f;
            layers[l] =
                    new DecoderLayer(l, norm(p + "input_layernorm.weight"), attention(l, p), null, ffn(l, p), scalar);
        }
        progress.update(total - 1, total, "output head");
        RmsNorm finalNorm = norm(m + "norm.weight");
        boolean ownHead = !c.tieWordEmbeddings() && w.has("lm_head.weight");
        Matrix head = matrix(ownHead ? "lm_head.weight" : m + "embed_tokens.weight", c.vocabSize(), h);
        progress.update(total, total, "done");
        return new Transformer(c, embed, layers, finalNorm, head);
    }

    private Gemma4Attention attention(int l, String lp) throws ModelLoadException {
        LayerAttention a = c.extras().layerAttention().get(l);
        String p = lp + "self_attn.";
        int hd = a.headDim();
        int qDim = c.numHeads() * hd;
        int kvDim = a.kvHeads() * hd;
        RowBlock k = block(p + "k_proj.weight", kvDim, h);
        RowBlock v = a.valueIsKey() ? k : block(p + "v_proj.weight", kvDim, h); // attention_k_eq_v: v = k_proj(x)
        Matrix qkv = factory.stack(store, List.of(block(p + "q_proj.weight", qDim, h), k, v));
        Matrix o = matrix(p + "o_proj.weight", h, qDim);
        Rope rope = Double.isNaN(a.ropeFraction())
                ? new Rope(hd, a.rope(), false)
                : Rope.proportional(
                        hd, a.rope().theta(), a.ropeFraction(), a.rope().factor());
        Attention.Options opt = new Attention.Options(
                null,
                norm(p + "q_norm.weight", hd),
                norm(p + "k_norm.weight", hd),
                true,
                Float.NaN,
                a.window(),
                null,
                (float) c.extras().attentionScale());
        return new Gemma4Attention(
                qkv,
                o,
                c.numHeads(),
                a.kvHeads(),
                hd,
                rope,
                opt,
                c.rmsNormEps(),
                norm(lp + "post_attention_layernorm.weight"));
    }

    private Gemma4Ffn ffn(int l, String p) throws ModelLoadException {
        int e = c.routedExperts();
        float[] scale = w.read(p + "router.scale", h);
        float root = (float) Math.pow(h, -0.5);
        for (int i = 0; i < h; i++) {
            scale[i] *= root;
        }
        Router router = new Router(RoutingRule.of(c), null, e, w.read(p + "router.per_expert_scale", e));
        MoeBlock moe = new MoeBlock(l, matrix(p + "router.proj.weight", e, h), router, experts(p), null, null);
        return new Gemma4Ffn(
                norm(p + "pre_feedforward_layernorm.weight"),
                dense(p + "mlp.", c.sharedWidth()),
                norm(p + "post_feedforward_layernorm_1.weight"),
                new RmsNorm(scale, c.rmsNormEps()),
                norm(p + "pre_feedforward_layernorm_2.weight"),
                moe,
                norm(p + "post_feedforward_layernorm_2.weight"),
                norm(p + "post_feedforward_layernorm.weight"));
    }

    /** experts.gate_up_proj [E, 2I, H] (gate rows, then up rows) and experts.down_proj [E, H, I], GELU-tanh. */
    private Expert[] experts(String p) throws ModelLoadException {
        int e = c.routedExperts();
        int width = c.expertWidth();
        TensorInfo gu = w.info(p + "experts.gate_up_proj");
        TensorInfo down = w.info(p + "experts.down_proj");
        w.expectShape(gu, e, 2L * width, h);
        w.expectShape(down, e, h, width);
        Expert[] out = new Expert[e];
        for (int i = 0; i < e; i++) {
            out[i] = new Mlp(
                    factory.stack(store, List.of(new RowBlock(gu, (long) i * 2 * width, 2 * width))),
                    factory.stack(store, List.of(new RowBlock(down, (long) i * h, h))),
                    true);
        }
        return out;
    }

    /** The dense MLP beside the experts: gate_proj/up_proj [I, H], down_proj [H, I], GELU-tanh. */
    private Mlp dense(String p, int width) throws ModelLoadException {
        return new Mlp(
                factory.stack(
                        store, List.of(block(p + "gate_proj.weight", width, h), block(p + "up_proj.weight", width, h))),
                matrix(p + "down_proj.weight", h, width),
                true);
    }

    private RmsNorm norm(String name) throws ModelLoadException {
        return norm(name, h);
    }

    private RmsNorm norm(String name, int width) throws ModelLoadException {
        return new RmsNorm(w.read(name, width), c.rmsNormEps());
    }

    private Matrix matrix(String name, int rows, int cols) throws ModelLoadException {
        return factory.stack(store, List.of(block(name, rows, cols)));
    }

    private RowBlock block(String name, int rows, int cols) throws ModelLoadException {
        TensorInfo t = w.info(name);
        w.expectShape(t, rows, cols);
        return RowBlock.whole(t);
    }
}
