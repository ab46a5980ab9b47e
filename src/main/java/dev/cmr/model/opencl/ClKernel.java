package dev.cmr.model.opencl;

import static org.bytedeco.opencl.global.OpenCL.clCreateKernel;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueNDRangeKernel;
import static org.bytedeco.opencl.global.OpenCL.clReleaseKernel;
import static org.bytedeco.opencl.global.OpenCL.clSetKernelArg;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_kernel;
import org.bytedeco.opencl._cl_program;

/**
 * One kernel of a built program, with reusable native scratch for its arguments and sizes:
 * {@code clSetKernelArg} copies the value at once, so one scratch cell per type serves every argument and a launch
 * allocates nothing. Not thread-safe (arguments are kernel state in OpenCL too).
 */
final class ClKernel implements AutoCloseable {
    private static final long HANDLE_BYTES = Loader.sizeof(Pointer.class);

    private final String name;
    private final _cl_kernel kernel;
    private final PointerPointer<Pointer> handleArg = new PointerPointer<>(1);
    private final IntPointer intArg = new IntPointer(1);
    private final FloatPointer floatArg = new FloatPointer(1);
    private final SizeTPointer global = new SizeTPointer(2);
    private final SizeTPointer local = new SizeTPointer(2);

    ClKernel(_cl_program program, String name) {
        this.name = name;
        IntPointer status = new IntPointer(1);
        this.kernel = Cl.checked(clCreateKernel(program, name, status), status, "clCreateKernel(" + name + ")");
    }

    String name() {
        return name;
    }

    ClKernel arg(int index, ClBuffer buffer) {
        handleArg.put(0, buffer.mem());
        Cl.check(clSetKernelArg(kernel, index, HANDLE_BYTES, handleArg), name + ": clSetKernelArg(" + index + ")");
        return this;
    }

    ClKernel arg(int index, int value) {
        intArg.put(0, value);
        Cl.check(clSetKernelArg(kernel, index, 4, intArg), name + ": clSetKernelArg(" + index + ")");
        return this;
    }

    ClKernel arg(int index, float value) {
        floatArg.put(0, value);
        Cl.check(clSetKernelArg(kernel, index, 4, floatArg), name + ": clSetKernelArg(" + index + ")");
        return this;
    }

    /** A {@code __local} argument of {@code bytes} bytes. */
    ClKernel localArg(int index, long bytes) {
        Cl.check(clSetKernelArg(kernel, index, bytes, null), name + ": clSetKernelArg(" + index + ", local)");
        return this;
    }

    /** Enqueues a 1-D launch of {@code groups} work-groups of {@code groupSize}; returns at once. */
    void launch(_cl_command_queue queue, long groups, long groupSize) {
        global.put(0, groups * groupSize);
        local.put(0, groupSize);
        Cl.check(clEnqueueNDRangeKernel(queue, kernel, 1, null, global, local, 0, (PointerPointer<?>) null,
                (PointerPointer<?>) null), name + ": clEnqueueNDRangeKernel");
    }

    /** Enqueues a 2-D launch of {@code groups0 x groups1} work-groups of {@code size0 x size1}; returns at once. */
    void launch(_cl_command_queue queue, long groups0, long groups1, long size0, long size1) {
        global.put(0, groups0 * size0).put(1, groups1 * size1);
        local.put(0, size0).put(1, size1);
        Cl.check(clEnqueueNDRangeKernel(queue, kernel, 2, null, global, local, 0, (PointerPointer<?>) null,
                (PointerPointer<?>) null), name + ": clEnqueueNDRangeKernel");
    }

    @Override
    public void close() {
        clReleaseKernel(kernel);
        handleArg.close();
        intArg.close();
        floatArg.close();
        global.close();
        local.close();
    }
}
