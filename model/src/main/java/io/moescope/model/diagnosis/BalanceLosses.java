package io.moescope.model.diagnosis;

/**
 * The published balance losses evaluated on observed routing (spec moe-architectures.md §1.6), all with
 * coefficient α = 1. Inputs are sums over a set of T tokens of one MoE layer:
 * c_i (token×slot assignments), top1_i (tokens whose first choice is i), ΣP_i = Σ_t s_{t,i}.
 */
public final class BalanceLosses {

    private BalanceLosses() {}

    /** Switch Transformer: E · Σ_i f_i P_i with f_i = top1_i / T. Uniform routing gives 1. */
    public static double switchAux(long[] top1, double[] scoreSum, long tokens) {
        return top1.length * dot(top1, scoreSum, tokens);
    }

    /** GShard l_aux = (1/E) Σ_e (top1_e / T) · m_e, m_e the mean gate value. Uniform routing gives 1/E². */
    public static double gshardAux(long[] top1, double[] scoreSum, long tokens) {
        return dot(top1, scoreSum, tokens) / top1.length;
    }

    /** transformers load_balancing_loss_func per layer: E · Σ_i (c_i / T) P_i (Σf = k). Uniform gives k. */
    public static double transformersAux(long[] counts, double[] scoreSum, long tokens) {
        return counts.length * dot(counts, scoreSum, tokens);
    }

    /** DeepSeekMoE expert-level: Σ_i f_i P_i, f_i = E/(k T) · c_i. Uniform gives 1, collapse onto k experts E/k. */
    public static double deepseekExpert(long[] counts, double[] scoreSum, long tokens, int topK) {
        return (double) counts.length / topK * dot(counts, scoreSum, tokens);
    }

    /**
     * DeepSeekMoE / DeepSeek-V2 device-level: experts split contiguously over D devices,
     * Σ_d f′_d P′_d with f′_d = mean_{j∈d} f_j and P′_d = Σ_{j∈d} P_j. Uniform gives 1.
     */
    public static double deepseekDevice(long[] counts, double[] scoreSum, long tokens, int topK, int devices) {
        int e = counts.length;
        checkDevices(e, devices);
        if (tokens == 0) {
            return Double.NaN;
        }
        int per = e / devices;
        double loss = 0;
        for (int d = 0; d < devices; d++) {
            double f = 0;
            double p = 0;
            for (int j = d * per; j < (d + 1) * per; j++) {
                f += (double) e / (topK * (double) tokens) * counts[j];
                p += scoreSum[j] / tokens;
            }
            loss += f / per * p;
        }
        return loss;
    }

    /**
     * DeepSeek-V2 communication balance: Σ_d f″_d P″_d with f″_d = D/(M T) · (tokens sent to device d)
     * and P″_d = Σ_{j∈d} P_j. Uniform over exactly M devices per token gives 1.
     */
    public static double deepseekComm(long[] deviceTokens, double[] scoreSum, long tokens, int deviceLimit) {
        int devices = deviceTokens.length;
        checkDevices(scoreSum.length, devices);
        if (tokens == 0) {
            return Double.NaN;
        }
        int per = scoreSum.length / devices;
        double loss = 0;
        for (int d = 0; d < devices; d++) {
            double p = 0;
            for (int j = d * per; j < (d + 1) * per; j++) {
                p += scoreSum[j] / tokens;
            }
            loss += (double) devices / ((double) deviceLimit * tokens) * deviceTokens[d] * p;
        }
        return loss;
    }

    /** Router z-loss (ST-MoE): (1/T) Σ_t (log Σ_i exp z_{t,i})², from the summed squares. */
    public static double zLoss(double sumSquaredLogSumExp, long tokens) {
        return tokens == 0 ? Double.NaN : sumSquaredLogSumExp / tokens;
    }

    /** log Σ exp z, computed stably. */
    public static double logSumExp(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (float v : z) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** Σ_i (a_i / T) (b_i / T); NaN for T = 0. */
    private static double dot(long[] a, double[] b, long tokens) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " counts but " + b.length + " score sums");
        }
        if (tokens == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += ((double) a[i] / tokens) * (b[i] / tokens);
        }
        return s;
    }

    static void checkDevices(int experts, int devices) {
        if (devices <= 0 || experts % devices != 0) {
            throw new IllegalArgumentException(experts + " experts cannot be split evenly over " + devices
                    + " devices; valid device counts: " + Divisors.list(experts));
        }
    }
}
