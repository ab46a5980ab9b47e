package dev.cmr.monitor;

/**
 * Which profiled blocks a server keeps, in the spirit of PyTorch's {@code torch.profiler.schedule}: each
 * {@link CmrPerformanceMonitor#profileExecution} call made while profiling is on is one step (calls an on-demand
 * trigger takes are not), and the steps run in cycles of {@code skip} steps
 * that are not profiled (the block is the no-op block), {@code warmup} steps that are profiled and thrown away (the
 * first passes after a pause pay cold caches and first-use allocation), and {@code active} steps whose passes are
 * kept. {@code repeat} cycles run, then no step is profiled until a schedule is set again; 0 repeats for ever.
 *
 * <p>Steps are counted across all threads that open blocks, in the order their {@code profileExecution} calls
 * happen.
 *
 * @throws IllegalArgumentException naming the field when a count is negative or {@code active} is 0
 */
public record ProfileSchedule(int skip, int warmup, int active, int repeat) {
    /** What one step of the schedule does. */
    public enum Step {
        SKIP, WARMUP, ACTIVE, DONE
    }

    public ProfileSchedule {
        checkNonNegative("skip", skip);
        checkNonNegative("warmup", warmup);
        checkNonNegative("repeat", repeat);
        if (active < 1) {
            throw new IllegalArgumentException("active must be >= 1 (a schedule that keeps nothing), was " + active);
        }
    }

    /** Step {@code step} (0 is the first {@code profileExecution} call after the schedule was set). */
    public Step step(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, was " + step);
        }
        long cycle = (long) skip + warmup + active;
        if (repeat > 0 && step / cycle >= repeat) { // not step >= cycle * repeat, which can overflow
            return Step.DONE;
        }
        long inCycle = step % cycle;
        if (inCycle < skip) {
            return Step.SKIP;
        }
        return inCycle < (long) skip + warmup ? Step.WARMUP : Step.ACTIVE;
    }

    private static void checkNonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
    }
}
