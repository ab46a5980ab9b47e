package dev.cmr.model.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HookManagerGaugeTest {
    private final HookManager hooks = new HookManager();

    private static HiddenStates states(int positions, int hiddenSize) {
        float[][] rows = new float[positions][hiddenSize];
        for (int t = 0; t < positions; t++) {
            for (int c = 0; c < hiddenSize; c++) {
                rows[t][c] = t + c / 10f;
            }
        }
        return HiddenStates.copyOf(rows, 0);
    }

    private void fireLayer(HookKind kind, int layer) {
        hooks.fire(HookEvent.layer(kind, layer, states(3, 4), List.of()));
    }

    @Test
    void readingsCountCallsErrorsAndTheLayersEachHookWasCalledAt() {
        AtomicLong n = new AtomicLong();
        hooks.register(HookKind.LAYER_EXIT, "odd fails", e -> {
            if (n.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("odd");
            }
        });
        hooks.register(HookKind.PRE_PROCESSING, "pass level", e -> { });
        for (int layer : new int[] {0, 5, 5, 64, 4095}) {
            fireLayer(HookKind.LAYER_EXIT, layer);
        }
        hooks.fire(HookEvent.input(new int[] {1}));

        List<HookReading> readings = hooks.readHooks();

        assertThat(readings).extracting(HookReading::name).containsExactly("pass level", "odd fails");
        HookReading odd = readings.get(1);
        assertThat(odd.kind()).isEqualTo("LAYER_EXIT");
        assertThat(odd.calls()).isEqualTo(5);
        assertThat(odd.errors()).isEqualTo(3);
        assertThat(odd.layersSeen()).containsExactly(0, 5, 64, 4095);
        assertThat(odd.p99Nanos()).isPositive().isLessThanOrEqualTo(odd.maxNanos());
        assertThat(odd.meanNanos()).isEqualTo((double) odd.totalNanos() / 5);
        assertThat(readings.get(0).layersSeen()).as("pass-level events have no layer").isEmpty();
        assertThat(readings.get(0).calls()).isEqualTo(1);
    }

    @Test
    void aHookThatWritesHiddenStatesMarksItsLayerModifiedAndAReaderDoesNot() {
        hooks.register(HookKind.LAYER_EXIT, "writer at 2", e -> {
            if (e.layer() == 2) {
                e.hidden().set(1, 1, 9f);
            }
        });
        hooks.register(HookKind.LAYER_EXIT, "reader", e -> e.hidden().row(0));
        hooks.register(HookKind.RECONSTRUCTION, "rewriter", e -> e.hidden().setAll(e.hidden().toArray()));
        for (int layer = 0; layer < 4; layer++) {
            fireLayer(HookKind.LAYER_EXIT, layer);
        }
        fireLayer(HookKind.RECONSTRUCTION, 3);

        List<HookReading> readings = hooks.readHooks();

        assertThat(readings.get(0).layersModified()).containsExactly(2);
        assertThat(readings.get(1).layersModified()).isEmpty();
        assertThat(readings.get(2).layersModified()).as("writing equal values is still a write").containsExactly(3);
    }

    @Test
    void theOrderProbeComparesBothOrdersOnScratchStatesOnlyForSameKindSameLayerWriters() {
        AtomicLong probeSawRows = new AtomicLong();
        hooks.register(HookKind.LAYER_EXIT, "add", e -> e.hidden().set(0, 0, e.hidden().get(0, 0) + 1f));
        hooks.register(HookKind.LAYER_EXIT, "double", e -> {
            probeSawRows.set(e.hidden().positions());
            e.hidden().set(0, 0, e.hidden().get(0, 0) * 2f);
        });
        hooks.register(HookKind.LAYER_EXIT, "other column", e -> e.hidden().set(0, 1, 7f));
        hooks.register(HookKind.RECONSTRUCTION, "other kind", e -> e.hidden().set(0, 0, 0f));
        fireLayer(HookKind.LAYER_EXIT, 1);
        fireLayer(HookKind.RECONSTRUCTION, 1);
        long callsBefore = hooks.readHooks().get(0).calls();

        List<HookOrderProbe> probes = hooks.probeHookOrder();

        assertThat(probes).extracting(p -> p.firstHook() + "/" + p.secondHook() + ":" + p.outcome())
                .containsExactly("add/double:ORDER_DEPENDENT", "add/other column:COMMUTES",
                        "double/other column:COMMUTES");
        assertThat(probes.get(0).maxAbsDifference()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(probes).allSatisfy(p -> assertThat(p.layer()).isEqualTo(1));
        assertThat(probeSawRows.get()).as("the shape seen at layer 1").isEqualTo(3);
        assertThat(hooks.readHooks().get(0).calls()).isEqualTo(callsBefore);
    }

    @Test
    void aHookThatThrowsOnScratchStatesMakesTheProbeFailedNotAConflict() {
        List<String> sink = new java.util.ArrayList<>();
        hooks.setErrorSink((component, error) -> sink.add(component));
        hooks.register(HookKind.LAYER_EXIT, "needs memories", e -> {
            e.hidden().set(0, 0, e.memories().get(0).stateAt(0));
        });
        hooks.register(HookKind.LAYER_EXIT, "scale", e -> e.hidden().set(0, 0, 2f * e.hidden().get(0, 0)));
        hooks.fire(HookEvent.layer(HookKind.LAYER_EXIT, 0, states(2, 2),
                List.of(new dev.cmr.model.memory.MemoryEntry(1, 0, new float[] {5f, 5f}, 1f, 1))));

        List<HookOrderProbe> probes = hooks.probeHookOrder();

        assertThat(probes).singleElement().satisfies(p -> {
            assertThat(p.outcome()).isEqualTo(HookOrderProbe.Outcome.PROBE_FAILED);
            assertThat(p.maxAbsDifference()).isNaN();
            assertThat(p.detail()).contains("IndexOutOfBoundsException");
        });
        assertThat(sink).as("probe failures are not hook errors").isEmpty();
        assertThat(hooks.readHooks().get(0).errors()).isZero();
    }
}
