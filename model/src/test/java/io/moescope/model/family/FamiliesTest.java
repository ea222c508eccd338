package io.moescope.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry and the declarative GGUF part of each description. */
class FamiliesTest {

    @Test
    void everyModelTypeHasOneDescription() {
        Map<String, String> arch = Map.ofEntries(
                Map.entry("deepseek", "deepseek"),
                Map.entry("deepseek_v2", "deepseek2"),
                Map.entry("deepseek_v3", "deepseek2"),
                Map.entry("mixtral", "llama"),
                Map.entry("qwen2_moe", "qwen2moe"),
                Map.entry("qwen3_moe", "qwen3moe"),
                Map.entry("olmoe", "olmoe"),
                Map.entry("gpt_oss", "gpt-oss"),
                Map.entry("glm4_moe", "glm4moe"),
                Map.entry("ernie4_5_moe", "ernie4_5-moe"),
                Map.entry("granitemoe", "granitemoe"),
                Map.entry("granitemoeshared", "granitemoe"),
                Map.entry("qwen3_next", "qwen3next"),
                Map.entry("qwen3_5_moe_text", "qwen35moe"),
                Map.entry("lfm2_moe", "lfm2moe"),
                Map.entry("gemma4_text", "gemma4"));
        assertEquals(arch.keySet().size(), Families.all().size());
        for (ModelFamily f : Families.all()) {
            assertEquals(f, Families.forModelType(f.modelType()));
            assertEquals(arch.get(f.modelType()), f.gguf().arch(), f.modelType());
            assertEquals(f.modelType(), f.toString());
            assertFalse(f.parts().experts().isEmpty(), f.modelType());
        }
        assertNull(Families.forModelType("llama"));
        assertEquals(Families.forModelType("gemma4_text"), Families.forWrapperType("gemma4"));
    }

    @Test
    void ggufNamesCoverRouterExpertsAndNorms() {
        for (ModelFamily f : Families.all()) {
            GgufForm g = f.gguf();
            String arch = g.arch();
            assertTrue(g.tensors().containsValue("token_embd.weight"), arch);
            assertTrue(g.tensors().containsValue("blk.{N}.ffn_gate_inp.weight"), arch);
            assertTrue(g.tensors().containsValue("blk.{N}.ffn_down_exps.weight"), arch);
            assertTrue(g.tensors().containsValue("blk.{N}.attn_output.weight"), arch);
            assertTrue(g.metadata().values().stream().allMatch(k -> k.startsWith(arch + ".")), arch);
            assertEquals(arch + ".expert_used_count", g.metadata().get("num_experts_per_tok"));
        }
        assertEquals(
                "blk.{N}.ffn_gate_inp_shexp.weight",
                Families.forModelType("qwen2_moe")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.mlp.shared_expert_gate.weight"));
        assertEquals(
                "blk.{N}.exp_probs_b.bias",
                Families.forModelType("deepseek_v3")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.mlp.gate.e_score_correction_bias"));
        assertEquals(
                "blk.{N}.ffn_gate_exps.weight",
                Families.forModelType("mixtral")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.block_sparse_moe.experts.{E}.w1.weight"));
        assertEquals(
                "blk.{N}.ssm_ba.weight",
                Families.forModelType("qwen3_next")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.linear_attn.in_proj_ba.weight"));
        assertEquals(
                "blk.{N}.attn_gate.weight",
                Families.forModelType("qwen3_5_moe_text")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.linear_attn.in_proj_z.weight"));
        assertEquals(
                "qwen35moe.ssm.conv_kernel",
                Families.forModelType("qwen3_5_moe_text").gguf().metadata().get("linear_conv_kernel_dim"));
        assertEquals(
                "blk.{N}.post_attention_norm.weight",
                Families.forModelType("glm4_moe")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.post_attention_layernorm.weight"));
        assertEquals(
                "blk.{N}.exp_probs_b.bias",
                Families.forModelType("ernie4_5_moe")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.mlp.moe_statics.e_score_correction_bias"));
        assertEquals(
                "blk.{N}.ffn_up_shexp.weight",
                Families.forModelType("granitemoeshared")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.shared_mlp.input_linear.weight[up]"));
        GgufForm lfm2 = Families.forModelType("lfm2_moe").gguf();
        assertEquals("token_embd_norm.weight", lfm2.tensors().get("model.embedding_norm.weight"));
        assertEquals("blk.{N}.shortconv.conv.weight", lfm2.tensors().get("model.layers.{N}.conv.conv.weight"));
        assertEquals("blk.{N}.exp_probs_b.bias", lfm2.tensors().get("model.layers.{N}.feed_forward.expert_bias"));
        assertEquals("blk.{N}.attn_norm.weight", lfm2.tensors().get("model.layers.{N}.operator_norm.weight"));
        assertFalse(lfm2.tensors().containsKey("model.norm.weight"));
        assertEquals("lfm2moe.shortconv.l_cache", lfm2.metadata().get("conv_L_cache"));
        assertEquals("lfm2moe.attention.layer_norm_rms_epsilon", lfm2.metadata().get("norm_eps"));
        assertEquals(
                "blk.{N}.ffn_gate_up_exps.weight",
                Families.forModelType("gemma4_text").gguf().tensors().get("model.layers.{N}.experts.gate_up_proj"));
        assertEquals(
                "blk.{N}.ffn_norm.weight",
                Families.forModelType("gemma4_text")
                        .gguf()
                        .tensors()
                        .get("model.layers.{N}.pre_feedforward_layernorm.weight"));
        assertEquals(
                "granitemoe.logit_scale",
                Families.forModelType("granitemoe").gguf().metadata().get("logits_scaling"));
    }
}
