package dev.cmr.model.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, dense, row-major float32 tensor.
 *
 * <p>The shape is copied (on the way in and out) so it cannot change under the tensor; the data array is
 * <em>shared</em>, not copied, because weight tensors can be hundreds of megabytes. Equality compares name, shape and
 * data element by element (with {@link Float#floatToIntBits} semantics, so {@code NaN} equals {@code NaN} and
 * {@code 0.0f} differs from {@code -0.0f}).
 *
 * @param name  the tensor's name in the file, e.g. {@code h.0.attn.c_attn.weight}
 * @param shape dimensions, outermost first; an empty shape is a scalar (one element)
 * @param data  the elements in row-major order; its length is the product of the dimensions
 */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            count *= dim; // cannot overflow before exceeding data.length, checked right after each step
            if (count > data.length) {
                break;
            }
        }
        if (count != data.length && !(hasZero(shape) && data.length == 0)) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " does not match " + data.length + " values");
        }
    }

    private static boolean hasZero(int[] shape) {
        for (int dim : shape) {
            if (dim == 0) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements, the product of the dimensions. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    /** Name and shape only; the data may be large. */
    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
