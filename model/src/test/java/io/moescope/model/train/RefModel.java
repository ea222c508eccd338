package io.moescope.model.train;

import java.util.Map;

/**
 * Independent FP64 forward of the same DeepSeekMoE model (plain loops, no ND4J), with routing fixed from outside, used
 * as the finite-difference reference in {@link GradientCheckTest}.
 */
final class RefModel {
    private final ModelConfig c;
    private final int batch;
    private final int seq;
    private final BalanceConfig bc;

    RefModel(ModelConfig c, int batch, int seq, BalanceConfig bc) {
        this.c = c;
        this.batch = batch;
        this.seq = seq;
        this.bc = bc;
    }

    /** Mean cross-entropy + balance losses. sel[l]: [T·k] experts per slot for MoE layer l. */
    double loss(Map<String, double[]> p, int[] ids, int[] targets, int[][] sel) {
        int t = batch * seq;
        int d = c.hidden();
        double[][] h = new double[t][];
        for (int i = 0; i < t; i++) {
            h[i] = slice(p.get("model.embed_tokens.weight"), ids[i] * d, d);
        }
        double bal = 0;
        for (int l = 0; l < c.layers(); l++) {
            String pre = "model.layers." + l + ".";
            double[][] x = norm(h, p.get(pre + "input_layernorm.weight"));
            double[][] a = attention(p, pre + "self_attn.", x);
            for (int i = 0; i < t; i++) {
                h[i] = add(h[i], a[i]);
            }
            double[][] x2 = norm(h, p.get(pre + "post_attention_layernorm.weight"));
            double[][] f = new double[t][];
            if (c.isMoe(l)) {
                double[][] s = new double[t][];
                for (int i = 0; i < t; i++) {
                    double[] z = matvec(p.get(pre + "mlp.gate.weight"), c.nRouted(), x2[i]);
                    s[i] = softmax(z);
                    double zMax = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        zMax = Math.max(zMax, v);
                    }
                    double zSum = 0;
                    for (double v : z) {
                        zSum += Math.exp(v - zMax);
                    }
                    double lse = zMax + Math.log(zSum);
                    bal += bc.zLoss() * lse * lse / t;
                    f[i] = c.nShared() > 0
                            ? mlp(p, pre + "mlp.shared_experts.", c.sharedWidth(), x2[i])
                            : new double[d];
                    double chosen = 0;
                    for (int j = 0; j < c.topK(); j++) {
                        chosen += s[i][sel[l][i * c.topK() + j]];
                    }
                    double norm = c.normalisesGates() ? chosen : 1;
                    for (int j = 0; j < c.topK(); j++) {
                        int e = sel[l][i * c.topK() + j];
                        double[] y = mlp(p, pre + "mlp.experts." + e + ".", c.moeIntermediate(), x2[i]);
                        for (int q = 0; q < d; q++) {
                            f[i][q] += s[i][e] / norm * y[q];
                        }
                    }
                }
                bal += balance(s, sel[l]);
            } else {
                for (int i = 0; i < t; i++) {
                    f[i] = mlp(p, pre + "mlp.", c.intermediate(), x2[i]);
                }
            }
            for (int i = 0; i < t; i++) {
                h[i] = add(h[i], f[i]);
            }
        }
        double[][] xf = norm(h, p.get("model.norm.weight"));
        double ce = 0;
        for (int i = 0; i < t; i++) {
            double[] z = matvec(p.get("lm_head.weight"), c.vocab(), xf[i]);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            ce += Math.log(sum) + max - z[targets[i]];
        }
        return ce / t + bal;
    }

    private double balance(double[][] s, int[] sel) {
        if (bc.mode() != BalanceMode.AUX) {
            return 0;
        }
        int t = s.length;
        int e = c.nRouted();
        int k = c.topK();
        int g = bc.seqAux() ? seq : t;
        int per = e / bc.devices();
        double loss = 0;
        for (int start = 0; start < t; start += g) {
            double[] f = new double[e];
            double[] pm = new double[e];
            for (int i = start; i < start + g; i++) {
                for (int j = 0; j < k; j++) {
                    f[sel[i * k + j]] += (double) e / (k * g);
                }
                for (int q = 0; q < e; q++) {
                    pm[q] += s[i][q] / g;
                }
            }
            double part = 0;
            for (int q = 0; q < e; q++) {
                part += bc.alpha1() * f[q] * pm[q];
            }
            for (int dv = 0; dv < bc.devices(); dv++) {
                double fd = 0;
                double pd = 0;
                for (int q = dv * per; q < (dv + 1) * per; q++) {
                    fd += f[q] / per;
                    pd += pm[q];
                }
                part += bc.alpha2() * fd * pd;
            }
            loss += part / (t / g);
        }
        return loss;
    }

    private double[][] attention(Map<String, double[]> p, String pre, double[][] x) {
        int t = x.length;
        int d = c.hidden();
        int hd = c.headDim();
        double[][] q = new double[t][];
        double[][] k = new double[t][];
        double[][] v = new double[t][];
        for (int i = 0; i < t; i++) {
            q[i] = rope(matvec(p.get(pre + "q_proj.weight"), d, x[i]), i % seq);
            k[i] = rope(matvec(p.get(pre + "k_proj.weight"), d, x[i]), i % seq);
            v[i] = matvec(p.get(pre + "v_proj.weight"), d, x[i]);
        }
        double[][] out = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] ctx = new double[d];
            int b0 = (i / seq) * seq;
            for (int h = 0; h < c.heads(); h++) {
                double[] w = new double[i - b0 + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = b0; j <= i; j++) {
                    double dot = 0;
                    for (int r = 0; r < hd; r++) {
                        dot += q[i][h * hd + r] * k[j][h * hd + r];
                    }
                    w[j - b0] = dot / Math.sqrt(hd);
                    max = Math.max(max, w[j - b0]);
                }
                double sum = 0;
                for (int j = 0; j < w.length; j++) {
                    w[j] = Math.exp(w[j] - max);
                    sum += w[j];
                }
                for (int j = b0; j <= i; j++) {
                    for (int r = 0; r < hd; r++) {
                        ctx[h * hd + r] += w[j - b0] / sum * v[j][h * hd + r];
                    }
                }
            }
            out[i] = matvec(p.get(pre + "o_proj.weight"), d, ctx);
        }
        return out;
    }

    private double[] rope(double[] x, int pos) {
        int hd = c.headDim();
        int half = hd / 2;
        double[] y = x.clone();
        for (int h = 0; h < c.heads(); h++) {
            for (int i = 0; i < half; i++) {
                double ang = pos * Math.pow(c.ropeTheta(), -2.0 * i / hd);
                double x1 = x[h * hd + i];
                double x2 = x[h * hd + i + half];
                y[h * hd + i] = x1 * Math.cos(ang) - x2 * Math.sin(ang);
                y[h * hd + i + half] = x2 * Math.cos(ang) + x1 * Math.sin(ang);
            }
        }
        return y;
    }

    private double[] mlp(Map<String, double[]> p, String pre, int width, double[] x) {
        double[] g = matvec(p.get(pre + "gate_proj.weight"), width, x);
        double[] u = matvec(p.get(pre + "up_proj.weight"), width, x);
        for (int i = 0; i < width; i++) {
            g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        }
        return matvec(p.get(pre + "down_proj.weight"), c.hidden(), g);
    }

    private double[][] norm(double[][] h, double[] w) {
        double[][] out = new double[h.length][];
        for (int i = 0; i < h.length; i++) {
            double ss = 0;
            for (double v : h[i]) {
                ss += v * v;
            }
            double r = 1 / Math.sqrt(ss / h[i].length + c.rmsEps());
            out[i] = new double[h[i].length];
            for (int j = 0; j < h[i].length; j++) {
                out[i][j] = w[j] * h[i][j] * r;
            }
        }
        return out;
    }

    /** W [rows, x.length] · x. */
    static double[] matvec(double[] w, int rows, double[] x) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += w[r * x.length + j] * x[j];
            }
            y[r] = s;
        }
        return y;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[] slice(double[] a, int off, int n) {
        double[] out = new double[n];
        System.arraycopy(a, off, out, 0, n);
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
