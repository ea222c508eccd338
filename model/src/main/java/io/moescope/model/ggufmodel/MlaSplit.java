package io.moescope.model.ggufmodel;

import io.moescope.model.gguf.GgufTensor;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.io.ModelLoadException;

/**
 * DeepSeek MLA as recent llama.cpp converters store it: Hugging Face's {@code kv_b_proj} [nh·(nope + v), rank] split
 * per head into {@code attn_k_b} [nh, rank, nope] (each head's key part transposed) and {@code attn_v_b}
 * [nh, v, rank] (numpy order). Rows of the Hugging Face matrix are rebuilt on read: per head, nope key rows (columns
 * of that head's k_b block), then v value rows (rows of its v_b block).
 */
final class MlaSplit {

    private final GgufTensor kB;
    private final GgufTensor vB;
    private final int heads;
    private final int nope;
    private final int v;
    private final int rank;

    private MlaSplit(GgufTensor kB, GgufTensor vB, int heads, int nope, int v, int rank) {
        this.kB = kB;
        this.vB = vB;
        this.heads = heads;
        this.nope = nope;
        this.v = v;
        this.rank = rank;
    }

    /** The pair, checked: k_b ne = [nope, rank, nh] and v_b ne = [rank, v, nh] with the same nh and rank. */
    static MlaSplit of(GgufTensor kB, GgufTensor vB) throws ModelLoadException {
        if (kB.dimCount() != 3
                || vB.dimCount() != 3
                || kB.dim(1) != vB.dim(0)
                || kB.dim(2) != vB.dim(2)
                || kB.elementCount() > Integer.MAX_VALUE
                || vB.elementCount() > Integer.MAX_VALUE) {
            throw ModelLoadException.at(
                    kB.file(),
                    "tensors '" + kB.name() + "' " + java.util.Arrays.toString(kB.dims()) + " and '" + vB.name() + "' "
                            + java.util.Arrays.toString(vB.dims())
                            + " are not one MLA kv_b split ([nope, rank, heads] and [rank, v, heads])");
        }
        return new MlaSplit(kB, vB, (int) kB.dim(2), (int) kB.dim(0), (int) vB.dim(1), (int) kB.dim(1));
    }

    GgufTensor keys() {
        return kB;
    }

    GgufTensor values() {
        return vB;
    }

    /** The Hugging Face shape [nh·(nope + v), rank]. */
    long[] shape() {
        return new long[] {(long) heads * (nope + v), rank};
    }

    /** Hugging Face rows [first, first + rows) into dst (rank values each), decoding each touched head once. */
    void readRows(QuantizedMatrix k, QuantizedMatrix val, long first, int rows, float[] dst, int dstOffset) {
        int per = nope + v;
        float[] keyBlock = new float[rank * nope]; // one head of k_b: [rank, nope]
        int decoded = -1;
        for (int r = 0; r < rows; r++) {
            long row = first + r;
            int head = (int) (row / per);
            int i = (int) (row % per);
            int out = dstOffset + r * rank;
            if (i < nope) {
                if (decoded != head) {
                    for (int c = 0; c < rank; c++) {
                        k.dequantizeRow((long) head * rank + c, keyBlock, c * nope);
                    }
                    decoded = head;
                }
                for (int c = 0; c < rank; c++) {
                    dst[out + c] = keyBlock[c * nope + i];
                }
            } else {
                val.dequantizeRow((long) head * v + (i - nope), dst, out);
            }
        }
    }
}
