package io.moescope.model.train;

import java.util.Arrays;

/**
 * One trainable tensor with its HF name, value, gradient and AdamW moments. {@code javaGrad} says whether the
 * gradient is accumulated in Java ({@code grad.a}: embedding, norms) or by gemm ({@code grad.nd}: linear weights).
 */
final class Param {
    final String name;
    final long[] shape;
    final Mat value;
    final Mat grad;
    final boolean javaGrad;
    final boolean decay;
    final float[] m;
    final float[] v;

    Param(String name, boolean javaGrad, boolean decay, long... shape) {
        this.name = name;
        this.shape = shape;
        this.value = new Mat(shape);
        this.grad = new Mat(shape);
        this.javaGrad = javaGrad;
        this.decay = decay;
        this.m = new float[value.length()];
        this.v = new float[value.length()];
    }

    void zeroGrad() {
        if (javaGrad) {
            Arrays.fill(grad.a, 0f);
        } else {
            grad.nd.assign(0);
        }
    }

    /** Makes grad.a current (gemm-accumulated gradients live natively until now). */
    void collectGrad() {
        if (!javaGrad) {
            grad.pull();
        }
    }
}
