package dev.cmr.monitor.engine;

import static dev.cmr.monitor.engine.ProfileGate.Admission.ACTIVE;
import static dev.cmr.monitor.engine.ProfileGate.Admission.NONE;
import static dev.cmr.monitor.engine.ProfileGate.Admission.TRIGGERED;
import static dev.cmr.monitor.engine.ProfileGate.Admission.WARMUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.ProfileSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProfileGateTest {
    @Test
    void withoutAScheduleEveryBlockIsKeptWhileProfilingIsOnAndNoneWhileOff() {
        ProfileGate gate = new ProfileGate();
        assertThat(gate.admit(true)).isEqualTo(ACTIVE);
        assertThat(gate.admit(false)).isEqualTo(NONE);
    }

    @Test
    void aScheduleDecidesEachBlockAndRestartsWhenSetAgain() {
        ProfileGate gate = new ProfileGate();
        gate.schedule(new ProfileSchedule(1, 1, 1, 1));
        List<ProfileGate.Admission> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(gate.admit(true));
        }
        assertThat(seen).containsExactly(NONE, WARMUP, ACTIVE, NONE);

        gate.schedule(new ProfileSchedule(0, 0, 1, 1));
        assertThat(gate.admit(true)).isEqualTo(ACTIVE);
    }

    @Test
    void aTriggerTakesTheNextPassesEvenWithProfilingOffAndCompletesWhenTheyClose() {
        ProfileGate gate = new ProfileGate();
        ProfileGate.Trigger trigger = gate.trigger(2);
        assertThat(trigger.first()).isTrue();

        assertThat(gate.admit(false)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(false)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(false)).isEqualTo(NONE);
        gate.triggeredClosed();
        assertThat(trigger.done()).isNotDone();
        gate.triggeredClosed();
        assertThat(trigger.done()).isCompleted();
    }

    @Test
    void aSecondTriggerWhileOneIsPendingIsNotFirstAndCompletesAfterTheEarlierOne() {
        ProfileGate gate = new ProfileGate();
        ProfileGate.Trigger a = gate.trigger(1);
        ProfileGate.Trigger b = gate.trigger(1);
        assertThat(b.first()).isFalse();

        gate.admit(false);
        gate.admit(false);
        gate.triggeredClosed();
        assertThat(a.done()).isCompleted();
        assertThat(b.done()).isNotDone();
        gate.triggeredClosed();
        assertThat(b.done()).isCompleted();
        assertThat(gate.trigger(1).first()).isTrue();
    }

    @Test
    void aTriggerOverridesASkippingSchedule() {
        ProfileGate gate = new ProfileGate();
        gate.schedule(new ProfileSchedule(5, 0, 1, 0));
        gate.trigger(1);
        assertThat(gate.admit(true)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(true)).isEqualTo(NONE);
    }

    @Test
    void manyThreadsTakeExactlyTheTriggeredPasses() throws InterruptedException {
        ProfileGate gate = new ProfileGate();
        gate.trigger(1_000);
        ConcurrentLinkedQueue<ProfileGate.Admission> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    seen.add(gate.admit(false));
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen.stream().filter(a -> a == TRIGGERED).count()).isEqualTo(1_000);
        assertThat(gate.triggerOpen()).isZero();
    }
}
