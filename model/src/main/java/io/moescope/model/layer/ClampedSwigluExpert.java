package io.moescope.model.layer;

import io.moescope.model.tensor.Matrix;

/**
 * gpt-oss's expert: gu = W_gu·x + b_gu with gate and up interleaved (gate = gu[2i], up = gu[2i+1]);
 * gate ← min(gate, limit), up ← clamp(up, ±limit); out = W_down·((up + 1) ⊙ gate·σ(α·gate)) + b_down.
 */
public final class ClampedSwigluExpert implements Expert {

    /** gpt-oss's constants (transformers GptOssExperts: alpha 1.702, limit 7.0; not in config.json). */
    public static final float ALPHA = 1.702f;

    public static final float LIMIT = 7.0f;

    private final Matrix gateUp; // [2I, H] interleaved rows: gate, up, gate, up, ... (bias included)
    private final Matrix down; // [H, I] (bias included)
    private final int width;

    public ClampedSwigluExpert(Matrix gateUp, Matrix down) {
        if (gateUp.rows() != 2 * down.cols() || gateUp.cols() != down.rows()) {
            throw new IllegalArgumentException("inconsistent expert shapes: gate_up " + gateUp.rows() + "x"
                    + gateUp.cols() + ", down " + down.rows() + "x" + down.cols());
        }
        this.gateUp = gateUp;
        this.down = down;
        this.width = down.cols();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public long weightBytes() {
        return gateUp.weightBytes() + down.weightBytes();
    }

    @Override
    public void apply(float[] x, int tokens, float[] out) {
        float[] gu = new float[tokens * 2 * width]; // [tokens, 2I]
        gateUp.apply(x, tokens, gu);
        float[] act = new float[tokens * width]; // [tokens, I]
        for (int i = 0; i < tokens * width; i++) {
            float gate = Math.min(gu[2 * i], LIMIT);
            float up = Math.max(-LIMIT, Math.min(gu[2 * i + 1], LIMIT));
            float glu = gate / (1f + (float) Math.exp(-ALPHA * gate));
            act[i] = (up + 1f) * glu;
        }
        down.apply(act, tokens, out);
    }
}
