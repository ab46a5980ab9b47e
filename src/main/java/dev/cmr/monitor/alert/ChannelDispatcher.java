package dev.cmr.monitor.alert;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Sends each notification to every channel and counts the outcome per channel. A channel that throws anything
 * but a {@link VirtualMachineError} is counted as failed and the next channel still gets the notification; an
 * out-of-memory error is not an alerting problem and propagates. Each failure is also handed, with the channel's
 * name, to the failure sink given at construction (the monitor counts them among its errors). Threading: {@link #send} is called by one
 * evaluating thread at a time; {@link #add} and {@link #stats} may be called from any thread.
 */
final class ChannelDispatcher {
    private static final class Slot {
        final AlertChannel channel;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile String lastError;

        Slot(AlertChannel channel) {
            this.channel = channel;
        }
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, Throwable> failures;

    /** @param failures told of every failed send, with the channel's name; must not throw */
    ChannelDispatcher(BiConsumer<String, Throwable> failures) {
        this.failures = failures;
    }

    void add(AlertChannel channel) {
        slots.add(new Slot(channel));
    }

    void send(AlertNotification n) {
        for (Slot slot : slots) {
            try {
                slot.channel.send(n);
                slot.sent.incrementAndGet();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                slot.failed.incrementAndGet();
                slot.lastError = t.getClass().getName() + ": " + t.getMessage();
                failures.accept(slot.channel.name(), t);
            }
        }
    }

    List<String> names() {
        return slots.stream().map(s -> s.channel.name()).toList();
    }

    List<ChannelStats> stats() {
        return slots.stream()
                .map(s -> new ChannelStats(s.channel.name(), s.sent.get(), s.failed.get(), s.lastError))
                .toList();
    }
}
