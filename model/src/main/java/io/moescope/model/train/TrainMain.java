package io.moescope.model.train;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Plain command-line entry for running training without the app's CLI: {@code train key=value...},
 * {@code bpe key=value...} or {@code validate model=DIR corpus=DIR}. Keys: corpus, out, tokenizer, vocab, balance
 * (none|aux|aux-free), alpha1, alpha2, devices, gamma, seq-aux, steps, batch, seq, lr, warmup, seed, log-every,
 * checkpoint-every, max-chars, max-minutes, force, resume.
 */
public final class TrainMain {
    private TrainMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: TrainMain train|bpe|validate|sample|report key=value ...");
            System.exit(2);
        }
        Map<String, String> kv = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            }
            kv.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        switch (args[0]) {
            case "bpe":
                System.out.println(BpeTrainer.train(Corpus.files(Path.of(kv.get("corpus"))),
                        Integer.parseInt(kv.getOrDefault("vocab", "2048")), Path.of(kv.get("out")),
                        Boolean.parseBoolean(kv.getOrDefault("force", "false"))));
                break;
            case "validate":
                System.out.println(Validation.run(Path.of(kv.get("model")), Path.of(kv.get("corpus"))).toJson());
                break;
            case "sample":
                try (Sampler s = new Sampler(Path.of(kv.get("model")), 128)) {
                    System.out.println(s.generate(kv.get("prompt").replace("\\n", "\n"),
                            Integer.parseInt(kv.getOrDefault("tokens", "48")),
                            Double.parseDouble(kv.getOrDefault("temperature", "0")), 1));
                }
                break;
            case "report":
                ModelReport.write(Path.of(kv.get("model")), Path.of(kv.get("corpus")), Path.of(kv.get("val-json")),
                        Path.of(kv.get("samples-json")), Integer.parseInt(kv.getOrDefault("tokens", "48")));
                break;
            case "train":
                System.out.println(Trainer.run(options(kv), ProgressListener.console()));
                break;
            default:
                throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static TrainOptions options(Map<String, String> kv) {
        BalanceMode mode = BalanceMode.parse(kv.getOrDefault("balance", "aux"));
        BalanceConfig bc = new BalanceConfig(mode, Double.parseDouble(kv.getOrDefault("alpha1", "0.01")),
                Double.parseDouble(kv.getOrDefault("alpha2", "0.0")), Integer.parseInt(kv.getOrDefault("devices", "4")),
                Double.parseDouble(kv.getOrDefault("gamma", "0.001")),
                Boolean.parseBoolean(kv.getOrDefault("seq-aux", "false")));
        TrainOptions o = TrainOptions.defaults(Path.of(kv.get("corpus")), Path.of(kv.get("out")), bc,
                Integer.parseInt(kv.getOrDefault("steps", "1500")));
        o = o.with(null, o.steps(), Integer.parseInt(kv.getOrDefault("batch", "8")),
                Integer.parseInt(kv.getOrDefault("seq", "128")));
        o = o.withSchedule(Double.parseDouble(kv.getOrDefault("lr", "3e-3")),
                Integer.parseInt(kv.getOrDefault("warmup", "50")), Long.parseLong(kv.getOrDefault("seed", "1234")));
        String tok = kv.get("tokenizer");
        return o.withRun(tok == null ? null : Path.of(tok), Integer.parseInt(kv.getOrDefault("vocab", "2048")),
                Boolean.parseBoolean(kv.getOrDefault("force", "false")),
                Boolean.parseBoolean(kv.getOrDefault("resume", "false")),
                Integer.parseInt(kv.getOrDefault("log-every", "10")),
                Integer.parseInt(kv.getOrDefault("checkpoint-every", "100")),
                Integer.parseInt(kv.getOrDefault("max-chars", "0")))
                .withSteps(o.steps(), Double.parseDouble(kv.getOrDefault("max-minutes", "0")));
    }
}
