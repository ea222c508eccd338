package io.moescope.model.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives: file, dtype, shape and absolute byte range in the file.
 *
 * @param offset absolute offset of the first byte in the file
 */
public record TensorInfo(String name, Path file, DType dtype, long[] shape, long offset, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
