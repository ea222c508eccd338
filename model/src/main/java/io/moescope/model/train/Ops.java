package io.moescope.model.train;

/** Fused FP32 loops over row-major float[] buffers. */
final class Ops {
    private Ops() {}

    /** y = w ⊙ x / rms(x) per row; stores 1/rms in rstd. x, y: [T, D]; w: [D]; rstd: [T]. */
    static void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int rows, int d, double eps) {
        for (int t = 0; t < rows; t++) {
            int o = t * d;
            double ss = 0;
            for (int j = 0; j < d; j++) {
                ss += (double) x[o + j] * x[o + j];
            }
            float r = (float) (1.0 / Math.sqrt(ss / d + eps));
            rstd[t] = r;
            for (int j = 0; j < d; j++) {
                y[o + j] = w[j] * x[o + j] * r;
            }
        }
    }

    /** RMSNorm backward: dx (+)= ∂L/∂x, gw += ∂L/∂w. dy, x, dx: [T, D]. */
    static void rmsNormBackward(
            float[] dy,
            float[] x,
            float[] w,
            float[] rstd,
            float[] dx,
            float[] gw,
            int rows,
            int d,
            boolean accumulate) {
        for (int t = 0; t < rows; t++) {
            int o = t * d;
            float r = rstd[t];
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) w[j] * dy[o + j] * x[o + j];
                gw[j] += dy[o + j] * x[o + j] * r;
            }
            float c = (float) (dot / d) * r * r * r;
            for (int j = 0; j < d; j++) {
                float g = r * w[j] * dy[o + j] - c * x[o + j];
                dx[o + j] = accumulate ? dx[o + j] + g : g;
            }
        }
    }

    /** h = SiLU(a) ⊙ b over the first n values. */
    static void swiglu(float[] a, float[] b, float[] h, int n) {
        for (int i = 0; i < n; i++) {
            float s = 1f / (1f + (float) Math.exp(-a[i]));
            h[i] = a[i] * s * b[i];
        }
    }

    /** SwiGLU backward in place: on entry da holds ∂L/∂h; on exit da = ∂L/∂a, db = ∂L/∂b. */
    static void swigluBackward(float[] a, float[] b, float[] da, float[] db, int n) {
        for (int i = 0; i < n; i++) {
            float s = 1f / (1f + (float) Math.exp(-a[i]));
            float dh = da[i];
            float silu = a[i] * s;
            db[i] = dh * silu;
            da[i] = dh * b[i] * s * (1f + a[i] * (1f - s));
        }
    }

    /** lse[t] = log Σ_i exp(z[t, i]) over rows of z [rows, n], computed around the row maximum. */
    static void logSumExpRows(float[] z, float[] lse, int rows, int n) {
        for (int t = 0; t < rows; t++) {
            int o = t * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, z[o + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(z[o + i] - max);
            }
            lse[t] = (float) (max + Math.log(sum));
        }
    }

    /** Row-wise softmax of z [rows, n] into p. */
    static void softmaxRows(float[] z, float[] p, int rows, int n) {
        for (int t = 0; t < rows; t++) {
            int o = t * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, z[o + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(z[o + i] - max);
                p[o + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) {
                p[o + i] *= inv;
            }
        }
    }

    /**
     * Cross-entropy over logits [T, V] with targets; writes ∂(mean loss)/∂logits into the logits array and the per-row
     * loss into rowLoss [T]. Returns the mean loss.
     */
    static double crossEntropy(float[] logits, int[] targets, float[] rowLoss, int rows, int v) {
        double total = 0;
        float scale = 1f / rows;
        for (int t = 0; t < rows; t++) {
            int o = t * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < v; i++) {
                max = Math.max(max, logits[o + i]);
            }
            double zt = logits[o + targets[t]] - max;
            double sum = 0;
            for (int i = 0; i < v; i++) {
                float e = (float) Math.exp(logits[o + i] - max);
                logits[o + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            double loss = Math.log(sum) - zt;
            rowLoss[t] = (float) loss;
            total += loss;
            for (int i = 0; i < v; i++) {
                logits[o + i] *= inv * scale;
            }
            logits[o + targets[t]] -= scale;
        }
        return total / rows;
    }

    /** Rotary embedding, half layout, on rows [T, nHeads·hd] with per-row positions; inverse rotates back. */
    static void rope(float[] x, int rows, int nHeads, int hd, int seqLen, float[] cos, float[] sin, boolean inverse) {
        int half = hd / 2;
        int width = nHeads * hd;
        for (int t = 0; t < rows; t++) {
            int p = t % seqLen;
            for (int h = 0; h < nHeads; h++) {
                int o = t * width + h * hd;
                for (int i = 0; i < half; i++) {
                    float c = cos[p * half + i];
                    float s = inverse ? -sin[p * half + i] : sin[p * half + i];
                    float x1 = x[o + i];
                    float x2 = x[o + i + half];
                    x[o + i] = x1 * c - x2 * s;
                    x[o + i + half] = x2 * c + x1 * s;
                }
            }
        }
    }

    /** cos/sin tables [maxPos, hd/2] for θ_i = base^(−2i/hd). */
    static float[][] ropeTables(int maxPos, int hd, double base) {
        int half = hd / 2;
        float[] cos = new float[maxPos * half];
        float[] sin = new float[maxPos * half];
        for (int p = 0; p < maxPos; p++) {
            for (int i = 0; i < half; i++) {
                double ang = p * Math.pow(base, -2.0 * i / hd);
                cos[p * half + i] = (float) Math.cos(ang);
                sin[p * half + i] = (float) Math.sin(ang);
            }
        }
        return new float[][] {cos, sin};
    }
}
