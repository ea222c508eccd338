package io.moescope.model.train;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.model.tokenizer.DjlTokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Tiny text generator over the training forward pass (full recompute per token, no KV cache). */
public final class Sampler implements AutoCloseable {
    private final Model model;
    private final HuggingFaceTokenizer tok;
    private final int seq;

    public Sampler(Path modelDir, int seq) throws IOException {
        this.model = ModelDir.load(modelDir, 1, seq);
        this.tok = DjlTokenizers.builder().optTokenizerPath(modelDir.resolve("tokenizer.json"))
                .optAddSpecialTokens(false).optTruncation(false).build();
        this.seq = seq;
    }

    /** Continues prompt by up to maxNew tokens; temperature 0 = greedy. Returns only the continuation. */
    public String generate(String prompt, int maxNew, double temperature, long seed) {
        long[] p = tok.encode(prompt).getIds();
        int[] ids = new int[seq];
        int n = 0;
        ids[n++] = model.cfg.bosId();
        for (long id : p) {
            if (n < seq) {
                ids[n++] = (int) id;
            }
        }
        int promptLen = n;
        Random rnd = new Random(seed);
        int v = model.cfg.vocab();
        while (n < seq && n - promptLen < maxNew) {
            float[] logits = model.logits(ids);
            int o = (n - 1) * v;
            int next = 0;
            if (temperature <= 0) {
                for (int i = 1; i < v; i++) {
                    if (logits[o + i] > logits[o + next]) {
                        next = i;
                    }
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                    max = Math.max(max, logits[o + i]);
                }
                double[] w = new double[v];
                double sum = 0;
                for (int i = 0; i < v; i++) {
                    w[i] = Math.exp((logits[o + i] - max) / temperature);
                    sum += w[i];
                }
                double r = rnd.nextDouble() * sum;
                while (next < v - 1 && (r -= w[next]) > 0) {
                    next++;
                }
            }
            if (next == model.cfg.eosId()) {
                break;
            }
            ids[n++] = next;
        }
        long[] gen = new long[n - promptLen];
        for (int i = promptLen; i < n; i++) {
            gen[i - promptLen] = ids[i];
        }
        return tok.decode(gen);
    }

    @Override
    public void close() {
        tok.close();
    }
}
