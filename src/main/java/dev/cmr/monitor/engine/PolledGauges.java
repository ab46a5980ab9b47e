package dev.cmr.monitor.engine;

import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.spi.HookGauge;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the monitor polls rather than being told: the memory buffer's and the hook manager's gauges, and the
 * component-health source of diagnostics. A gauge that throws is counted as an error of its component and reads as
 * absent.
 *
 * <p>Threading: the setters may be called from any thread at any time (volatile fields; a reader sees the old or
 * the new gauge). Reads run on the reading thread (a caller of {@code getStats}, or the collector) and may block
 * only as long as the gauge does.
 */
public final class PolledGauges {
    private final ErrorCounter errors;
    private volatile BufferGauge bufferGauge;
    private volatile HookGauge hookGauge;
    private volatile Supplier<? extends Map<String, ?>> componentHealth;

    public PolledGauges(ErrorCounter errors) {
        this.errors = errors;
    }

    public void setBufferGauge(BufferGauge gauge) {
        this.bufferGauge = gauge;
    }

    public BufferGauge bufferGauge() {
        return bufferGauge;
    }

    public void setHookGauge(HookGauge gauge) {
        this.hookGauge = gauge;
    }

    public HookGauge hookGauge() {
        return hookGauge;
    }

    public void setComponentHealthSource(Supplier<? extends Map<String, ?>> source) {
        this.componentHealth = source;
    }

    /** The user's component-health source; null when none is set. */
    public Supplier<? extends Map<String, ?>> componentHealthSource() {
        return componentHealth;
    }

    /** The buffer gauge's reading; null without a gauge or when it throws (counted as {@code buffer_gauge}). */
    public BufferReading readBuffer() {
        return errors.readOrNull("buffer_gauge", bufferGauge, BufferGauge::read);
    }
}
