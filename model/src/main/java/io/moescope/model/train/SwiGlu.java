package io.moescope.model.train;

import org.nd4j.linalg.factory.Nd4j;

/** Dense SwiGLU MLP over all T rows: y = (SiLU(x·Wgᵀ) ⊙ x·Wuᵀ)·Wdᵀ. Used for the dense layer and the shared experts. */
final class SwiGlu {
    final Param gate;
    final Param up;
    final Param down;
    private final Mat a; // [T, I] gate pre-activation
    private final Mat b; // [T, I] up projection
    private final Mat h; // [T, I] SiLU(a)⊙b, then ∂L/∂h
    private final Mat db; // [T, I]

    SwiGlu(ParamStore ps, String prefix, int rows, int d, int width) {
        gate = ps.add(prefix + "gate_proj.weight", false, true, width, d);
        up = ps.add(prefix + "up_proj.weight", false, true, width, d);
        down = ps.add(prefix + "down_proj.weight", false, true, d, width);
        a = new Mat(rows, width);
        b = new Mat(rows, width);
        h = new Mat(rows, width);
        db = new Mat(rows, width);
    }

    /** x: [T, D] both faces; y: [T, D] overwritten, both faces on return. */
    void forward(Mat x, Mat y) {
        Nd4j.gemm(x.nd, gate.value.nd, a.nd, false, true, 1, 0);
        Nd4j.gemm(x.nd, up.value.nd, b.nd, false, true, 1, 0);
        a.pull();
        b.pull();
        Ops.swiglu(a.a, b.a, h.a, h.length());
        h.push();
        Nd4j.gemm(h.nd, down.value.nd, y.nd, false, true, 1, 0);
        y.pull();
    }

    /** dy: [T, D] both faces; dx: [T, D] overwritten, both faces on return. */
    void backward(Mat x, Mat dy, Mat dx) {
        Nd4j.gemm(dy.nd, h.nd, down.grad.nd, true, false, 1, 1);
        Nd4j.gemm(dy.nd, down.value.nd, h.nd, false, false, 1, 0); // h ← ∂L/∂h
        h.pull();
        Ops.swigluBackward(a.a, b.a, h.a, db.a, h.length());
        h.push(); // ∂L/∂a
        db.push();
        Nd4j.gemm(h.nd, x.nd, gate.grad.nd, true, false, 1, 1);
        Nd4j.gemm(db.nd, x.nd, up.grad.nd, true, false, 1, 1);
        Nd4j.gemm(h.nd, gate.value.nd, dx.nd, false, false, 1, 0);
        Nd4j.gemm(db.nd, up.value.nd, dx.nd, false, false, 1, 1);
        dx.pull();
    }
}
