package dev.cmr.testing;

import static org.bytedeco.opencl.global.OpenCL.CL_DEVICE_TYPE_ALL;
import static org.bytedeco.opencl.global.OpenCL.CL_MEM_WRITE_ONLY;
import static org.bytedeco.opencl.global.OpenCL.CL_PROGRAM_BUILD_LOG;
import static org.bytedeco.opencl.global.OpenCL.CL_QUEUE_PROFILING_ENABLE;
import static org.bytedeco.opencl.global.OpenCL.CL_COMPLETE;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_END;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_START;
import static org.bytedeco.opencl.global.OpenCL.clBuildProgram;
import static org.bytedeco.opencl.global.OpenCL.clCreateUserEvent;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueBarrierWithWaitList;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueReadBuffer;
import static org.bytedeco.opencl.global.OpenCL.clGetEventProfilingInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseEvent;
import static org.bytedeco.opencl.global.OpenCL.clSetUserEventStatus;
import static org.bytedeco.opencl.global.OpenCL.clCreateBuffer;
import static org.bytedeco.opencl.global.OpenCL.clCreateCommandQueueWithProperties;
import static org.bytedeco.opencl.global.OpenCL.clCreateContext;
import static org.bytedeco.opencl.global.OpenCL.clCreateKernel;
import static org.bytedeco.opencl.global.OpenCL.clCreateProgramWithSource;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueNDRangeKernel;
import static org.bytedeco.opencl.global.OpenCL.clFinish;
import static org.bytedeco.opencl.global.OpenCL.clGetDeviceIDs;
import static org.bytedeco.opencl.global.OpenCL.clGetPlatformIDs;
import static org.bytedeco.opencl.global.OpenCL.clGetProgramBuildInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseCommandQueue;
import static org.bytedeco.opencl.global.OpenCL.clReleaseContext;
import static org.bytedeco.opencl.global.OpenCL.clReleaseKernel;
import static org.bytedeco.opencl.global.OpenCL.clReleaseMemObject;
import static org.bytedeco.opencl.global.OpenCL.clReleaseProgram;
import static org.bytedeco.opencl.global.OpenCL.clSetKernelArg;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl.Pfn_notify_String_Pointer_long_Pointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_event;
import org.bytedeco.opencl._cl_kernel;
import org.bytedeco.opencl._cl_mem;
import org.bytedeco.opencl._cl_platform_id;
import org.bytedeco.opencl._cl_program;

/**
 * A real OpenCL device for tests, through the JavaCPP opencl preset: the first platform's first device, a context,
 * a profiling-enabled in-order queue and a kernel of known work ({@code spin}: a dependent multiply-add chain of
 * {@code iterations} steps per work item, which no compiler can shorten). Built and warmed up once (PoCL pays
 * about 80 ms of JIT on a kernel's first launch). Made by {@link OpenClTestDevices#spinQueue()}, which skips the
 * test first when there is no platform. One thread at a time.
 */
public final class OpenClTestQueue implements AutoCloseable {
    private static final int CL_QUEUE_PROPERTIES = 0x1093;
    private static final long WORK_ITEMS = 4;
    private static final String SOURCE = """
            __kernel void spin(__global float *out, int iterations) {
                float x = (float)get_global_id(0) + 1.0f;
                for (int i = 0; i < iterations; i++) {
                    x = x * 0.999999f + 0.5f;
                }
                out[get_global_id(0)] = x;
            }
            """;

    public final _cl_device_id device = new _cl_device_id();
    public final _cl_context context;
    public final _cl_command_queue queue;
    private final _cl_program program;
    private final _cl_kernel kernel;
    private final _cl_mem out;
    private final IntPointer iterationsArg = new IntPointer(1);
    private final SizeTPointer globalSize = new SizeTPointer(1).put(WORK_ITEMS);

    OpenClTestQueue() {
        int[] err = new int[1];
        _cl_platform_id platform = new _cl_platform_id();
        check(clGetPlatformIDs(1, platform, (int[]) null), "clGetPlatformIDs");
        check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, device, (int[]) null), "clGetDeviceIDs");
        context = clCreateContext(null, 1, device, (Pfn_notify_String_Pointer_long_Pointer) null, null, err);
        check(err[0], "clCreateContext");
        queue = createProfilingQueue();
        IntPointer status = new IntPointer(1);
        program = clCreateProgramWithSource(context, 1, new BytePointer(SOURCE), (SizeTPointer) null, status);
        check(status.get(), "clCreateProgramWithSource");
        int rc = clBuildProgram(program, 1, device, "", null, null);
        if (rc != 0) {
            BytePointer log = new BytePointer(16384);
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.capacity(), log, null);
            throw new IllegalStateException("clBuildProgram failed (" + rc + "): " + log.getString());
        }
        kernel = clCreateKernel(program, "spin", err);
        check(err[0], "clCreateKernel");
        out = clCreateBuffer(context, CL_MEM_WRITE_ONLY, 4 * WORK_ITEMS, null, err);
        check(err[0], "clCreateBuffer");
        check(clSetKernelArg(kernel, 0, Loader.sizeof(Pointer.class), new PointerPointer<>(1).put(0, out)), "clSetKernelArg");
        enqueueSpin(1000); // warm-up: JIT before anything is timed
        finish();
    }

    /** Another profiling queue on the same device and context. */
    public _cl_command_queue createProfilingQueue() {
        int[] err = new int[1];
        _cl_command_queue q = clCreateCommandQueueWithProperties(context, device,
                new long[] {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0}, err);
        check(err[0], "clCreateCommandQueueWithProperties");
        return q;
    }

    /** A queue without profiling, which the timeline must refuse. */
    public _cl_command_queue createPlainQueue() {
        int[] err = new int[1];
        _cl_command_queue q = clCreateCommandQueueWithProperties(context, device, new long[] {0}, err);
        check(err[0], "clCreateCommandQueueWithProperties");
        return q;
    }

    public void enqueueSpin(int iterations) {
        iterationsArg.put(iterations);
        check(clSetKernelArg(kernel, 1, 4, iterationsArg), "clSetKernelArg");
        check(clEnqueueNDRangeKernel(queue, kernel, 1, null, globalSize, null, 0, (_cl_event) null, (_cl_event) null),
                "clEnqueueNDRangeKernel");
    }

    /**
     * Enqueues the spin kernel with an event of its own and returns its device time from that event's profiling
     * times ({@code END - START}, device clock), once it completed: {@link #finish()} or a blocking call first.
     */
    public _cl_event enqueueTimedSpin(int iterations) {
        iterationsArg.put(iterations);
        check(clSetKernelArg(kernel, 1, 4, iterationsArg), "clSetKernelArg");
        _cl_event event = new _cl_event();
        check(clEnqueueNDRangeKernel(queue, kernel, 1, null, globalSize, null, 0, (_cl_event) null, event),
                "clEnqueueNDRangeKernel");
        return event;
    }

    /** The device time of a completed event from {@link #enqueueTimedSpin}, and releases it. */
    public static long deviceNanosAndRelease(_cl_event event) {
        LongPointer value = new LongPointer(1);
        check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, 8, value, null), "clGetEventProfilingInfo");
        long start = value.get();
        check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, 8, value, null), "clGetEventProfilingInfo");
        long end = value.get();
        clReleaseEvent(event);
        value.close();
        return end - start;
    }

    /** Reads the spin kernel's output back with a blocking read: returns once the queue reached it. */
    public void blockingRead() {
        try (FloatPointer host = new FloatPointer(WORK_ITEMS)) {
            check(clEnqueueReadBuffer(queue, out, 1, 0, 4 * WORK_ITEMS, host, 0, (PointerPointer<?>) null, null),
                    "clEnqueueReadBuffer");
        }
    }

    /** A user event, not complete until {@link #complete} is called on it. */
    public _cl_event userEvent() {
        int[] err = new int[1];
        _cl_event event = clCreateUserEvent(context, err);
        check(err[0], "clCreateUserEvent");
        return event;
    }

    /** Holds everything enqueued after this call until {@code event} completes (an in-order queue's barrier). */
    public void enqueueBarrierOn(_cl_event event) {
        check(clEnqueueBarrierWithWaitList(queue, 1, new PointerPointer<>(1).put(0, event), null),
                "clEnqueueBarrierWithWaitList");
    }

    /** Completes a {@link #userEvent} and releases it. */
    public static void complete(_cl_event event) {
        check(clSetUserEventStatus(event, CL_COMPLETE), "clSetUserEventStatus");
        clReleaseEvent(event);
    }

    public void finish() {
        check(clFinish(queue), "clFinish");
    }

    public static void release(_cl_command_queue q) {
        clReleaseCommandQueue(q);
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: " + rc);
        }
    }

    @Override
    public void close() {
        clFinish(queue);
        clReleaseMemObject(out);
        clReleaseKernel(kernel);
        clReleaseProgram(program);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
