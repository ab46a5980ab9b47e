package dev.cmr.model.opencl;

import static org.bytedeco.opencl.global.OpenCL.clReleaseMemObject;

import org.bytedeco.opencl._cl_mem;

/**
 * A device buffer of 32-bit elements (floats, or ints for token ids), made by {@link DeviceKernels}. Not
 * thread-safe; {@link #close()} releases it (idempotent).
 */
public final class ClBuffer implements AutoCloseable {
    private final _cl_mem mem;
    private final long elements;
    private boolean released;

    ClBuffer(_cl_mem mem, long elements) {
        this.mem = mem;
        this.elements = elements;
    }

    /** Capacity in 32-bit elements. */
    public long elements() {
        return elements;
    }

    _cl_mem mem() {
        if (released) {
            throw new IllegalStateException("buffer is released");
        }
        return mem;
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            clReleaseMemObject(mem);
        }
    }
}
