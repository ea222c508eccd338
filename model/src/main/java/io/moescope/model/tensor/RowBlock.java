package io.moescope.model.tensor;

import io.moescope.model.io.TensorInfo;

/**
 * Consecutive rows of a stored weight: rows [firstRow, firstRow + rows) of a tensor viewed as [n, cols] (a 3-D
 * expert tensor [E, R, cols] is viewed as [E·R, cols], so expert e's rows start at e·R).
 */
public record RowBlock(TensorInfo tensor, long firstRow, int rows) {

    public static RowBlock whole(TensorInfo t) {
        return new RowBlock(t, 0, (int) t.dim(0));
    }

    /** Columns: the last dimension of the tensor. */
    public int cols() {
        return (int) tensor.dim(tensor.rank() - 1);
    }
}
