package dev.cmr.bench;

import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_TYPE_ALL;
import static org.bytedeco.opencl.global.OpenCL.CL_QUEUE_PROFILING_ENABLE;
import static org.bytedeco.opencl.global.OpenCL.clCreateCommandQueueWithProperties;
import static org.bytedeco.opencl.global.OpenCL.clCreateContext;
import static org.bytedeco.opencl.global.OpenCL.clFinish;
import static org.bytedeco.opencl.global.OpenCL.clFlush;
import static org.bytedeco.opencl.global.OpenCL.clGetDeviceIDs;
import static org.bytedeco.opencl.global.OpenCL.clGetPlatformIDs;
import static org.bytedeco.opencl.global.OpenCL.clReleaseCommandQueue;
import static org.bytedeco.opencl.global.OpenCL.clReleaseContext;

import org.bytedeco.opencl.Pfn_notify_String_Pointer_long_Pointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_platform_id;

/**
 * A profiling-enabled in-order OpenCL command queue on the first platform's first device (PoCL's CPU device on
 * this machine), created through the JavaCPP opencl preset, as a user of the library would create it. One owner
 * thread; {@link #close} after all work on it has finished.
 */
final class MarkQueue implements AutoCloseable {
    // CL_QUEUE_PROPERTIES, the key of the properties list (cl.h); the preset has it, but as an int of another type.
    private static final long CL_QUEUE_PROPERTIES = 0x1093;

    final _cl_command_queue queue;
    final _cl_context context;

    MarkQueue() {
        int[] err = new int[1];
        _cl_platform_id platform = new _cl_platform_id();
        check(clGetPlatformIDs(1, platform, (int[]) null), "clGetPlatformIDs");
        _cl_device_id device = new _cl_device_id();
        check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, device, (int[]) null), "clGetDeviceIDs");
        context = clCreateContext(null, 1, device, (Pfn_notify_String_Pointer_long_Pointer) null, null, err);
        check(err[0], "clCreateContext");
        queue = clCreateCommandQueueWithProperties(context, device,
                new long[] {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0}, err);
        check(err[0], "clCreateCommandQueueWithProperties");
    }

    void flush() {
        check(clFlush(queue), "clFlush");
    }

    void finish() {
        check(clFinish(queue), "clFinish");
    }

    static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: OpenCL error " + rc);
        }
    }

    @Override
    public void close() {
        clFinish(queue);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
