package dev.cmr.monitor.device;

import dev.cmr.monitor.probe.CmrProbe;
import dev.cmr.monitor.probe.NativeProbe;
import org.bytedeco.javacpp.Pointer;

/**
 * The {@code opencl} device timeline: each mark is a {@code clEnqueueMarkerWithWaitList} on the caller's
 * command queue (created with {@code CL_QUEUE_PROFILING_ENABLE}); a native resolver thread reads the marker's
 * profiling times once the device has passed it, so neither marking nor draining waits for the device. How it
 * learns that a marker has completed is {@link JournalSettings#resolveMode()}: polling (the default, cheapest
 * mark call) or the driver's completion callbacks (lowest latency, costlier mark call on PoCL).
 *
 * <p>Timestamps, on the {@link System#nanoTime()} clock: {@code deviceNanos} is the marker's
 * {@code CL_PROFILING_COMMAND_START} (the device starts a marker only after every command enqueued before it
 * completed), {@code queuedNanos} its {@code CL_PROFILING_COMMAND_QUEUED}. The device clock is anchored by a
 * bracketing host read around a marker on a private queue, at open and every
 * {@link JournalSettings#reanchorInterval()}; each batch carries the resulting error bound.
 *
 * <p>Threading: {@link #mark} from any thread (lock-free, never blocks or allocates); {@link #drain} from one
 * thread at a time; {@link #open}, {@link #attach} and {@link #close} are setup calls that may block briefly
 * (calibration, joining the resolver thread). Close only after the marking threads have stopped.
 *
 * <p>Queues: one timeline per OpenCL device. The queue given to {@code open} is attached; others of the same
 * device must be {@link #attach attached} before marking on them. A mark on a queue that is not attached is
 * refused before it reaches the driver (a stale or foreign handle would crash inside the ICD dispatch), and
 * counts as failed.
 */
public final class OpenClTimeline extends JournalTimeline {
    private OpenClTimeline(NativeJournal journal) {
        super(journal);
    }

    /** Opens a timeline on {@code queue}'s device: a JavaCPP {@code _cl_command_queue} or any Pointer to one. */
    public static OpenClTimeline open(Pointer queue, JournalSettings settings) {
        if (queue == null || queue.isNull()) {
            throw new IllegalArgumentException("queue must be a non-null cl_command_queue");
        }
        return open(queue.address(), settings);
    }

    /** Opens a timeline on a raw {@code cl_command_queue} handle. */
    public static OpenClTimeline open(long queueHandle, JournalSettings settings) {
        if (queueHandle == 0) {
            throw new IllegalArgumentException("queueHandle must be a non-null cl_command_queue");
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        NativeJournal.requireProbe();
        CmrProbe.cmrp_journal out = new CmrProbe.cmrp_journal();
        int rc = CmrProbe.cmrp_opencl_journal_create(queueHandle, settings.poolSize(), settings.ringCapacity(),
                settings.reanchorInterval().toNanos(), settings.resolveMode().nativeCode(), out);
        if (rc != 0) {
            throw new DeviceSetupException("cannot open the OpenCL timeline: " + NativeProbe.lastError());
        }
        return new OpenClTimeline(new NativeJournal(out, "opencl"));
    }

    /** Allows marks on another profiling-enabled queue of the same device. */
    public void attach(Pointer queue) {
        if (queue == null || queue.isNull()) {
            throw new IllegalArgumentException("queue must be a non-null cl_command_queue");
        }
        journal.attach(queue.address());
    }

    public void attach(long queueHandle) {
        if (queueHandle == 0) {
            throw new IllegalArgumentException("queueHandle must be a non-null cl_command_queue");
        }
        journal.attach(queueHandle);
    }
}
