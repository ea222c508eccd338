package io.moescope.model.diagnosis;

import java.util.ArrayList;
import java.util.List;

/**
 * Expert placement what-if over nodes × GPUs, per layer, from the observed loads: contiguous sharding versus
 * DeepSeek EPLB (the automatic policy, plus the global policy when the automatic one is hierarchical).
 */
public final class PlacementAnalysis {

    private PlacementAnalysis() {}

    /**
     * @param gpus      GPUs in all (EP size P)
     * @param nodes     nodes N (GPUs per node = P / N)
     * @param redundant redundant experts: physical slots R = E + redundant
     * @param groups    expert groups of the model (n_group; 1 if none)
     */
    public record Request(int gpus, int nodes, int redundant, int groups) {}

    /** One placement policy applied to every layer. */
    public record PlacementSet(String policy, List<Placement> layers) {

        public PlacementSet {
            layers = List.copyOf(layers);
        }

        /** [layer][GPU] model loads. */
        public double[][] gpuLoads() {
            return layers.stream().map(Placement::gpuLoads).toArray(double[][]::new);
        }

        /** [layer][expert] copies. */
        public int[][] replicaCounts() {
            return layers.stream().map(Placement::logcnt).toArray(int[][]::new);
        }

        /** SGLang style: mean over layers of mean/max GPU load. */
        public double balancedness() {
            return layers.stream()
                    .mapToDouble(Placement::balancedness)
                    .average()
                    .orElse(1);
        }

        /** vLLM style: Σ_l mean_g load / Σ_l max_g load. */
        public double ratioOfSums() {
            double mean = 0;
            double max = 0;
            for (Placement p : layers) {
                mean += java.util.Arrays.stream(p.gpuLoads()).average().orElse(0);
                max += p.maxGpuLoad();
            }
            return max <= 0 ? 1 : mean / max;
        }
    }

    /**
     * Which EPLB policy a request gets, and why.
     *
     * @param policy "hierarchical" or "global"
     * @param groups expert groups the policy keeps whole on one node (the model's groups when hierarchical, else 1)
     * @param reason one sentence for the report
     */
    public record EplbChoice(String policy, int groups, String reason) {}

    /**
     * @param choice     the automatic EPLB policy and why it was chosen
     * @param eplbGlobal the global policy, or null when {@code eplb} already is global
     */
    public record Result(
            Request request, EplbChoice choice, PlacementSet contiguous, PlacementSet eplb, PlacementSet eplbGlobal) {}

    /**
     * DeepSeek EPLB's automatic choice (eplb.md §2, SGLang's {@code auto}): with group-limited routing
     * (n_group = G > 1) and N nodes dividing G, the hierarchical policy keeps every routing group on one node;
     * otherwise the global policy (the model has no groups, or whole groups cannot be spread evenly).
     */
    public static EplbChoice choose(Request r) {
        String policy = Eplb.policy(r.groups(), r.nodes());
        if (policy.equals("hierarchical")) {
            return new EplbChoice(
                    policy,
                    r.groups(),
                    r.groups() + " routing groups (n_group) on " + r.nodes()
                            + " node(s): " + r.groups() / r.nodes()
                            + " whole group(s) per node, so a token's group-limited "
                            + "routing stays inside its nodes");
        }
        return new EplbChoice(
                policy,
                1,
                r.groups() > 1
                        ? r.groups() + " routing groups (n_group) cannot be split evenly over " + r.nodes()
                                + " nodes, so EPLB falls back to the global policy (group locality given up)"
                        : "the model has no group-limited routing (one expert group), so EPLB uses the global policy");
    }

    /** Checks the shape and explains, with valid values, what does not divide. */
    public static void validate(int experts, Request r) {
        if (r.gpus() < 1 || experts % r.gpus() != 0) {
            throw new IllegalArgumentException("--devices " + r.gpus() + " does not divide the " + experts
                    + " routed experts, so they cannot be split evenly over the GPUs; valid values: "
                    + Divisors.list(experts));
        }
        if (r.nodes() < 1 || r.gpus() % r.nodes() != 0) {
            throw new IllegalArgumentException("--nodes " + r.nodes() + " does not divide the " + r.gpus()
                    + " GPUs (every node needs the same number of GPUs); valid values: " + Divisors.list(r.gpus()));
        }
        if (r.redundant() < 0 || (experts + r.redundant()) % r.gpus() != 0) {
            throw new IllegalArgumentException("--replicas " + r.redundant() + " gives " + (experts + r.redundant())
                    + " expert slots, which do not split evenly over " + r.gpus() + " GPUs; use a multiple of "
                    + r.gpus() + " (e.g. 0, " + r.gpus() + ", " + 2 * r.gpus() + ")");
        }
        if (r.groups() < 1 || experts % r.groups() != 0) {
            throw new IllegalArgumentException(experts + " experts cannot form " + r.groups() + " groups");
        }
    }

    /** Runs every policy on every layer's loads. */
    public static Result analyse(List<long[]> layerCounts, Request r) {
        if (layerCounts.isEmpty()) {
            throw new IllegalArgumentException("no MoE layers to place");
        }
        int experts = layerCounts.get(0).length;
        validate(experts, r);
        int slots = experts + r.redundant();
        List<Placement> contiguous = new ArrayList<>();
        List<Placement> eplb = new ArrayList<>();
        List<Placement> global = new ArrayList<>();
        for (long[] c : layerCounts) {
            double[] w = BalanceMetrics.toDoubles(c);
            contiguous.add(Placement.contiguous(w, r.gpus()));
            eplb.add(Eplb.rebalance(w, slots, r.groups(), r.nodes(), r.gpus()));
            global.add(Eplb.global(w, slots, r.gpus()));
        }
        EplbChoice choice = choose(r);
        return new Result(
                r,
                choice,
                new PlacementSet("contiguous", contiguous),
                new PlacementSet(choice.policy(), eplb),
                choice.policy().equals("global") ? null : new PlacementSet("global", global));
    }
}
