package io.moescope.model.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a byte-level BPE tokenizer on corpus files and writes it as a Hugging Face {@code tokenizer.json}.
 * Ids: the special tokens first ({@link #SPECIALS}), then the 256 byte characters, then one token per merge.
 */
public final class BpeTrainer {
    /** Special tokens, ids 0, 1, 2. */
    public static final List<String> SPECIALS = List.of("<|bos|>", "<|eos|>", "<|pad|>");

    private BpeTrainer() {}

    /** Result of a training run: the path of the written tokenizer.json and the merge count. */
    public record Result(Path tokenizerJson, int vocabSize, int merges) {}

    /**
     * Trains on {@code corpus} and writes {@code outDir/tokenizer.json}.
     *
     * @param vocab total vocabulary including the 256 byte tokens and the specials
     * @param force overwrite an existing tokenizer.json
     */
    public static Result train(List<Path> corpus, int vocab, Path outDir, boolean force) throws IOException {
        int minVocab = 256 + SPECIALS.size();
        if (vocab < minVocab) {
            throw new IllegalArgumentException("vocab size " + vocab + " is too small: need at least " + minVocab
                    + " (256 byte tokens + " + SPECIALS.size() + " special tokens)");
        }
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("no corpus files given");
        }
        Path target = outDir.resolve("tokenizer.json");
        if (Files.exists(target) && !force) {
            throw new IllegalStateException("refusing to overwrite " + target + " (use force)");
        }
        Map<String, long[]> wordFreq = new HashMap<>();
        for (Path file : corpus) {
            for (String piece : PreTokenizerRegex.split(readUtf8(file))) {
                wordFreq.computeIfAbsent(piece, k -> new long[1])[0]++;
            }
        }
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        List<int[]> merges = learnMerges(wordFreq, tokens, vocab - minVocab);
        Files.createDirectories(outDir);
        TokenizerJsonWriter.write(target, SPECIALS, tokens, merges);
        return new Result(target, minVocab + merges.size(), merges.size());
    }

    /** Reads a whole file as strict UTF-8, naming the file in every failure. */
    static String readUtf8(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("corpus file is empty: " + file);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("corpus file is not valid UTF-8: " + file + " (" + e + ")", e);
        }
    }

    /** Greedy BPE: repeatedly merge the most frequent adjacent pair (ties: smaller left id, then smaller right id). */
    private static List<int[]> learnMerges(Map<String, long[]> wordFreq, List<byte[]> tokens, int maxMerges) {
        int n = wordFreq.size();
        int[][] words = new int[n][];
        long[] freq = new long[n];
        int w = 0;
        for (Map.Entry<String, long[]> e : wordFreq.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] syms = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                syms[i] = bytes[i] & 0xFF;
            }
            words[w] = syms;
            freq[w++] = e.getValue()[0];
        }
        Map<Long, long[]> pairCounts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            addPairs(pairCounts, words[i], freq[i], 1);
        }
        List<int[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            long bestKey = -1;
            long bestCount = 0;
            for (Map.Entry<Long, long[]> e : pairCounts.entrySet()) {
                long c = e.getValue()[0];
                long k = e.getKey();
                if (c > bestCount || (c == bestCount && c > 0 && k < bestKey)) {
                    bestCount = c;
                    bestKey = k;
                }
            }
            if (bestCount < 2) {
                break; // nothing worth merging is left
            }
            int a = (int) (bestKey >>> 32);
            int b = (int) bestKey;
            int id = tokens.size();
            byte[] ta = tokens.get(a);
            byte[] tb = tokens.get(b);
            byte[] merged = new byte[ta.length + tb.length];
            System.arraycopy(ta, 0, merged, 0, ta.length);
            System.arraycopy(tb, 0, merged, ta.length, tb.length);
            tokens.add(merged);
            merges.add(new int[] {a, b});
            for (int i = 0; i < n; i++) {
                if (contains(words[i], a, b)) {
                    addPairs(pairCounts, words[i], freq[i], -1);
                    words[i] = applyMerge(words[i], a, b, id);
                    addPairs(pairCounts, words[i], freq[i], 1);
                }
            }
        }
        return merges;
    }

    private static boolean contains(int[] syms, int a, int b) {
        for (int i = 0; i + 1 < syms.length; i++) {
            if (syms[i] == a && syms[i + 1] == b) {
                return true;
            }
        }
        return false;
    }

    private static int[] applyMerge(int[] syms, int a, int b, int id) {
        int[] out = new int[syms.length];
        int o = 0;
        for (int i = 0; i < syms.length; i++) {
            if (i + 1 < syms.length && syms[i] == a && syms[i + 1] == b) {
                out[o++] = id;
                i++;
            } else {
                out[o++] = syms[i];
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }

    private static void addPairs(Map<Long, long[]> counts, int[] syms, long freq, int sign) {
        for (int i = 0; i + 1 < syms.length; i++) {
            long key = ((long) syms[i] << 32) | syms[i + 1];
            long[] c = counts.computeIfAbsent(key, k -> new long[1]);
            c[0] += sign * freq;
            if (c[0] == 0) {
                counts.remove(key);
            }
        }
    }
}
