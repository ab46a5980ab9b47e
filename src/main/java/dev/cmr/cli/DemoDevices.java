package dev.cmr.cli;

import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.device.BackendStatus;
import dev.cmr.monitor.device.Devices;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import dev.cmr.monitor.resources.NvmlSampler;
import dev.cmr.monitor.resources.NvmlUnavailableException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The demo's device side: reports what {@link Devices#detect()} found, binds a device timeline to the backend's queue
 * when the model runs on OpenCL (so every layer gets a device time), and adds an NVML sampler when a GPU driver is
 * there. Whatever is missing is said, with its reason, and the demo runs on without it.
 */
final class DemoDevices implements AutoCloseable {
    private final OpenClTimeline timeline; // null on the CPU backend, or when the timeline could not open
    private final OpenClGpt2Model marked;
    private final CmrPerformanceMonitor monitor;

    private DemoDevices(OpenClTimeline timeline, OpenClGpt2Model marked, CmrPerformanceMonitor monitor) {
        this.timeline = timeline;
        this.marked = marked;
        this.monitor = monitor;
    }

    static DemoDevices bind(Gpt2Backend backend, CmrPerformanceMonitor monitor, PrintStream console) {
        boolean nvml = false;
        for (BackendStatus status : Devices.detect()) {
            console.printf("  %-7s %s: %s%n", status.backend(), status.available() ? "available" : "unavailable",
                    status.detail());
            nvml |= status.backend().equals("nvml") && status.available();
        }
        if (nvml) {
            try {
                monitor.addResourceSampler(NvmlSampler.open(0));
                console.println("  GPU 0 sampled through NVML");
            } catch (NvmlUnavailableException e) {
                console.printf("  no GPU sampling: %s%n", e.getMessage());
            }
        }
        OpenClTimeline timeline = null;
        OpenClGpt2Model marked = null;
        if (backend instanceof OpenClGpt2Model openCl) {
            try {
                timeline = OpenClTimeline.open(openCl.queueHandle(), JournalSettings.defaults());
                openCl.setDeviceTimeline(timeline);
                monitor.attachDeviceTimeline(timeline);
                marked = openCl;
                console.println("  device timeline: OpenCL markers at every layer's start and end, and after every kernel while profiling (libcmrprobe)");
            } catch (RuntimeException e) {
                console.printf("  no device timeline, host times only: %s%n", e.getMessage());
            }
        } else {
            console.println("  CPU backend: every time is host time; no device times to report");
        }
        return new DemoDevices(timeline, marked, monitor);
    }

    /** Waits (briefly, polling) until every enqueued mark has resolved, so the final stats hold all device times. */
    void awaitMarks(Duration atMost) throws InterruptedException {
        if (timeline == null) {
            return;
        }
        long end = System.nanoTime() + atMost.toNanos();
        while (timeline.resolvedMarks() < timeline.enqueuedMarks() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    /**
     * Unbinds the timeline from the model and the monitor (after which neither marks nor drains it), then closes
     * it; call once the model stopped running.
     */
    @Override
    public void close() {
        if (timeline != null) {
            marked.setDeviceTimeline(null);
            monitor.attachDeviceTimeline(null);
            timeline.close();
        }
    }
}
