package io.moescope.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BPE merges of a SentencePiece vocabulary, derived from its scores as Hugging Face's SpmConverter does: every normal
 * piece {@code p = a + b} whose halves are normal pieces gives the merge (a, b); merges rank by p's score (highest
 * first), then p's id, then a's id. llama.cpp's SPM tokenizer merges the adjacent pair whose concatenation scores
 * highest, which is the same order.
 */
final class SpmMerges {

    private SpmMerges() {}

    /**
     * @param types per-token GGUF types (1 = normal), or null when the file has none (then every token is normal)
     * @return merges as {left, right} pairs in rank order; at most one per split point of the given pieces
     */
    static List<String[]> fromScores(List<String> tokens, List<Double> scores, List<Long> types) {
        Map<String, Integer> normal = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (types == null || types.get(i) == GgufTokenizerJson.NORMAL) {
                normal.putIfAbsent(tokens.get(i), i);
            }
        }
        List<int[]> found = new ArrayList<>(); // {piece id, left id, right id}
        for (Map.Entry<String, Integer> e : normal.entrySet()) {
            String piece = e.getKey();
            for (int k = piece.isEmpty() ? 0 : Character.charCount(piece.codePointAt(0));
                    k < piece.length();
                    k += Character.charCount(piece.codePointAt(k))) {
                Integer left = normal.get(piece.substring(0, k));
                Integer right = left == null ? null : normal.get(piece.substring(k));
                if (right != null) {
                    found.add(new int[] {e.getValue(), left, right});
                }
            }
        }
        found.sort((x, y) -> {
            int c = Double.compare(scores.get(y[0]), scores.get(x[0]));
            if (c != 0) {
                return c;
            }
            return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
        });
        List<String[]> merges = new ArrayList<>(found.size());
        for (int[] m : found) {
            merges.add(new String[] {tokens.get(m[1]), tokens.get(m[2])});
        }
        return merges;
    }
}
