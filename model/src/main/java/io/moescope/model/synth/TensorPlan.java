package io.moescope.model.synth;

import io.moescope.model.config.HybridAttention;
import io.moescope.model.config.LayerAttention;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.config.ShortConvLayers;
import io.moescope.model.family.ExpertLayout;
import io.moescope.model.family.Parts;
import io.moescope.model.io.Mxfp4;
import io.moescope.model.synth.SyntheticCheckpoint.Spec;
import io.moescope.model.trace.TokenMixer;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a checkpoint, derived from its parsed config and its family description ({@link Parts}): the same
 * names and shapes the loader reads, so a family added to the engine is a synth preset with no code here.
 * Routed experts use the family's per-expert layout when it has one (how most checkpoints are published), else its
 * first layout (Granite's fused input/output_linear, gpt_oss's MXFP4).
 */
final class TensorPlan {

    private final ModelConfig c;
    private final Parts parts;
    private final int h;
    private final List<Spec> out = new ArrayList<>();

    private TensorPlan(ModelConfig c) {
        this.c = c;
        this.parts = c.family().parts();
        this.h = c.hiddenSize();
    }

    static List<Spec> of(ModelConfig c) {
        return new TensorPlan(c).build();
    }

    private List<Spec> build() {
        Parts.Names names = parts.names();
        out.add(Spec.uniform("model.embed_tokens.weight", 1.0, c.vocabSize(), h));
        if (parts.attention() == Parts.Attention.GEMMA4) {
            gemma4();
            return out;
        }
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            out.add(norm(p + names.inputNorm(), h));
            out.add(norm(p + names.postNorm(), h));
            if (parts.attention() == Parts.Attention.MLA) {
                mla(p + "self_attn.");
            } else if (c.tokenMixer(l) == TokenMixer.SHORT_CONV) {
                shortConv(p + "conv.");
            } else if (c.isLinearAttention(l)) {
                deltaNet(p + "linear_attn.");
            } else {
                attention(p + "self_attn.");
            }
            if (c.isMoeLayer(l)) {
                moe(p);
            } else {
                String d = p + parts.denseMlp();
                mlp(
                        d,
                        names.denseGate(),
                        names.denseUp(),
                        names.denseDown(),
                        c.intermediateSize(),
                        c.extras().linearBias());
            }
        }
        out.add(norm(names.finalNorm(), h));
        if (!c.tieWordEmbeddings()) {
            out.add(linear("lm_head.weight", c.vocabSize(), h));
        }
        if (c.extras().linearBias()) {
            out.add(bias("lm_head.bias", c.vocabSize()));
        }
        return out;
    }

    /** A norm weight: ones, or zeros where the family stores it zero-centred (the hybrid Qwens' 1 + w). */
    private Spec norm(String name, int width) {
        return c.hybrid() != null ? Spec.zeros(name, width) : Spec.ones(name, width);
    }

    private void attention(String p) {
        Parts.Names names = parts.names();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        boolean gated = c.hybrid() != null; // the hybrid Qwens' q_proj also holds the output gate rows
        out.add(linear(p + "q_proj.weight", gated ? 2 * q : q, h));
        out.add(linear(p + "k_proj.weight", kv, h));
        out.add(linear(p + "v_proj.weight", kv, h));
        out.add(linear(p + names.outProj() + ".weight", h, q));
        if (c.qkvBias()) {
            out.add(bias(p + "q_proj.bias", gated ? 2 * q : q));
            out.add(bias(p + "k_proj.bias", kv));
            out.add(bias(p + "v_proj.bias", kv));
        }
        if (c.outputBias() || (gated && c.qkvBias())) {
            out.add(bias(p + names.outProj() + ".bias", h));
        }
        if (c.qkNorm() == ModelConfig.QkNorm.PER_HEAD) {
            out.add(norm(p + names.qNorm() + ".weight", c.headDim()));
            out.add(norm(p + names.kNorm() + ".weight", c.headDim()));
        } else if (c.qkNorm() == ModelConfig.QkNorm.FULL) {
            out.add(norm(p + names.qNorm() + ".weight", q));
            out.add(norm(p + names.kNorm() + ".weight", kv));
        }
        if (parts.sinks() != null) {
            out.add(Spec.uniform(p + parts.sinks(), 1.0, c.numHeads()));
        }
    }

    /** LFM2's gated short convolution (the names ShortConvLoader reads). */
    private void shortConv(String p) {
        ShortConvLayers sc = c.extras().shortConv();
        out.add(linear(p + "in_proj.weight", 3 * h, h));
        out.add(Spec.uniform(p + "conv.weight", 1 / Math.sqrt(sc.kernel()), h, 1, sc.kernel()));
        out.add(linear(p + "out_proj.weight", h, h));
        if (sc.bias()) {
            out.add(bias(p + "in_proj.bias", 3 * h));
            out.add(bias(p + "conv.bias", h));
            out.add(bias(p + "out_proj.bias", h));
        }
    }

    /** Gated DeltaNet (the names HybridLoader reads): Qwen3-Next's grouped projections or Qwen3.5's separate ones. */
    private void deltaNet(String p) {
        HybridAttention hy = c.hybrid();
        int nv = hy.valueHeads();
        if (hy.groupedProjections()) {
            out.add(linear(p + "in_proj_qkvz.weight", 2 * hy.keyDim() + 2 * hy.valueDim(), h));
            out.add(linear(p + "in_proj_ba.weight", 2 * nv, h));
        } else {
            out.add(linear(p + "in_proj_qkv.weight", hy.convChannels(), h));
            out.add(linear(p + "in_proj_z.weight", hy.valueDim(), h));
            out.add(linear(p + "in_proj_b.weight", nv, h));
            out.add(linear(p + "in_proj_a.weight", nv, h));
        }
        out.add(Spec.uniform(
                p + "conv1d.weight", 1 / Math.sqrt(hy.convKernel()), hy.convChannels(), 1, hy.convKernel()));
        out.add(Spec.zeros(p + "A_log", nv)); // decay rate exp(0) = 1 per softplus unit
        out.add(Spec.zeros(p + "dt_bias", nv));
        out.add(Spec.ones(p + "norm.weight", hy.valueHeadDim())); // the gated norm's plain weight
        out.add(linear(p + "out_proj.weight", h, hy.valueDim()));
    }

    /** Gemma 4 (the names Gemma4Loader reads): per-layer-type attention shapes, sandwich norms, MLP beside experts. */
    private void gemma4() {
        int e = c.routedExperts();
        int w = c.expertWidth();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            for (String n : new String[] {
                "input_layernorm",
                "post_attention_layernorm",
                "pre_feedforward_layernorm",
                "post_feedforward_layernorm",
                "post_feedforward_layernorm_1",
                "pre_feedforward_layernorm_2",
                "post_feedforward_layernorm_2"
            }) {
                out.add(Spec.ones(p + n + ".weight", h));
            }
            LayerAttention a = c.extras().layerAttention().get(l);
            int q = c.numHeads() * a.headDim();
            int kv = a.kvHeads() * a.headDim();
            String s = p + "self_attn.";
            out.add(linear(s + "q_proj.weight", q, h));
            out.add(linear(s + "k_proj.weight", kv, h));
            if (!a.valueIsKey()) {
                out.add(linear(s + "v_proj.weight", kv, h));
            }
            out.add(linear(s + "o_proj.weight", h, q));
            out.add(Spec.ones(s + "q_norm.weight", a.headDim()));
            out.add(Spec.ones(s + "k_norm.weight", a.headDim()));
            mlp(p + "mlp.", "gate_proj", "up_proj", "down_proj", c.sharedWidth(), false);
            out.add(linear(p + "router.proj.weight", e, h));
            out.add(Spec.ones(p + "router.scale", h));
            out.add(Spec.ones(p + "router.per_expert_scale", e));
            out.add(Spec.uniform(p + "experts.gate_up_proj", 1 / Math.sqrt(h), e, 2L * w, h));
            out.add(Spec.uniform(p + "experts.down_proj", 1 / Math.sqrt(w), e, h, w));
            out.add(Spec.ones(p + "layer_scalar", 1));
        }
        out.add(Spec.ones("model.norm.weight", h));
        if (!c.tieWordEmbeddings()) {
            out.add(linear("lm_head.weight", c.vocabSize(), h));
        }
    }

    /** DeepSeek-V2/V3 latent attention (the names MlaLoader reads). */
    private void mla(String p) {
        ModelConfig.Mla m = c.mla();
        int nh = c.numHeads();
        int qRows = nh * (m.qkNopeHeadDim() + m.qkRopeHeadDim());
        if (m.qLoraRank() > 0) {
            out.add(linear(p + "q_a_proj.weight", m.qLoraRank(), h));
            out.add(Spec.ones(p + "q_a_layernorm.weight", m.qLoraRank()));
            out.add(linear(p + "q_b_proj.weight", qRows, m.qLoraRank()));
        } else {
            out.add(linear(p + "q_proj.weight", qRows, h));
        }
        out.add(linear(p + "kv_a_proj_with_mqa.weight", m.kvLoraRank() + m.qkRopeHeadDim(), h));
        out.add(Spec.ones(p + "kv_a_layernorm.weight", m.kvLoraRank()));
        out.add(linear(p + "kv_b_proj.weight", nh * (m.qkNopeHeadDim() + m.vHeadDim()), m.kvLoraRank()));
        out.add(linear(p + "o_proj.weight", h, nh * m.vHeadDim()));
    }

    private void moe(String p) {
        ExpertLayout layout = parts.experts().stream()
                .filter(x -> x.kind() == ExpertLayout.Kind.PER_EXPERT)
                .findFirst()
                .orElse(parts.experts().get(0));
        String moe = p + layout.prefix();
        int e = c.routedExperts();
        int w = c.expertWidth();
        out.add(linear(moe + layout.router(), e, h));
        if (layout.routerBias() != null) {
            out.add(bias(moe + layout.routerBias(), e));
        }
        if (layout.selectionBias() != null && c.family().shipsSelectionBias()) {
            out.add(Spec.zeros(moe + layout.selectionBias(), e)); // DeepSeek-V3 and GLM start training at 0
        }
        String x = moe + "experts.";
        switch (layout.kind()) {
            case PER_EXPERT -> {
                for (int i = 0; i < e; i++) {
                    String q = x + i + ".";
                    out.add(linear(q + layout.gate() + ".weight", w, h));
                    out.add(linear(q + layout.up() + ".weight", w, h));
                    out.add(linear(q + layout.down() + ".weight", h, w));
                }
            }
            case FUSED -> {
                out.add(Spec.uniform(moe + layout.fusedGateUp(), 1 / Math.sqrt(h), e, 2L * w, h));
                out.add(Spec.uniform(moe + layout.fusedDown(), 1 / Math.sqrt(w), e, h, w));
            }
            case FUSED_TRANSPOSED -> {
                out.add(Spec.uniform(x + "gate_up_proj", 1 / Math.sqrt(h), e, h, 2L * w));
                out.add(Spec.uniform(x + "down_proj", 1 / Math.sqrt(w), e, w, h));
                expertBiases(x, e, w);
            }
            case MXFP4 -> {
                mxfp4(x + "gate_up_proj", e, 2 * w, h);
                mxfp4(x + "down_proj", e, h, w);
                expertBiases(x, e, w);
            }
        }
        Parts.SharedExpert sh = parts.shared();
        if (sh != null && c.hasSharedExperts()) {
            String q = (sh.atLayer() ? p : moe) + sh.prefix();
            if (sh.gateUp() != null) {
                out.add(linear(q + sh.gateUp(), 2 * c.sharedWidth(), h));
                out.add(linear(q + sh.down(), h, c.sharedWidth()));
            } else {
                mlp(
                        q,
                        "gate_proj",
                        "up_proj",
                        "down_proj",
                        c.sharedWidth(),
                        c.extras().linearBias());
            }
            if (sh.gate() != null) {
                out.add(linear(moe + sh.gate(), 1, h));
            }
        }
    }

    private void expertBiases(String x, int e, int w) {
        out.add(Spec.uniform(x + "gate_up_proj_bias", 0.02, e, 2L * w));
        out.add(Spec.uniform(x + "down_proj_bias", 0.02, e, h));
    }

    /** MXFP4 blocks [E, rows, cols/32, 16] of random FP4 codes, scales [E, rows, cols/32] giving std ≈ 1/√cols. */
    private void mxfp4(String name, int e, int rows, int cols) {
        long blocks = cols / Mxfp4.BLOCK;
        out.add(Spec.randomBytes(name + "_blocks", e, rows, blocks, Mxfp4.BLOCK_BYTES));
        // uniform codes have an RMS of about 2.9 (the E2M1 values 0 … 6 and their negatives)
        int exponent = (int) Math.round(Math.log(1 / Math.sqrt(cols) / 2.9) / Math.log(2));
        out.add(Spec.constantByte(name + "_scales", 127 + exponent, e, rows, blocks));
    }

    private void mlp(String p, String gate, String up, String down, int width, boolean withBias) {
        out.add(linear(p + gate + ".weight", width, h));
        out.add(linear(p + up + ".weight", width, h));
        out.add(linear(p + down + ".weight", h, width));
        if (withBias) {
            out.add(bias(p + gate + ".bias", width));
            out.add(bias(p + up + ".bias", width));
            out.add(bias(p + down + ".bias", h));
        }
    }

    private static Spec linear(String name, int rows, int cols) {
        return Spec.uniform(name, 1.0 / Math.sqrt(cols), rows, cols);
    }

    private static Spec bias(String name, int n) {
        return Spec.uniform(name, 0.02, n);
    }
}
