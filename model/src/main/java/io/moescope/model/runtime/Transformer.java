package io.moescope.model.runtime;

import io.moescope.model.api.Intervention;
import io.moescope.model.config.FamilyExtras;
import io.moescope.model.config.ModelConfig;
import io.moescope.model.layer.KvCache;
import io.moescope.model.layer.LayerProbe;
import io.moescope.model.layer.LayerRouting;
import io.moescope.model.layer.RmsNorm;
import io.moescope.model.tensor.Matrix;
import io.moescope.model.tensor.RowTable;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder stack: embedding → layers → final norm → lm_head, over a batch of new positions of a session (with
 * Granite's embedding, residual and logits multipliers, Gemma 4's layer scalars and logit softcap where the config
 * sets them).
 */
public final class Transformer {

    private final ModelConfig config;
    private final RowTable embedding; // [V, H]
    private final DecoderLayer[] layers;
    private final RmsNorm finalNorm;
    private final Matrix lmHead; // [V, H]

    Transformer(ModelConfig config, RowTable embedding, DecoderLayer[] layers, RmsNorm finalNorm, Matrix lmHead) {
        this.config = config;
        this.embedding = embedding;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
    }

    public ModelConfig config() {
        return config;
    }

    public Session newSession() {
        KvCache[] caches = new KvCache[layers.length];
        for (int i = 0; i < layers.length; i++) {
            caches[i] = layers[i].attention().newCache();
        }
        return new Session(caches);
    }

    /**
     * Feeds {@code ids} at the session's next positions.
     *
     * @param allLogits logits for every new position (else only for the last)
     * @param capture   receives one LayerRouting per decoder layer (in layer order; dense layers' are
     *                  {@link LayerRouting#dense}) if non-null
     * @return logits [positions, V] row-major (positions = ids.length or 1)
     */
    public float[] forward(Session session, int[] ids, boolean allLogits, Intervention iv, List<LayerRouting> capture) {
        return forward(session, ids, allLogits, iv, capture, null);
    }

    /**
     * {@link #forward(Session, int[], boolean, Intervention, List)}, also filling {@code probe} (null: none) with
     * every vector of its MoE layer at its batch row.
     */
    public float[] forward(
            Session session,
            int[] ids,
            boolean allLogits,
            Intervention iv,
            List<LayerRouting> capture,
            LayerProbe probe) {
        int t = ids.length;
        int h = config.hiddenSize();
        int v = config.vocabSize();
        float[] x = new float[t * h]; // [T, H] residual stream
        for (int i = 0; i < t; i++) {
            if (ids[i] < 0 || ids[i] >= v) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary 0.." + (v - 1));
            }
            embedding.copyRow(ids[i], x, i * h);
        }
        FamilyExtras extras = config.extras();
        scale(x, (float) extras.embeddingMultiplier());
        float residual = (float) extras.residualMultiplier();
        float[] normed = new float[t * h];
        float[] delta = new float[t * h];
        for (DecoderLayer layer : layers) {
            layer.inputNorm().apply(x, t, normed);
            layer.attention().forward(normed, t, session.cache(layer.index()), delta);
            addInPlace(x, delta, residual);
            if (layer.postNorm() != null) {
                layer.postNorm().apply(x, t, normed);
            } else {
                System.arraycopy(x, 0, normed, 0, t * h);
            }
            LayerRouting lr = null;
            if (capture != null) {
                lr = config.isMoeLayer(layer.index())
                        ? new LayerRouting(layer.index(), t)
                        : LayerRouting.dense(layer.index(), t);
                capture.add(lr);
            }
            boolean probed = probe != null && probe.layer == layer.index();
            if (probed) {
                lr = lr == null ? new LayerRouting(layer.index(), t) : lr;
                lr.probe = probe;
                probe.residualIn = Arrays.copyOfRange(x, probe.row * h, (probe.row + 1) * h);
                probe.hiddenIn = Arrays.copyOfRange(normed, probe.row * h, (probe.row + 1) * h);
                probe.residualMultiplier = residual;
                probe.outputScale = layer.outputScale();
            }
            layer.ffn().forward(normed, t, iv, lr, delta);
            addInPlace(x, delta, residual);
            scale(x, layer.outputScale());
            if (probed) {
                probe.residualOut = Arrays.copyOfRange(x, probe.row * h, (probe.row + 1) * h);
            }
        }
        int rows = allLogits ? t : 1;
        float[] last = new float[rows * h];
        System.arraycopy(x, (t - rows) * h, last, 0, rows * h);
        finalNorm.apply(last, rows, last);
        float[] logits = new float[rows * v];
        lmHead.apply(last, rows, logits);
        if (extras.logitSoftcap() > 0) {
            double cap = extras.logitSoftcap();
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (cap * Math.tanh(logits[i] / cap));
            }
        }
        if (extras.logitsScaling() != 1.0) {
            float s = (float) extras.logitsScaling();
            for (int i = 0; i < logits.length; i++) {
                logits[i] /= s;
            }
        }
        return logits;
    }

    /** x += m·d (m = 1 except for Granite's residual_multiplier). */
    private static void addInPlace(float[] x, float[] d, float m) {
        if (m == 1f) {
            for (int i = 0; i < x.length; i++) {
                x[i] += d[i];
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                x[i] += d[i] * m;
            }
        }
    }

    private static void scale(float[] x, float m) {
        if (m != 1f) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= m;
            }
        }
    }

    /**
     * Weight bytes one decode token reads, in the dtype the kernels read (BF16 when mapped, FP32 copies otherwise):
     * attention + router + active experts + shared experts + lm_head + one embedding row.
     */
    public long activeBytesPerToken() {
        long n = lmHead.weightBytes() + embedding.bytes() / Math.max(1, embedding.rows());
        for (DecoderLayer l : layers) {
            n += l.attention().weightBytes() + l.ffn().activeBytesPerToken();
        }
        return n;
    }

    public long totalWeightBytes() {
        long n = lmHead.weightBytes() + embedding.bytes();
        for (DecoderLayer l : layers) {
            n += l.attention().weightBytes() + l.ffn().totalBytes();
        }
        return n;
    }
}
