package io.moescope.model.train;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.model.tokenizer.DjlTokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The tokenized corpus: one domain per {@code *.txt} file (name without extension), split at a line boundary into
 * the first 95 % (training) and the last 5 % (validation).
 */
public final class Corpus {
    /** One domain's token streams. */
    public record Domain(String name, int[] train, int[] valid) {}

    private final List<Domain> domains;

    private Corpus(List<Domain> domains) {
        this.domains = domains;
    }

    public List<Domain> domains() {
        return domains;
    }

    /** The corpus files of a directory, sorted by name. */
    public static List<Path> files(Path corpusDir) throws IOException {
        try (Stream<Path> s = Files.list(corpusDir)) {
            List<Path> out =
                    new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".txt"))
                            .sorted()
                            .toList());
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no *.txt corpus files in " + corpusDir);
            }
            return out;
        }
    }

    /**
     * Tokenizes each file (no special tokens). maxChars > 0 keeps only the first maxChars characters of each file
     * (for smoke tests); the 95/5 split is applied to what is kept.
     */
    public static Corpus load(List<Path> files, Path tokenizerJson, int maxChars) throws IOException {
        List<Domain> out = new ArrayList<>();
        try (HuggingFaceTokenizer tok = DjlTokenizers.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build()) {
            for (Path f : files) {
                String text = BpeTrainer.readUtf8(f);
                if (maxChars > 0 && text.length() > maxChars) {
                    text = text.substring(0, maxChars);
                }
                int cut = text.lastIndexOf('\n', (int) (text.length() * 0.95));
                cut = cut <= 0 ? (int) (text.length() * 0.95) : cut + 1;
                String name = f.getFileName().toString().replaceFirst("\\.txt$", "");
                out.add(new Domain(name, encode(tok, text.substring(0, cut)), encode(tok, text.substring(cut))));
            }
        }
        return new Corpus(out);
    }

    /** Encodes in line-aligned chunks of about 64 KB so the native tokenizer never sees one huge string. */
    static int[] encode(HuggingFaceTokenizer tok, String text) {
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + 65536);
            if (end < text.length()) {
                int nl = text.lastIndexOf('\n', end);
                end = nl > start ? nl + 1 : end;
            }
            long[] ids = tok.encode(text.substring(start, end), false, false).getIds();
            parts.add(ids);
            total += ids.length;
            start = end;
        }
        int[] out = new int[total];
        int o = 0;
        for (long[] p : parts) {
            for (long id : p) {
                out[o++] = (int) id;
            }
        }
        return out;
    }

    /**
     * Fills ids/targets [B·S] for one batch: row b uses domain b mod D, a random window of S tokens; the input is BOS
     * followed by the first S−1 window tokens, the targets are the S window tokens. domainOfRow [B] is filled too.
     */
    void sample(SplittableRandom rnd, int batch, int seq, int bos, int[] ids, int[] targets, int[] domainOfRow) {
        for (int b = 0; b < batch; b++) {
            int dIdx = b % domains.size();
            int[] toks = domains.get(dIdx).train();
            if (toks.length <= seq) {
                throw new IllegalStateException("domain " + domains.get(dIdx).name() + " has only " + toks.length
                        + " training tokens, need more than " + seq);
            }
            int start = rnd.nextInt(toks.length - seq);
            domainOfRow[b] = dIdx;
            ids[b * seq] = bos;
            System.arraycopy(toks, start, ids, b * seq + 1, seq - 1);
            System.arraycopy(toks, start, targets, b * seq, seq);
        }
    }
}
