package io.moescope.app.session;

import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingBlock;
import io.moescope.model.trace.RoutingDecision;

/**
 * What the views need of one position, and nothing more: the token, its full gate distribution per MoE layer
 * (16-bit fixed point), the chosen experts and weights, the shared-expert share and gate, and the top next
 * tokens. Immutable; layers are MoE-layer indices (0 .. moeLayerCount - 1), not decoder layer numbers.
 *
 * <p>Bytes per position (without the text): {@code 2·L·E + 8·L·k + 8·L + 80} plus ~150 of object headers,
 * e.g. 27 layers × 64 experts, k = 6: 3.5 KB + 1.3 KB + 0.4 KB ≈ 5.4 KB, so 10 000 tokens take ~54 MB.
 */
public final class TokenTrace {

    private static final float SCALE = 65535f;

    private final int position;
    private final int tokenId;
    private final String text;
    private final String piece; // display form when text is empty (bytes of a character piece), or null
    private final Phase phase;
    private final boolean fromTemplate; // a prompt token a chat template wrote
    private final int experts; // E
    private final char[] scores; // [layer][expert] flattened, score · 65535 (scores lie in [0, 1])
    private final int[][] chosen; // [layer][rank]
    private final float[][] weights; // [layer][rank]
    private final float[] sharedShare; // [layer]
    private final float[] sharedGate; // [layer], NaN where the model has no gate
    private final float[] denseNorm; // [decoder layer]: a dense layer's FFN output norm; NaN for MoE layers, old traces
    private final TopTokens next;
    private final boolean scored; // the router's scores were recorded (false: an imported recording, ids only)
    private volatile float[] entropies; // [layer], lazily computed by routingEntropy

    private TokenTrace(
            int position,
            int tokenId,
            String text,
            String piece,
            Phase phase,
            boolean fromTemplate,
            int experts,
            char[] scores,
            int[][] chosen,
            float[][] weights,
            float[] sharedShare,
            float[] sharedGate,
            float[] denseNorm,
            TopTokens next,
            boolean scored) {
        this.scored = scored;
        this.fromTemplate = fromTemplate;
        this.position = position;
        this.tokenId = tokenId;
        this.text = text;
        this.piece = piece;
        this.phase = phase;
        this.experts = experts;
        this.scores = scores;
        this.chosen = chosen;
        this.weights = weights;
        this.sharedShare = sharedShare;
        this.sharedGate = sharedGate;
        this.denseNorm = denseNorm;
        this.next = next;
    }

    /**
     * Builds a position from its routing decisions ({@code routing[layer]} may be null for a missing layer);
     * {@code piece} is how to show the token when {@code text} is empty (null: {@code #id}); {@code denseNorm} per
     * decoder layer the dense layers' FFN output norms (trace {@code dense} lines; NaN elsewhere), kept as given.
     */
    static TokenTrace of(
            int position,
            int tokenId,
            String text,
            String piece,
            Phase phase,
            int experts,
            RoutingDecision[] routing,
            float[] denseNorm) {
        return of(position, tokenId, text, piece, phase, false, experts, routing, denseNorm);
    }

    /**
     * As {@link #of(int, int, String, String, Phase, int, RoutingDecision[], float[])}, for a token a chat template
     * wrote.
     */
    static TokenTrace of(
            int position,
            int tokenId,
            String text,
            String piece,
            Phase phase,
            boolean fromTemplate,
            int experts,
            RoutingDecision[] routing,
            float[] denseNorm) {
        int layers = routing.length;
        char[] scores = new char[layers * experts];
        int[][] chosen = new int[layers][];
        float[][] weights = new float[layers][];
        float[] share = new float[layers];
        float[] gate = new float[layers];
        boolean scored = false;
        boolean routed = false;
        for (int l = 0; l < layers; l++) {
            RoutingDecision r = routing[l];
            if (r == null) {
                chosen[l] = new int[0];
                weights[l] = new float[0];
                share[l] = Float.NaN;
                gate[l] = Float.NaN;
                continue;
            }
            scored |= r.hasScores();
            routed = true;
            float[] s = r.scores();
            for (int e = 0; e < experts && e < s.length; e++) {
                float v = Float.isFinite(s[e]) ? Math.max(0f, Math.min(1f, s[e])) : 0f;
                scores[l * experts + e] = (char) Math.round(v * SCALE);
            }
            chosen[l] = r.experts();
            weights[l] = r.weights();
            share[l] = r.sharedShare();
            gate[l] = r.sharedGate();
        }
        return new TokenTrace(
                position,
                tokenId,
                text,
                piece,
                phase,
                fromTemplate,
                experts,
                scores,
                chosen,
                weights,
                share,
                gate,
                denseNorm,
                TopTokens.NONE,
                scored || !routed); // a position without routing lacks nothing
    }

    private static char[] noScores = new char[0]; // shared by id-only positions: all zero, never written

    /**
     * Token t of an id-only block (an imported recording): its chosen experts, weights, shares and gates NaN, the
     * scores 0 as {@link #of} makes them for decisions without scores, but one shared zero array instead of L·E
     * chars per position.
     */
    static TokenTrace ofIds(RoutingBlock block, int t, String piece, ModelShape shape) {
        int layers = block.moeLayers().length;
        int k = block.topK();
        int[][] chosen = new int[layers][];
        float[][] weights = new float[layers][];
        float[] nanK = new float[k];
        float[] nanL = new float[layers];
        java.util.Arrays.fill(nanK, Float.NaN);
        java.util.Arrays.fill(nanL, Float.NaN);
        for (int l = 0; l < layers; l++) {
            chosen[l] = java.util.Arrays.copyOfRange(block.experts()[l], t * k, t * k + k);
            weights[l] = nanK;
        }
        float[] dense = new float[shape.layerCount()];
        java.util.Arrays.fill(dense, Float.NaN);
        return new TokenTrace(
                block.firstPosition() + t,
                block.tokenIds()[t],
                "",
                piece,
                block.phase(),
                false,
                shape.routedExperts(),
                zeros(layers * shape.routedExperts()),
                chosen,
                weights,
                nanL,
                nanL,
                dense,
                TopTokens.NONE,
                false);
    }

    private static synchronized char[] zeros(int n) {
        if (noScores.length < n) {
            noScores = new char[n];
        }
        return noScores;
    }

    TokenTrace withNext(TopTokens top) {
        TokenTrace t = new TokenTrace(
                position,
                tokenId,
                text,
                piece,
                phase,
                fromTemplate,
                experts,
                scores,
                chosen,
                weights,
                sharedShare,
                sharedGate,
                denseNorm,
                top,
                scored);
        t.entropies = entropies; // same routing
        return t;
    }

    /** Estimated heap bytes of one position of this shape. */
    public static long bytesPerPosition(int layers, int experts, int topK) {
        return 2L * layers * experts + 8L * layers * topK + 8L * layers + 80 + 150 + 48 + 4L * layers; // + dense norms
    }

    public int position() {
        return position;
    }

    public int tokenId() {
        return tokenId;
    }

    public String text() {
        return text;
    }

    public Phase phase() {
        return phase;
    }

    public boolean isPrefill() {
        return phase == Phase.PREFILL;
    }
    /** A prompt token that the model's chat template wrote (role header, BOS, generation prompt), not the user. */
    public boolean fromTemplate() {
        return fromTemplate;
    }

    public int layerCount() {
        return chosen.length;
    }

    public int expertCount() {
        return experts;
    }

    public TopTokens next() {
        return next;
    }

    /**
     * Text for display: the decoded text; for a token that is only a piece of a multi-byte character (its streamed
     * text is empty until the character completes) the piece as the store's {@link TraceStore#tokenPieces} shows it
     * (its bytes, e.g. {@code \xe5\xba}), or {@code #id} when there is no tokenizer.
     */
    public String label() {
        return text.isEmpty() ? (piece == null ? "#" + tokenId : piece) : text;
    }

    /**
     * False for a position recorded without the router's scores (an imported recording: ids only); its
     * {@link #score}s are then 0 and say nothing.
     */
    public boolean hasScores() {
        return scored;
    }

    public float score(int layer, int expert) {
        return scores[layer * experts + expert] / SCALE;
    }

    public int chosenCount(int layer) {
        return chosen[layer].length;
    }

    /**
     * Entropy of this layer's score distribution divided by ln E (1 = spread evenly, 0 = certain); NaN for a layer
     * with no routing. Computed once per token (the trace store asks for it when the token arrives, for its
     * running totals).
     */
    public float routingEntropy(int layer) {
        float[] h = entropies;
        if (h == null) {
            h = new float[chosen.length];
            for (int l = 0; l < h.length; l++) {
                h[l] = chosen[l].length == 0 || experts < 2 ? Float.NaN : normalisedEntropy(l);
            }
            entropies = h; // idempotent: a racing computation stores the same values
        }
        return h[layer];
    }

    private float normalisedEntropy(int layer) {
        double total = 0;
        for (int e = 0; e < experts; e++) {
            total += score(layer, e);
        }
        double sum = 0;
        for (int e = 0; e < experts && total > 0; e++) {
            double p = score(layer, e) / total;
            if (p > 0) {
                sum -= p * Math.log(p);
            }
        }
        return (float) (sum / Math.log(experts));
    }

    public int chosenExpert(int layer, int rank) {
        return chosen[layer][rank];
    }

    public float weight(int layer, int rank) {
        return weights[layer][rank];
    }

    /** Top-1 expert in the layer, or -1 if it has no routing. */
    public int topExpert(int layer) {
        return chosen[layer].length == 0 ? -1 : chosen[layer][0];
    }

    /** Rank of the expert among the chosen ones, or -1. */
    public int rankOf(int layer, int expert) {
        int[] c = chosen[layer];
        for (int i = 0; i < c.length; i++) {
            if (c[i] == expert) {
                return i;
            }
        }
        return -1;
    }

    public float sharedShare(int layer) {
        return sharedShare[layer];
    }

    public float sharedGate(int layer) {
        return sharedGate[layer];
    }

    /** A dense decoder layer's FFN output norm (its whole, always-on output); NaN if not recorded (traces before v3). */
    public float denseNorm(int decoderLayer) {
        return decoderLayer < denseNorm.length ? denseNorm[decoderLayer] : Float.NaN;
    }

    /** The chosen experts of a layer as a copy. */
    public int[] chosen(int layer) {
        return chosen[layer].clone();
    }
}
