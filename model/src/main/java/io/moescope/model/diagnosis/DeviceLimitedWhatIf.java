package io.moescope.model.diagnosis;

import java.util.Arrays;

/**
 * DeepSeek-V2 device-limited routing as a what-if: experts are split contiguously over D devices; each token's
 * devices are ranked by the highest score among their experts, only the best M are kept, and the top-k is taken
 * among the kept devices' experts. Counts how many of the observed selections that would change, and which
 * devices each observed token reached (for the communication balance loss). One instance per MoE layer.
 */
public final class DeviceLimitedWhatIf {

    private final int experts;
    private final int devices;
    private final int limit;
    private final long[] deviceTokens;
    private long tokens;
    private long changedTokens;
    private long changedSelections;
    private long selections;
    private long devicesReachedSum;

    public DeviceLimitedWhatIf(int experts, int devices, int limit) {
        BalanceLosses.checkDevices(experts, devices);
        if (limit < 1) {
            throw new IllegalArgumentException("the device limit M must be ≥ 1, got " + limit);
        }
        this.experts = experts;
        this.devices = devices;
        this.limit = Math.min(limit, devices);
        this.deviceTokens = new long[devices];
    }

    /** A copy with the same sums, which then accumulates independently. */
    DeviceLimitedWhatIf copy() {
        DeviceLimitedWhatIf c = new DeviceLimitedWhatIf(experts, devices, limit);
        System.arraycopy(deviceTokens, 0, c.deviceTokens, 0, deviceTokens.length);
        c.tokens = tokens;
        c.changedTokens = changedTokens;
        c.changedSelections = changedSelections;
        c.selections = selections;
        c.devicesReachedSum = devicesReachedSum;
        return c;
    }

    /** The experts device-limited top-k would choose from these scores (k = chosen.length), as a sorted set. */
    public static int[] limitedTopK(float[] scores, int devices, int limit, int k) {
        int per = scores.length / devices;
        Integer[] order = new Integer[devices];
        double[] best = new double[devices];
        for (int d = 0; d < devices; d++) {
            order[d] = d;
            best[d] = Double.NEGATIVE_INFINITY;
            for (int j = d * per; j < (d + 1) * per; j++) {
                best[d] = Math.max(best[d], scores[j]);
            }
        }
        Arrays.sort(order, (a, b) -> best[a] != best[b] ? Double.compare(best[b], best[a]) : Integer.compare(a, b));
        boolean[] allowed = new boolean[scores.length];
        for (int i = 0; i < Math.min(limit, devices); i++) {
            for (int j = order[i] * per; j < (order[i] + 1) * per; j++) {
                allowed[j] = true;
            }
        }
        return TopK.indices(scores, allowed, k);
    }

    /** Adds one observed token: its selection scores [E] and chosen experts [k]. */
    public void add(float[] scores, int[] chosen) {
        int per = experts / devices;
        boolean[] reached = new boolean[devices];
        for (int e : chosen) {
            reached[e / per] = true;
        }
        for (int d = 0; d < devices; d++) {
            if (reached[d]) {
                deviceTokens[d]++;
                devicesReachedSum++;
            }
        }
        int[] limited = limitedTopK(scores, devices, limit, chosen.length);
        int[] actual = chosen.clone();
        Arrays.sort(actual);
        int same = TopK.overlap(actual, limited);
        tokens++;
        selections += chosen.length;
        changedSelections += chosen.length - same;
        if (same != chosen.length) {
            changedTokens++;
        }
    }

    /** Tokens that reached each device [D]. */
    public long[] deviceTokens() {
        return deviceTokens.clone();
    }

    public int devices() {
        return devices;
    }

    public int limit() {
        return limit;
    }

    public Result result() {
        return new Result(
                devices,
                limit,
                tokens == 0 ? 0 : (double) changedTokens / tokens,
                selections == 0 ? 0 : (double) changedSelections / selections,
                tokens == 0 ? 0 : (double) devicesReachedSum / tokens);
    }

    /**
     * @param changedTokenFraction     tokens whose chosen set would change
     * @param changedSelectionFraction chosen experts that would be replaced
     * @param meanDevicesPerToken      devices the observed routing reached per token (≤ M under the limit)
     */
    public record Result(
            int devices,
            int limit,
            double changedTokenFraction,
            double changedSelectionFraction,
            double meanDevicesPerToken) {}
}
