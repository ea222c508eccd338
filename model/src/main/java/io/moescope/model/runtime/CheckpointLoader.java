package io.moescope.model.runtime;

import io.moescope.model.config.ModelConfig;
import io.moescope.model.family.ExpertLayout;
import io.moescope.model.family.Parts;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import io.moescope.model.layer.Attention;
import io.moescope.model.layer.AttentionLayer;
import io.moescope.model.layer.BiasedMatrix;
import io.moescope.model.layer.Expert;
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
import io.moescope.model.trace.TokenMixer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Builds a {@link Transformer} from config + weights, with the tensor names and parts the family describes
 * ({@link Parts}); routed experts are read by {@link ExpertLoader}.
 */
final class CheckpointLoader {

    private final ModelConfig c;
    private final Weights w;
    private final TensorSource store;
    private final MatrixFactory factory;
    private final int h;
    private final Parts parts;
    private final Parts.Names names;
    private final ExpertLoader experts;

    private CheckpointLoader(ModelConfig c, TensorSource store, MatrixFactory factory) {
        this.c = c;
        this.w = new Weights(store);
        this.store = store;
        this.factory = factory;
        this.h = c.hiddenSize();
        this.parts = c.family().parts();
        this.names = parts.names();
        this.experts = new ExpertLoader(c, store, factory);
    }

    static Transformer load(
            ModelConfig c, TensorSource store, MatrixFactory factory, LoadProgress progress, BooleanSupplier cancelled)
            throws ModelLoadException {
        if (c.family().parts().attention() == Parts.Attention.GEMMA4) {
            return Gemma4Loader.load(c, store, factory, progress, cancelled);
        }
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
            RmsNorm in = norm(p + names.inputNorm(), h);
            RmsNorm post = norm(p + names.postNorm(), h);
            FeedForward ffn = c.isMoeLayer(l) ? moe(l, p) : FeedForward.dense(denseMlp(p + parts.denseMlp()));
            layers[l] = new DecoderLayer(l, in, attention(l, p), post, ffn);
        }
        progress.update(total - 1, total, "output head");
        RmsNorm finalNorm = norm(names.finalNorm(), h);
        Matrix head;
        if (!c.tieWordEmbeddings() && w.has("lm_head.weight")) {
            head = matrix("lm_head.weight", c.vocabSize(), h);
        } else {
            head = matrix("model.embed_tokens.weight", c.vocabSize(), h);
        }
        if (c.extras().linearBias()) { // ERNIE use_bias: lm_head has a bias even when its weight is tied
            head = new BiasedMatrix(head, w.read("lm_head.bias", c.vocabSize()));
        }
        progress.update(total, total, "done");
        return new Transformer(c, embed, layers, finalNorm, head);
    }

    /** The hybrid families store zero-centred norm weights (the norm multiplies by 1 + weight). */
    private RmsNorm norm(String name, int width) throws ModelLoadException {
        float[] weight = w.read(name, width);
        return new RmsNorm(c.hybrid() != null ? HybridLoader.centred(weight) : weight, c.rmsNormEps());
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

    /** l = the layer, lp = "model.layers.L." */
    private AttentionLayer attention(int l, String lp) throws ModelLoadException {
        if (parts.attention() == Parts.Attention.HYBRID) {
            return new HybridLoader(c, store, factory).attention(l, lp);
        }
        if (c.tokenMixer(l) == TokenMixer.SHORT_CONV) {
            return new ShortConvLoader(c, store, factory).conv(lp);
        }
        String p = lp + "self_attn.";
        if (parts.attention() == Parts.Attention.MLA) { // layers >= num_hidden_layers (MTP) are never read
            return new MlaLoader(c, store, factory).attention(p);
        }
        int hd = c.headDim();
        int qDim = c.numHeads() * hd;
        int kvDim = c.numKvHeads() * hd;
        Matrix qkv = stack(
                block(p + "q_proj.weight", qDim, h),
                block(p + "k_proj.weight", kvDim, h),
                block(p + "v_proj.weight", kvDim, h));
        Matrix o = matrix(p + names.outProj() + ".weight", h, qDim);
        float[] bias = null;
        if (c.qkvBias()) {
            bias = new float[qDim + 2 * kvDim];
            System.arraycopy(w.read(p + "q_proj.bias", qDim), 0, bias, 0, qDim);
            System.arraycopy(w.read(p + "k_proj.bias", kvDim), 0, bias, qDim, kvDim);
            System.arraycopy(w.read(p + "v_proj.bias", kvDim), 0, bias, qDim + kvDim, kvDim);
        }
        if (c.outputBias()) {
            o = new BiasedMatrix(o, w.read(p + names.outProj() + ".bias", h));
        }
        RmsNorm qn = null;
        RmsNorm kn = null;
        if (c.qkNorm() == ModelConfig.QkNorm.PER_HEAD) {
            qn = norm(p + names.qNorm() + ".weight", hd);
            kn = norm(p + names.kNorm() + ".weight", hd);
        } else if (c.qkNorm() == ModelConfig.QkNorm.FULL) {
            qn = norm(p + names.qNorm() + ".weight", qDim);
            kn = norm(p + names.kNorm() + ".weight", kvDim);
        }
        float[] sinks = parts.sinks() == null ? null : w.read(p + parts.sinks(), c.numHeads());
        Attention.Options opt = new Attention.Options(
                bias,
                qn,
                kn,
                c.qkNorm() == ModelConfig.QkNorm.PER_HEAD,
                (float) c.clipQkv(),
                c.windowOf(l),
                sinks,
                (float) c.extras().attentionScale());
        Rope rope = new Rope(c.extras().rotaryDim(hd), c.rope(), parts.rope() == Parts.RopeLayout.INTERLEAVED);
        return new Attention(qkv, o, c.numHeads(), c.numKvHeads(), hd, rope, opt);
    }

    /** A selection bias of E values: [E], or ERNIE's moe_statics [1, E] (one row per modality group). */
    private float[] selectionBias(String name, int e) throws ModelLoadException {
        long[] shape = w.info(name).shape();
        return shape.length == 2 && shape[0] == 1 ? w.read(name, 1, e) : w.read(name, e);
    }

    private Mlp mlp(String p, int width) throws ModelLoadException {
        return experts.mlp(p, width);
    }

    /** The dense MLP of a non-MoE layer under {@code p}, with the family's projection names. */
    private Mlp denseMlp(String p) throws ModelLoadException {
        if (names.denseGate().equals(Parts.Names.STANDARD.denseGate())) {
            return mlp(p, c.intermediateSize()); // with ERNIE's biases where the config has them
        }
        return experts.mlp(
                p + names.denseGate() + ".weight",
                p + names.denseUp() + ".weight",
                p + names.denseDown() + ".weight",
                c.intermediateSize());
    }

    /** The shared expert(s) of layer {@code p}, under the MoE prefix {@code moe} or the layer as the family says. */
    private Mlp shared(String p, String moe, Parts.SharedExpert sh) throws ModelLoadException {
        String q = (sh.atLayer() ? p : moe) + sh.prefix();
        if (sh.gateUp() != null) {
            return experts.fusedMlp(q + sh.gateUp(), q + sh.down(), c.sharedWidth());
        }
        return mlp(q, c.sharedWidth());
    }

    private FeedForward moe(int l, String p) throws ModelLoadException {
        int e = c.routedExperts();
        ExpertLayout layout = experts.layoutOf(p);
        String moe = p + layout.prefix();
        Matrix gate = matrix(moe + layout.router(), e, h);
        if (layout.routerBias() != null) {
            gate = new BiasedMatrix(gate, w.read(moe + layout.routerBias(), e));
        }
        Expert[] routed = experts.routed(p, layout);
        Mlp shared = null;
        float[] sharedGate = null;
        Parts.SharedExpert sh = parts.shared();
        if (c.hasSharedExperts() && sh != null) {
            shared = shared(p, moe, sh);
            if (sh.gate() != null) {
                sharedGate = w.read(moe + sh.gate(), 1, h);
            }
        }
        String sel = layout.selectionBias();
        float[] bias = sel != null && w.has(moe + sel) ? selectionBias(moe + sel, e) : null;
        Router router = new Router(RoutingRule.of(c), bias, e);
        return new MoeBlock(l, gate, router, routed, shared, sharedGate);
    }
}
