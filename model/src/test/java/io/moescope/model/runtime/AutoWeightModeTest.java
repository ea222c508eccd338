package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.io.DType;
import io.moescope.model.io.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --weights auto} on safetensors: which dtypes decide between FP32 copies and weights read in place. */
class AutoWeightModeTest {

    private static final long GB = 1L << 30;

    private static TensorInfo t(String name, DType dtype, long bytes) {
        return new TensorInfo(name, Path.of("model.safetensors"), dtype, new long[] {bytes}, 0, bytes);
    }

    @Test
    void mxfp4BlocksDoNotCountAsFp32Weights() {
        // gpt-oss-20b's proportions: 3.6 GB of BF16 attention/embedding/head, 10 GB of packed MXFP4 experts
        List<TensorInfo> gptOss = List.of(
                t("model.embed_tokens.weight", DType.BF16, 3_600_000_000L),
                t("model.layers.0.mlp.experts.gate_up_proj_blocks", DType.U8, 9_500_000_000L),
                t("model.layers.0.mlp.experts.gate_up_proj_scales", DType.U8, 600_000_000L));
        assertEquals(WeightMode.NATIVE, MoeModel.autoMode(gptOss, 8 * GB, 20 * GB, 20 * GB));
    }

    @Test
    void fp32AndF16FilesKeepFp32CopiesWhileTheyFit() {
        List<TensorInfo> f32 =
                List.of(t("model.embed_tokens.weight", DType.F32, 2 * GB), t("model.norm.weight", DType.BF16, 1024));
        assertEquals(WeightMode.FP32, MoeModel.autoMode(f32, 2 * GB, 20 * GB, 3 * GB));
        assertEquals(WeightMode.NATIVE, MoeModel.autoMode(f32, 2 * GB, GB, 3 * GB), "over the memory limit");
        assertEquals(WeightMode.NATIVE, MoeModel.autoMode(f32, 4 * GB, 20 * GB, 3 * GB), "over the Java heap");
    }

    @Test
    void bf16FilesStayMapped() {
        List<TensorInfo> bf16 = List.of(t("model.embed_tokens.weight", DType.BF16, GB));
        assertEquals(WeightMode.NATIVE, MoeModel.autoMode(bf16, 2 * GB, 20 * GB, 20 * GB));
    }
}
