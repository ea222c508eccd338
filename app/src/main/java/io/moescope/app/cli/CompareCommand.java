package io.moescope.app.cli;

import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.InterventionComparison;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.tokenizer.Tokenizer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code compare --model DIR --prompt TEXT --ablate L:E ...}: next-token distribution with vs without. */
@Command(
        name = "compare",
        description = "Run a prompt with and without a routing intervention and print, as JSON, "
                + "how the next-token distribution changes (KL, total variation, top tokens) and the first layer whose "
                + "routing differs")
public final class CompareCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = false, multiplicity = "1")
    PromptOptions prompt;

    @Mixin
    InterventionOptions intervention;

    @Override
    public Integer call() throws Exception {
        try (MoeModel m = model.open()) {
            Intervention iv = intervention.build(m);
            if (iv.isNone()) {
                throw new IllegalArgumentException(
                        "give an intervention: --ablate, --force, --route-top-k or " + "--always-on-off");
            }
            InterventionComparison.Result r = new InterventionComparison(m).compare(prompt.ids(m), iv);
            Tokenizer tok = m.tokenizer();
            StringBuilder sb = new StringBuilder();
            sb.append("{");
            if (iv.alwaysOnOff()) { // say what the switch turned off in this model
                sb.append("\"switched_off\":")
                        .append(json(m.shape().describeAlwaysOn()))
                        .append(",");
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "\"intervention\":%s,\"kl_divergence\":%.6g,\"total_variation\":%.6g,"
                            + "\"first_divergent_layer\":%d,\"top\":[",
                    json(iv.toString()),
                    r.klDivergence(),
                    r.totalVariation(),
                    r.firstDivergentLayer()));
            for (int i = 0; i < r.top().size(); i++) {
                InterventionComparison.Candidate c = r.top().get(i);
                String text = tok == null ? "" : tok.decode(new int[] {c.tokenId()}, false);
                sb.append(i == 0 ? "" : ",")
                        .append(String.format(
                                Locale.ROOT,
                                "{\"id\":%d,\"text\":%s,\"baseline\":%.6g,\"intervened\":%.6g}",
                                c.tokenId(),
                                json(text),
                                c.baseline(),
                                c.intervened()));
            }
            System.out.println(sb.append("]}"));
        }
        return 0;
    }

    private static String json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
