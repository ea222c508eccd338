package io.moescope.model.train;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A preallocated FP32 buffer with two faces: an off-heap {@link INDArray} for {@code Nd4j.gemm} and a Java
 * {@code float[]} mirror for fused loops. {@link #pull()} copies native → Java, {@link #push()} Java → native;
 * callers keep track of which side is current.
 */
final class Mat {
    final long[] shape;
    final INDArray nd;
    final float[] a;

    Mat(long... shape) {
        this.shape = shape.clone();
        this.nd = Nd4j.create(DataType.FLOAT, shape);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        this.a = new float[Math.toIntExact(n)];
    }

    int length() {
        return a.length;
    }

    /** Native → Java. */
    Mat pull() {
        nd.data().asNioFloat().get(0, a);
        return this;
    }

    /** Java → native. */
    Mat push() {
        nd.data().asNioFloat().put(0, a);
        return this;
    }

    /** Zeroes both faces. */
    void zero() {
        Arrays.fill(a, 0f);
        nd.assign(0);
    }

    /** Row range [r0, r1) of a 2-D buffer as a native view (for gemm on expert groups). */
    INDArray rows(int r0, int r1) {
        return nd.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
    }
}
