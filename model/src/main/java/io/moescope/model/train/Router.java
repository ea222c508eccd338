package io.moescope.model.train;

import java.util.Arrays;

/**
 * Softmax router state for one MoE layer and one batch: scores, greedy top-k selection (optionally biased), the
 * expert-sorted row layout used to gather tokens, and the DeepSeekMoE balance losses with their score gradients.
 */
final class Router {
    final int rows;
    final int experts;
    final int k;
    final float[] scores; // [T, E] softmax probabilities
    final int[] sel; // [T, k] chosen expert per slot
    final float[] gate; // [T, k] unbiased score of the chosen expert, divided by the chosen scores' sum if normalised
    final boolean normalise;
    final float[] chosenSum; // [T] sum of the k chosen scores (1 when not normalised)
    final int[] pos; // [T, k] row of this slot in the expert-sorted buffer
    final int[] counts; // [E]
    final int[] offsets; // [E + 1]
    final float[] bias; // [E] selection-only bias (aux-free)

    Router(int rows, int experts, int k, boolean normalise) {
        this.rows = rows;
        this.experts = experts;
        this.k = k;
        this.normalise = normalise;
        chosenSum = new float[rows];
        scores = new float[rows * experts];
        sel = new int[rows * k];
        gate = new float[rows * k];
        pos = new int[rows * k];
        counts = new int[experts];
        offsets = new int[experts + 1];
        bias = new float[experts];
    }

    /** From router logits [T, E]: softmax, top-k of (score + bias), sort slots by expert. */
    void route(float[] logits) {
        Ops.softmaxRows(logits, scores, rows, experts);
        Arrays.fill(counts, 0);
        boolean[] taken = new boolean[experts];
        for (int t = 0; t < rows; t++) {
            Arrays.fill(taken, false);
            int o = t * experts;
            for (int j = 0; j < k; j++) {
                int best = -1;
                float bestC = Float.NEGATIVE_INFINITY;
                for (int e = 0; e < experts; e++) {
                    float c = scores[o + e] + bias[e];
                    if (!taken[e] && c > bestC) {
                        bestC = c;
                        best = e;
                    }
                }
                taken[best] = true;
                sel[t * k + j] = best;
                gate[t * k + j] = scores[o + best];
                counts[best]++;
            }
        }
        normaliseGates();
        layout();
    }

    /** Divides each token's k gates by their sum when normalising; records the sums for the backward pass. */
    void normaliseGates() {
        for (int t = 0; t < rows; t++) {
            float sum = 1;
            if (normalise) {
                sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += gate[t * k + j];
                }
                for (int j = 0; j < k; j++) {
                    gate[t * k + j] /= sum;
                }
            }
            chosenSum[t] = sum;
        }
    }

    /**
     * Adds ∂L/∂scores [T, E] from ∂L/∂gate [T, k]. Without normalisation gate = score; with it g_j = s_j / S (S = sum of
     * the chosen scores), so ∂L/∂s_m = (∂L/∂g_m − Σ_j ∂L/∂g_j·g_j) / S for each chosen m.
     */
    void gateBackward(float[] dgate, float[] dScores) {
        for (int t = 0; t < rows; t++) {
            double dot = 0;
            if (normalise) {
                for (int j = 0; j < k; j++) {
                    dot += (double) dgate[t * k + j] * gate[t * k + j];
                }
            }
            for (int j = 0; j < k; j++) {
                int i = t * k + j;
                dScores[t * experts + sel[i]] += (float) ((dgate[i] - dot) / chosenSum[t]);
            }
        }
    }

    /**
     * Router z-loss β·mean_t(lse_t)² over logits [T, E] (read before they are overwritten); returns its value and
     * stores ∂/∂z_te = 2β·lse_t·softmax_te / T into dz [T, E] (added to it).
     */
    double zLoss(double beta, float[] lse, float[] dz) {
        if (beta == 0) {
            return 0;
        }
        double loss = 0;
        for (int t = 0; t < rows; t++) {
            loss += (double) lse[t] * lse[t];
            double c = 2 * beta * lse[t] / rows;
            for (int e = 0; e < experts; e++) {
                dz[t * experts + e] += (float) (c * scores[t * experts + e]);
            }
        }
        return beta * loss / rows;
    }

    /** Recomputes pos/offsets from sel (expert-major, token order within an expert). */
    void layout() {
        offsets[0] = 0;
        for (int e = 0; e < experts; e++) {
            offsets[e + 1] = offsets[e] + counts[e];
        }
        int[] fill = Arrays.copyOf(offsets, experts);
        for (int i = 0; i < rows * k; i++) {
            pos[i] = fill[sel[i]]++;
        }
    }

    /**
     * DeepSeekMoE balance losses over token groups of size {@code group} (T for batch-level, S for seq_aux), averaged over
     * groups. Adds α·∂L/∂scores into dScores [T, E]; returns the loss value. f_i = E/(k·G)·count_i, P_i = mean score.
     */
    double balanceLoss(BalanceConfig bc, int group, float[] dScores) {
        if (bc.mode() != BalanceMode.AUX || (bc.alpha1() == 0 && bc.alpha2() == 0)) {
            return 0;
        }
        int groups = rows / group;
        int perDev = experts / bc.devices();
        double loss = 0;
        double[] f = new double[experts];
        double[] p = new double[experts];
        for (int g = 0; g < groups; g++) {
            Arrays.fill(f, 0);
            Arrays.fill(p, 0);
            for (int t = g * group; t < (g + 1) * group; t++) {
                for (int j = 0; j < k; j++) {
                    f[sel[t * k + j]] += (double) experts / (k * group);
                }
                for (int e = 0; e < experts; e++) {
                    p[e] += scores[t * experts + e] / group;
                }
            }
            double[] fDev = new double[bc.devices()];
            for (int e = 0; e < experts; e++) {
                loss += bc.alpha1() * f[e] * p[e] / groups;
                fDev[Math.min(e / perDev, bc.devices() - 1)] += f[e];
            }
            for (int dv = 0; dv < bc.devices(); dv++) {
                int lo = dv * perDev;
                int hi = dv == bc.devices() - 1 ? experts : lo + perDev;
                fDev[dv] /= (hi - lo);
                double pDev = 0;
                for (int e = lo; e < hi; e++) {
                    pDev += p[e];
                }
                loss += bc.alpha2() * fDev[dv] * pDev / groups;
            }
            for (int t = g * group; t < (g + 1) * group; t++) {
                for (int e = 0; e < experts; e++) {
                    double dv = bc.alpha1() * f[e] + bc.alpha2() * fDev[Math.min(e / perDev, bc.devices() - 1)];
                    dScores[t * experts + e] += (float) (dv / ((double) group * groups));
                }
            }
        }
        return loss;
    }

    /** Aux-free update: b_i += γ·sign(mean load − load_i). */
    void updateBias(double gamma) {
        double mean = (double) rows * k / experts;
        for (int e = 0; e < experts; e++) {
            bias[e] += (float) (gamma * Math.signum(mean - counts[e]));
        }
    }
}
