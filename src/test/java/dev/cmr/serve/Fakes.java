package dev.cmr.serve;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.SeededInit;
import dev.cmr.model.memory.MemoryConfig;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Generators for the service's tests: one that waits for a gate, and the real reference model on the CPU. */
final class Fakes {
    static final GenerateRequest.Limits LIMITS = new GenerateRequest.Limits(255, 256);

    private Fakes() {
    }

    /** Generates "ok" per call, token by token through the sampler, once {@link #open} ran; counts the calls. */
    static final class GatedGenerator implements Generator {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile Thread caller;

        @Override
        public int[] generate(int[] prompt, int maxNewTokens, dev.cmr.model.TokenSampler sampler) {
            caller = Thread.currentThread();
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            float[] logits = new float[ByteTokenizer.VOCAB_SIZE];
            int[] out = new int[Math.min(2, maxNewTokens)];
            for (int i = 0; i < out.length; i++) {
                java.util.Arrays.fill(logits, 0);
                logits["ok".charAt(i)] = 1;
                out[i] = sampler.next(logits);
                if (out[i] == ByteTokenizer.END_OF_TEXT) {
                    return java.util.Arrays.copyOf(out, i + 1);
                }
            }
            return out;
        }

        void open() {
            gate.countDown();
        }

        void awaitEntered() throws InterruptedException {
            if (!entered.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no request reached the generator");
            }
        }
    }

    /** The reference model's shape with seeded weights, CPU backend. */
    static FullCmrModel referenceModel() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.7).memoryWeight(0.3).build();
        return new FullCmrModel(new Gpt2Model(SeededInit.weights(Gpt2Config.demo(), 42)),
                new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory));
    }
}
