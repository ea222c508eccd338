package io.moescope.model.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.model.api.Intervention;
import io.moescope.model.tensor.HeapMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-token decode path (experts and the shared expert side by side on the kernel pool) gives what the grouped
 * batch path gives for the same token, including the captured routing and shared/routed norms.
 */
class MoeBlockDecodeTest {

    private static HeapMatrix random(SplittableRandom rnd, int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() / Math.sqrt(cols));
        }
        return new HeapMatrix(w, rows, cols);
    }

    private static Mlp mlp(SplittableRandom rnd, int width, int h) {
        return new Mlp(random(rnd, 2 * width, h), random(rnd, h, width));
    }

    @Test
    void parallelDecodeEqualsBatchPath() {
        int h = 256;
        int width = 384; // 3·384·256 multiply-adds per expert: over the parallel-decode threshold (2^18)
        int e = 16;
        SplittableRandom rnd = new SplittableRandom(7);
        Mlp[] experts = new Mlp[e];
        for (int i = 0; i < e; i++) {
            experts[i] = mlp(rnd, width, h);
        }
        RoutingRule rule = new RoutingRule(true, "greedy", 1, 1, 4, false, 1.0, false, false);
        MoeBlock block =
                new MoeBlock(1, random(rnd, e, h), new Router(rule, null, e), experts, mlp(rnd, 2 * width, h), null);
        float[] x = new float[2 * h];
        for (int i = 0; i < h; i++) {
            x[i] = (float) rnd.nextGaussian();
            x[h + i] = x[i];
        }
        for (Intervention iv : new Intervention[] {Intervention.NONE, Intervention.NONE.withAlwaysOnOff(true)}) {
            LayerRouting one = new LayerRouting(1, 1);
            float[] y1 = new float[h];
            block.forward(x, 1, iv, one, y1);
            LayerRouting two = new LayerRouting(1, 2);
            float[] y2 = new float[2 * h];
            block.forward(x, 2, iv, two, y2);
            for (int i = 0; i < h; i++) {
                assertEquals(y2[i], y1[i], 1e-5 * (1 + Math.abs(y2[i])), "output " + i + " " + iv);
            }
            assertEquals(
                    java.util.Arrays.toString(two.routes[0].experts()),
                    java.util.Arrays.toString(one.routes[0].experts()));
            assertEquals(two.sharedNorm[0], one.sharedNorm[0], 1e-5 * (1 + two.sharedNorm[0]));
            assertEquals(two.routedNorm[0], one.routedNorm[0], 1e-5 * (1 + two.routedNorm[0]));
        }
    }
}
