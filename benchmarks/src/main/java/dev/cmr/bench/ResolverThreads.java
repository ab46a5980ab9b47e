package dev.cmr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the journals' resolver threads (named {@code cmrp-resolver} by libcmrprobe) have cost this process so far, from
 * the kernel's scheduler statistics ({@code /proc/self/task/<tid>/schedstat}: nanoseconds on a CPU and the number of
 * times the thread was scheduled onto one, i.e. its wake-ups). Linux only; read between measurements, never inside
 * one (it allocates).
 */
final class ResolverThreads {
    private static final String NAME = "cmrp-resolver";

    private ResolverThreads() {
    }

    /** {cpu nanoseconds, times scheduled}, summed over the live resolver threads. */
    static long[] usage() {
        long cpu = 0;
        long scheduled = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().equals(NAME)) {
                        continue;
                    }
                    String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
                    cpu += Long.parseLong(fields[0]);
                    scheduled += Long.parseLong(fields[2]);
                } catch (IOException exited) {
                    // the thread ended between the listing and the read: it costs nothing any more
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/task", e);
        }
        return new long[] {cpu, scheduled};
    }
}
