package io.moescope.model.family;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A family's GGUF form (llama.cpp, /work/shared/docs/gguf.md §2–3), as data for a GGUF loader: the architecture
 * name, the tensor-name map and the metadata keys. Templates use {@code {N}} for the layer and {@code {E}} for an
 * expert; GGUF stacks the experts of a layer into one {@code _exps} tensor ([E, out, in] in numpy order), so
 * every {@code experts.{E}.*} name maps to one stacked tensor.
 *
 * @param arch     {@code general.architecture}, e.g. {@code qwen3moe}; metadata keys are {@code {arch}.<suffix>}
 * @param tensors  safetensors name template → GGUF name template
 * @param metadata config.json key → GGUF metadata key (with the arch prefix)
 * @param fixed    config.json values that llama.cpp hard-codes for this architecture where they are not stored
 *                 (e.g. olmoe and qwen2moe never renormalise the top-k weights), so a GGUF model runs as
 *                 llama.cpp runs the file
 * @param permutedQk true if the converter permutes q/k rows to interleaved RoPE (gguf.md §3.4: {@code llama},
 *                 {@code deepseek}); a loader permutes them back
 * @param rowVectors safetensors names of tensors whose unit dimension GGUF drops: [1, n] stored as [n] (qwen2moe's
 *                 shared-expert gate), [a, 1, b] stored as [a, b] (LFM2's short-convolution weight)
 * @param stored   safetensors name template → how the converter changed the values (Qwen3-Next/3.5: 1 + w norms,
 *                 −exp(A_log)); a loader undoes it on read
 */
public record GgufForm(
        String arch,
        Map<String, String> tensors,
        Map<String, String> metadata,
        Map<String, Object> fixed,
        boolean permutedQk,
        Set<String> rowVectors,
        Map<String, Stored> stored) {

    public GgufForm {
        tensors = Map.copyOf(tensors);
        metadata = Map.copyOf(metadata);
        fixed = Map.copyOf(fixed);
        rowVectors = Set.copyOf(rowVectors);
        stored = Map.copyOf(stored);
    }

    /** A value change the converter applies to a tensor, and its inverse. */
    public enum Stored {
        /** The file holds 1 + w (Qwen3-Next's zero-centred RMSNorm weights, stored as the norm uses them). */
        ONE_PLUS,
        /** The file holds −exp(w) (Qwen3-Next's A_log, stored as the decay rate the DeltaNet uses). */
        MINUS_EXP;

        /** w from the stored value. */
        public float undo(float stored) {
            return this == ONE_PLUS ? stored - 1f : (float) Math.log(-(double) stored);
        }
    }

    /** Starts a form with the tensors and keys every architecture shares (gguf.md §2.1, §3.1). */
    static Builder of(String arch) {
        Builder b = new Builder(arch);
        b.tensor("model.embed_tokens.weight", "token_embd.weight")
                .tensor("model.norm.weight", "output_norm.weight")
                .tensor("lm_head.weight", "output.weight")
                .tensor(L + "input_layernorm.weight", "blk.{N}.attn_norm.weight")
                .tensor(L + "post_attention_layernorm.weight", "blk.{N}.ffn_norm.weight");
        b.key("max_position_embeddings", "context_length")
                .key("hidden_size", "embedding_length")
                .key("num_hidden_layers", "block_count")
                .key("num_attention_heads", "attention.head_count")
                .key("num_key_value_heads", "attention.head_count_kv")
                .key("rms_norm_eps", "attention.layer_norm_rms_epsilon")
                .key("rope_theta", "rope.freq_base")
                .key("num_experts_per_tok", "expert_used_count")
                .key("vocab_size", "vocab_size");
        return b;
    }

    /** Layer prefix of safetensors names. */
    static final String L = "model.layers.{N}.";

    /** Collects a form. */
    static final class Builder {
        private final String arch;
        private final Map<String, String> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Object> fixed = new LinkedHashMap<>();
        private final Set<String> rowVectors = new LinkedHashSet<>();
        private final Map<String, Stored> stored = new LinkedHashMap<>();
        private boolean permutedQk;

        Builder(String arch) {
            this.arch = arch;
        }

        Builder tensor(String hf, String gguf) {
            tensors.put(hf, gguf);
            return this;
        }

        /** The standard q/k/v/o attention (with {@code bias} entries when the family has biases). */
        Builder attention(boolean qkvBias) {
            tensor(L + "self_attn.q_proj.weight", "blk.{N}.attn_q.weight");
            tensor(L + "self_attn.k_proj.weight", "blk.{N}.attn_k.weight");
            tensor(L + "self_attn.v_proj.weight", "blk.{N}.attn_v.weight");
            tensor(L + "self_attn.o_proj.weight", "blk.{N}.attn_output.weight");
            if (qkvBias) {
                tensor(L + "self_attn.q_proj.bias", "blk.{N}.attn_q.bias");
                tensor(L + "self_attn.k_proj.bias", "blk.{N}.attn_k.bias");
                tensor(L + "self_attn.v_proj.bias", "blk.{N}.attn_v.bias");
            }
            return this;
        }

        /** Router and per-expert SwiGLU projections under {@code moe} with the given projection names. */
        Builder experts(String moe, String gate, String up, String down) {
            tensor(L + moe + "gate.weight", "blk.{N}.ffn_gate_inp.weight");
            tensor(L + moe + "experts.{E}." + gate + ".weight", "blk.{N}.ffn_gate_exps.weight");
            tensor(L + moe + "experts.{E}." + up + ".weight", "blk.{N}.ffn_up_exps.weight");
            tensor(L + moe + "experts.{E}." + down + ".weight", "blk.{N}.ffn_down_exps.weight");
            return this;
        }

        /** The dense MLP of non-MoE layers. */
        Builder denseMlp() {
            tensor(L + "mlp.gate_proj.weight", "blk.{N}.ffn_gate.weight");
            tensor(L + "mlp.up_proj.weight", "blk.{N}.ffn_up.weight");
            tensor(L + "mlp.down_proj.weight", "blk.{N}.ffn_down.weight");
            return this;
        }

        /** Shared expert projections under {@code prefix} (gate/up/down_proj → {@code ffn_*_shexp}). */
        Builder shared(String prefix) {
            tensor(L + prefix + "gate_proj.weight", "blk.{N}.ffn_gate_shexp.weight");
            tensor(L + prefix + "up_proj.weight", "blk.{N}.ffn_up_shexp.weight");
            tensor(L + prefix + "down_proj.weight", "blk.{N}.ffn_down_shexp.weight");
            return this;
        }

        /** Drops a shared tensor the family does not have (LFM2 renames the norms). */
        Builder without(String hf) {
            tensors.remove(hf);
            return this;
        }

        /** Drops a shared metadata key the family spells otherwise (LFM2's norm_eps). */
        Builder withoutKey(String hf) {
            metadata.remove(hf);
            return this;
        }

        /** config.json key → {@code {arch}.suffix}. */
        Builder key(String hf, String suffix) {
            metadata.put(hf, arch + "." + suffix);
            return this;
        }

        /** A config.json value llama.cpp assumes for this architecture (not stored in the file). */
        Builder fixed(String hf, Object value) {
            fixed.put(hf, value);
            return this;
        }

        /** The converter permutes q/k rows (and biases) to interleaved RoPE. */
        Builder permutedQk() {
            permutedQk = true;
            return this;
        }

        /** A [1, n] safetensors tensor stored as [n], or an [a, 1, b] one stored as [a, b]. */
        Builder rowVector(String hf, String gguf) {
            rowVectors.add(hf);
            return tensor(hf, gguf);
        }

        /** The converter stored {@code hf}'s values changed as {@code how} says. */
        Builder stored(String hf, Stored how) {
            stored.put(hf, how);
            return this;
        }

        GgufForm build() {
            return new GgufForm(arch, tensors, metadata, fixed, permutedQk, rowVectors, stored);
        }
    }
}
