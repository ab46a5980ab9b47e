package dev.cmr.monitor.engine;

import static dev.cmr.monitor.engine.ProfileGate.Admission.ACTIVE;
import static dev.cmr.monitor.engine.ProfileGate.Admission.NONE;
import static dev.cmr.monitor.engine.ProfileGate.Admission.TRIGGERED;
import static dev.cmr.monitor.engine.ProfileGate.Admission.WARMUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.ProfileSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    private static final Runnable NOTHING = () -> { };

    @Test
    void aTriggerTakesTheNextPassesEvenWithProfilingOffAndCompletesWhenTheyClose() throws Exception {
        ProfileGate gate = new ProfileGate();
        AtomicInteger firsts = new AtomicInteger();
        AtomicInteger lasts = new AtomicInteger();
        CompletableFuture<Void> done = gate.trigger(2, firsts::incrementAndGet);
        assertThat(firsts).hasValue(1);
        assertThat(gate.triggerPending()).isTrue();

        assertThat(gate.admit(false)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(false)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(false)).isEqualTo(NONE);
        assertThat(gate.triggerPending()).as("taken, not closed").isTrue();
        gate.triggeredClosed(lasts::incrementAndGet);
        assertThat(done).isNotDone();
        assertThat(lasts).hasValue(0);
        gate.triggeredClosed(lasts::incrementAndGet);
        done.get(5, TimeUnit.SECONDS);
        assertThat(lasts).hasValue(1);
        assertThat(gate.triggerPending()).isFalse();
    }

    @Test
    void aTriggerCompletesOffTheThreadThatClosedTheLastBlock() throws Exception {
        ProfileGate gate = new ProfileGate();
        CompletableFuture<Thread> completedOn = gate.trigger(1, NOTHING).thenApply(v -> Thread.currentThread());
        gate.admit(false);
        gate.triggeredClosed(NOTHING);

        assertThat(completedOn.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aSecondTriggerWhileOneIsPendingDoesNotStartAgainAndCompletesAfterTheEarlierOne() throws Exception {
        ProfileGate gate = new ProfileGate();
        AtomicInteger firsts = new AtomicInteger();
        CompletableFuture<Void> a = gate.trigger(1, firsts::incrementAndGet);
        CompletableFuture<Void> b = gate.trigger(1, firsts::incrementAndGet);
        assertThat(firsts).hasValue(1);

        gate.admit(false);
        gate.admit(false);
        gate.triggeredClosed(NOTHING);
        a.get(5, TimeUnit.SECONDS);
        assertThat(b).isNotDone();
        gate.triggeredClosed(NOTHING);
        b.get(5, TimeUnit.SECONDS);
        gate.trigger(1, firsts::incrementAndGet);
        assertThat(firsts).hasValue(2);
    }

    @Test
    void shuttingDownFailsPendingTriggersAndRefusesNewOnes() {
        ProfileGate gate = new ProfileGate();
        CompletableFuture<Void> pending = gate.trigger(3, NOTHING);
        gate.shutDown("closed");

        assertThat(pending).isCompletedExceptionally();
        assertThat(gate.admit(false)).isEqualTo(NONE);
        assertThatThrownBy(() -> gate.trigger(1, NOTHING)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTriggerOverridesASkippingSchedule() {
        ProfileGate gate = new ProfileGate();
        gate.schedule(new ProfileSchedule(5, 0, 1, 0));
        gate.trigger(1, NOTHING);
        assertThat(gate.admit(true)).isEqualTo(TRIGGERED);
        assertThat(gate.admit(true)).isEqualTo(NONE);
    }

    @Test
    void manyThreadsTakeExactlyTheTriggeredPasses() throws InterruptedException {
        ProfileGate gate = new ProfileGate();
        gate.trigger(1_000, NOTHING);
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
