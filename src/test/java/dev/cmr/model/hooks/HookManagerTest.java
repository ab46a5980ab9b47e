package dev.cmr.model.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookManagerTest {
    private final HookManager hooks = new HookManager();

    @Test
    void hooksRunByPriorityThenRegistrationOrder() {
        List<String> ran = new ArrayList<>();
        hooks.register(HookKind.PRE_PROCESSING, "c", 5, e -> ran.add("c"));
        hooks.register(HookKind.PRE_PROCESSING, "a", -1, e -> ran.add("a"));
        hooks.register(HookKind.PRE_PROCESSING, "d", 5, e -> ran.add("d"));
        hooks.register(HookKind.PRE_PROCESSING, "b", 0, e -> ran.add("b"));
        hooks.register(HookKind.POST_PROCESSING, "other kind", e -> ran.add("x"));

        hooks.fire(HookEvent.input(new int[] {1}));

        assertThat(ran).containsExactly("a", "b", "c", "d");
    }

    @Test
    void removingAHandleStopsTheHook() {
        List<String> ran = new ArrayList<>();
        HookHandle handle = hooks.register(HookKind.PRE_PROCESSING, "once", e -> ran.add("once"));
        hooks.fire(HookEvent.input(new int[0]));
        handle.remove();
        handle.remove();
        hooks.fire(HookEvent.input(new int[0]));

        assertThat(ran).containsExactly("once");
        assertThat(hooks.has(HookKind.PRE_PROCESSING)).isFalse();
    }

    @Test
    void aThrowingHookIsIsolatedAndReportedToErrorHooksAndTheSink() {
        List<String> ran = new ArrayList<>();
        List<String> sink = new ArrayList<>();
        List<HookEvent> errors = new ArrayList<>();
        hooks.setErrorSink((component, error) -> sink.add(component + ":" + error.getMessage()));
        hooks.register(HookKind.PRE_PROCESSING, "bad", e -> {
            throw new IllegalStateException("boom");
        });
        hooks.register(HookKind.PRE_PROCESSING, "good", e -> ran.add("good"));
        hooks.register(HookKind.ERROR, "collector", errors::add);

        hooks.fire(HookEvent.input(new int[] {7}));

        assertThat(ran).containsExactly("good");
        assertThat(sink).containsExactly("hook:bad:boom");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.failedHook()).isEqualTo("bad");
            assertThat(e.error()).hasMessage("boom");
            assertThat(e.tokenIds()).containsExactly(7);
        });
        assertThat(hooks.stats()).filteredOn(s -> s.name().equals("bad"))
                .singleElement().satisfies(s -> {
                    assertThat(s.calls()).isEqualTo(1);
                    assertThat(s.errors()).isEqualTo(1);
                });
    }

    @Test
    void aThrowingErrorHookDoesNotLoop() {
        List<String> sink = new ArrayList<>();
        hooks.setErrorSink((component, error) -> sink.add(component));
        hooks.register(HookKind.PRE_PROCESSING, "bad", e -> {
            throw new IllegalStateException();
        });
        hooks.register(HookKind.ERROR, "bad error hook", e -> {
            throw new IllegalStateException();
        });

        hooks.fire(HookEvent.input(new int[0]));

        assertThat(sink).containsExactly("hook:bad", "hook:bad error hook");
    }

    @Test
    void statsCountCallsAndTime() throws Exception {
        hooks.register(HookKind.LAYER_EXIT, "sleepy", e -> Thread.sleep(2));
        for (int i = 0; i < 3; i++) {
            hooks.fire(HookEvent.layer(HookKind.LAYER_EXIT, i, null, null));
        }
        HookStats s = hooks.stats().get(0);
        assertThat(s.calls()).isEqualTo(3);
        assertThat(s.totalNanos()).isGreaterThanOrEqualTo(6_000_000L);
        assertThat(s.maxNanos()).isGreaterThanOrEqualTo(2_000_000L);
        assertThat(s.kind()).isEqualTo(HookKind.LAYER_EXIT);
    }
}
