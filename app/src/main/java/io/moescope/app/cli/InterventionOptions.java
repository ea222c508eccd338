package io.moescope.app.cli;

import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.MoeModel;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Routing interventions from the command line: --ablate L:E,E  --force L:E,E  --route-top-k K  --always-on-off. */
public final class InterventionOptions {

    @Option(
            names = "--ablate",
            paramLabel = "LAYER:E,E",
            description = "Never route to these experts in this layer " + "(repeatable)")
    List<String> ablate = new ArrayList<>();

    @Option(
            names = "--force",
            paramLabel = "LAYER:E,E",
            description = "Route every token to exactly these experts in " + "this layer (repeatable)")
    List<String> force = new ArrayList<>();

    @Option(names = "--route-top-k", paramLabel = "K", description = "Experts per token in every MoE layer")
    int topK;

    @Option(
            names = {"--always-on-off", "--shared-off"},
            description =
                    "Switch the always-on parts off: shared "
                            + "experts (gated or not), parallel dense MLPs, and the whole FFN of dense layers (--shared-off: old name)")
    boolean alwaysOnOff;

    Intervention build(MoeModel m) {
        Intervention iv = Intervention.NONE.withAlwaysOnOff(alwaysOnOff);
        int experts = m.config().routedExperts();
        if (topK != 0) {
            if (topK < 0 || topK > experts) {
                throw new IllegalArgumentException("--route-top-k must be in 1.." + experts + ", got " + topK);
            }
            iv = iv.withTopK(topK);
        }
        for (String spec : ablate) {
            ParsedSpec p = parse(spec, m, "--ablate");
            iv = iv.withAblation(p.layer, p.experts);
        }
        for (String spec : force) {
            ParsedSpec p = parse(spec, m, "--force");
            iv = iv.withForced(p.layer, p.experts);
        }
        return iv;
    }

    private record ParsedSpec(int layer, int[] experts) {}

    private static ParsedSpec parse(String spec, MoeModel m, String flag) {
        String[] parts = spec.split(":", 2);
        try {
            int layer = Integer.parseInt(parts[0].trim());
            if (!m.config().isMoeLayer(layer)) {
                throw new IllegalArgumentException(flag + " " + spec + ": layer " + layer + " is not an MoE layer (MoE "
                        + "layers: " + java.util.Arrays.toString(m.config().moeLayers()) + ")");
            }
            if (parts.length < 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException(flag + " " + spec + ": expected LAYER:E,E,...");
            }
            String[] es = parts[1].split(",");
            int[] experts = new int[es.length];
            for (int i = 0; i < es.length; i++) {
                experts[i] = Integer.parseInt(es[i].trim());
                if (experts[i] < 0 || experts[i] >= m.config().routedExperts()) {
                    throw new IllegalArgumentException(flag + " " + spec + ": expert " + experts[i] + " is outside 0.."
                            + (m.config().routedExperts() - 1));
                }
            }
            return new ParsedSpec(layer, experts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + spec + ": expected LAYER:E,E,... with integers");
        }
    }
}
