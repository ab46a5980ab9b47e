package dev.cmr.model.opencl;

import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_END;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_QUEUED;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueMarkerWithWaitList;
import static org.bytedeco.opencl.global.OpenCL.clGetEventProfilingInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseEvent;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.DeviceTimeline;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_event;

/**
 * TEST HELPER, not the product's timeline (that is libcmrprobe's): enqueues a marker per {@link #mark} straight
 * through the opencl preset and, in {@link #drain}, reads each marker's profiling times. It allocates per mark and
 * must only be drained after the queue was finished; both are fine in a test and wrong on a record path. Device
 * times are on the device clock, not mapped to {@code System.nanoTime} ({@code errorBoundNanos} is left 0).
 */
final class ProfilingTestTimeline implements DeviceTimeline {
    private record Pending(long tag, _cl_event event) {
    }

    /** A queue handle as the preset's type, without taking ownership. */
    private static final class RawQueue extends _cl_command_queue {
        RawQueue(long handle) {
            this.address = handle;
        }
    }

    private final List<Pending> pending = new ArrayList<>();
    private long failed;
    private String lastError;

    @Override
    public String backend() {
        return "opencl";
    }

    @Override
    public boolean mark(long queueHandle, long tag) {
        PointerPointer<_cl_event> event = new PointerPointer<>(1);
        int status = clEnqueueMarkerWithWaitList(new RawQueue(queueHandle), 0, (PointerPointer<?>) null, event);
        if (status != 0) {
            failed++;
            lastError = "clEnqueueMarkerWithWaitList: " + status;
            return false;
        }
        pending.add(new Pending(tag, event.get(_cl_event.class, 0)));
        return true;
    }

    /** Call only after the queue was finished: every marker has its times then. */
    @Override
    public int drain(DeviceMarkBatch into) {
        into.clear();
        LongPointer value = new LongPointer(1);
        int n = 0;
        while (!pending.isEmpty() && n < into.capacity()) {
            Pending p = pending.remove(0);
            check(clGetEventProfilingInfo(p.event(), CL_PROFILING_COMMAND_END, 8, value, null));
            long end = value.get();
            check(clGetEventProfilingInfo(p.event(), CL_PROFILING_COMMAND_QUEUED, 8, value, null));
            into.add(p.tag(), end, value.get());
            clReleaseEvent(p.event());
            n++;
        }
        return n;
    }

    private static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("clGetEventProfilingInfo: " + status);
        }
    }

    @Override
    public long droppedMarks() {
        return 0;
    }

    @Override
    public long failedMarks() {
        return failed;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        pending.forEach(p -> clReleaseEvent(p.event()));
        pending.clear();
    }
}
