package dev.cmr.monitor.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the reader treats a slot whose owner is mid-record: it waits for an owner that finishes (descheduled between
 * its stores), and gives up on one that never does, adding the slot as last read at a record boundary.
 */
class SlotReadAtABoundaryTest {
    private static final int PAD = 16;

    private final SlotLayout layout = new SlotLayout(2);
    private final ThreadRecorder recorder = new ThreadRecorder(Thread.currentThread(), layout);
    private final int slot = layout.forwardSlot();

    private long[] counters() throws ReflectiveOperationException {
        Field f = ThreadRecorder.class.getDeclaredField("counters");
        f.setAccessible(true);
        return (long[]) f.get(recorder);
    }

    private long[] read() {
        long[] into = new long[SlotLayout.WIDTH];
        recorder.addSlot(slot, into, 0);
        return into;
    }

    @Test
    void anOwnerThatFinishesItsRecordWhileTheReaderWaitsIsReadWithThatRecord() throws Exception {
        recorder.timed(slot, 100);
        long[] c = counters();
        int count = PAD + slot * SlotLayout.WIDTH + SlotLayout.COUNT;
        c[count] += 1; // mid-record: the sequence is odd
        CountDownLatch reading = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            try {
                reading.await();
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c[count - SlotLayout.COUNT + SlotLayout.SUM] += 200;
            c[count] += 1; // the record ends
        });
        owner.start();
        reading.countDown();
        long[] read = read();
        owner.join();

        assertThat(read[SlotLayout.COUNT]).isEqualTo(2);
        assertThat(read[SlotLayout.SUM]).isEqualTo(300);
    }

    @Test
    void anOwnerThatNeverFinishesIsReadAsLastSeenAtARecordBoundaryAndTheReaderReturns() throws Exception {
        recorder.timed(slot, 100);
        assertThat(read()[SlotLayout.COUNT]).isEqualTo(1);
        recorder.timed(slot, 100);
        long[] c = counters();
        c[PAD + slot * SlotLayout.WIDTH + SlotLayout.COUNT] += 1; // stuck mid-record for good

        long start = System.nanoTime();
        long[] read = read();
        long waited = System.nanoTime() - start;

        assertThat(read[SlotLayout.COUNT]).as("the last consistent read").isEqualTo(1);
        assertThat(read[SlotLayout.SUM]).isEqualTo(100);
        assertThat(waited).as("waited, bounded").isBetween(ThreadRecorder.READ_PATIENCE_NANOS,
                ThreadRecorder.READ_PATIENCE_NANOS + TimeUnit.SECONDS.toNanos(5));
    }
}
