package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The partition against a nanosecond-by-nanosecond count over random, overlapping, partly out-of-window spans: each
 * part equals the count of its instants, so the four add up to the wall time.
 */
class PassPartitionProperties {
    private static final int HORIZON = 300;

    @Provide
    Arbitrary<PassTrace> passes() {
        Arbitrary<long[]> interval = Combinators.combine(Arbitraries.longs().between(0, HORIZON),
                Arbitraries.longs().between(0, 80)).as((start, length) -> new long[] {start, start + length});
        Arbitrary<List<HostSpan>> layers = Combinators.combine(Arbitraries.integers().between(0, 3), interval,
                        Arbitraries.longs().between(1, 2))
                .as((layer, i, thread) -> new HostSpan(layer, Stage.LAYER, i[0], i[1], thread)).list().ofMaxSize(8);
        Arbitrary<List<SyncWaitSpan>> waits = Combinators.combine(Arbitraries.integers().between(0, 3), interval)
                .as((layer, i) -> new SyncWaitSpan(layer, i[0], i[1])).list().ofMaxSize(6);
        Arbitrary<List<DeviceSpan>> device = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3), interval)
                .as((queue, layer, i) -> new DeviceSpan(queue, layer, null, DeviceSpan.UNKNOWN, i[0], i[1]))
                .list().ofMaxSize(8);
        return Combinators.combine(interval, layers, waits, device)
                .as((window, l, w, d) -> new PassTrace(window[0], window[1] + 100, l, w, d, 0));
    }

    @Property(tries = 500)
    void partsCountTheirInstantsAndAddUpToTheWallTime(@ForAll("passes") PassTrace pass) {
        long hostOnly = 0;
        long deviceOnly = 0;
        long overlap = 0;
        long idle = 0;
        for (long t = pass.startNanos(); t < pass.endNanos(); t++) {
            boolean host = covers(pass.hostSpans().stream().map(s -> new long[] {s.startNanos(), s.endNanos()}), t)
                    && !covers(pass.syncWaits().stream().map(s -> new long[] {s.startNanos(), s.endNanos()}), t);
            boolean device = covers(pass.deviceSpans().stream().map(s -> new long[] {s.startNanos(), s.endNanos()}), t);
            if (host && device) {
                overlap++;
            } else if (host) {
                hostOnly++;
            } else if (device) {
                deviceOnly++;
            } else {
                idle++;
            }
        }

        PassPartition p = PassPartition.of(pass);

        assertThat(p).isEqualTo(new PassPartition(pass.wallNanos(), hostOnly, deviceOnly, overlap, idle));
        assertThat(p.hostOnlyNanos() + p.deviceOnlyNanos() + p.overlapNanos() + p.idleNanos())
                .isEqualTo(pass.wallNanos());
    }

    private static boolean covers(java.util.stream.Stream<long[]> intervals, long t) {
        return intervals.anyMatch(i -> i[0] <= t && t < i[1]);
    }
}
