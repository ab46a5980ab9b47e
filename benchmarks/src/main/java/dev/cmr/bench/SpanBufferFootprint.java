package dev.cmr.bench;

import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.SpanBuffer;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * The memory one profiled thread's span buffer takes, at the default and at the largest {@code max_profile_spans},
 * with and without {@code profile_memory}: computed from the array sizes (per span an int and two longs, one long
 * more with memory, plus four 16-byte array headers and the buffer object) and measured with JOL
 * ({@code GraphLayout.parseInstance(buffer).totalSize()}: the buffer and its arrays) and, as a cross-check, by the
 * allocating thread's allocation counter around the block open that allocates it.
 *
 * <p>Run: {@code java -Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading -cp target/benchmarks.jar
 * dev.cmr.bench.SpanBufferFootprint}.
 */
public final class SpanBufferFootprint {
    private SpanBufferFootprint() {
    }

    public static void main(String[] args) {
        System.out.println(VM.current().details());
        System.out.println("| max_profile_spans | profile_memory | computed bytes | JOL totalSize | allocated at open |");
        System.out.println("|---:|---|---:|---:|---:|");
        int[] sizes = {MonitoringConfig.defaults().maxProfileSpans(), MonitoringConfig.MAX_PROFILE_SPANS};
        for (int spans : sizes) {
            for (boolean memory : new boolean[] {false, true}) {
                Recording recording = new Recording(new SlotLayout(32));
                recording.openBlockSpans(1, false); // registers the thread's recorder first
                recording.closeBlockSpans();
                long before = threadAllocatedBytes();
                SpanBuffer buffer = recording.openBlockSpans(spans, memory);
                long allocated = threadAllocatedBytes() - before;
                long computed = (long) spans * (4 + 8 + 8 + (memory ? 8 : 0)) + (memory ? 4 : 3) * 16L;
                System.out.printf("| %d | %s | %d (%.1f KiB) | %d | %d |%n", spans, memory, computed,
                        computed / 1024.0, GraphLayout.parseInstance(buffer).totalSize(), allocated);
                recording.closeBlockSpans();
            }
        }
    }

    private static long threadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
