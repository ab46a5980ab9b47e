package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.testing.OpenClTestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * PoCL compiles with an LLVM inside the JVM, whose SIGSEGV handler deletes the compiler's temporary files. The JVM
 * raises SIGSEGV on purpose (safepoint polls in compiled loops, implicit null checks), so a build that meets one in
 * another thread fails with "unable to rename temporary" (by hand, without libjsig: 12 of 12 builds failed under
 * this noise, and with retries the JVM crashed). With the JDK's libjsig preloaded, as the build's test JVMs and
 * {@code bin/cmr-demo} do, the JVM's own signals never reach LLVM's handler and every build succeeds.
 */
class KernelBuildUnderJvmSignalsTest {
    private static final int BUILDS = 12;

    @Test
    void kernelsBuildWhileOtherThreadsTakeTheJvmsOwnSignals() throws Exception {
        OpenClDevice device = OpenClTestDevices.device();
        assertThat(Files.readString(Path.of("/proc/self/maps")))
                .as("libjsig.so preloaded (LD_PRELOAD=%s, as the surefire configuration sets)",
                        DeviceKernels.JSIG_HINT)
                .contains("/libjsig.so");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sink = new AtomicLong();
        List<Thread> noise = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            noise.add(new Thread(() -> {
                long x = 0;
                Object maybe = null;
                while (running.get()) {
                    for (int i = 0; i < 100_000; i++) {
                        x += i ^ (x >>> 3);
                    }
                    try {
                        x += maybe.hashCode(); // an implicit null check: a SIGSEGV in compiled code
                    } catch (NullPointerException expected) {
                        x++;
                    }
                }
                sink.addAndGet(x);
            }, "spin-" + t));
        }
        noise.add(new Thread(() -> {
            while (running.get()) {
                Thread.getAllStackTraces(); // a safepoint: each spinning thread meets its armed poll page
            }
        }, "safepoints"));
        noise.forEach(Thread::start);
        List<String> failures = new ArrayList<>();
        try {
            for (int i = 0; i < BUILDS; i++) {
                try (DeviceKernels kernels = new DeviceKernels(device)) {
                    assertThat(kernels.device()).isSameAs(device);
                } catch (IllegalStateException e) {
                    failures.add(e.getMessage());
                }
            }
        } finally {
            running.set(false);
            for (Thread t : noise) {
                t.join();
            }
        }
        assertThat(failures).as("failed builds of %d", BUILDS).isEmpty();
    }

    @Test
    void aBuildThatLostItsFilesIsToldFromAFaultInTheSource() {
        assertThat(DeviceKernels.lostTemporaryFiles("error: <invalid loc>: unable to rename temporary '/root/.cache/"
                + "pocl/kcache/tempfile_x.preproc-1.cl.tmp' to output file '/root/.cache/pocl/kcache/tempfile_x"
                + ".preproc.cl': 'No such file or directory'")).isTrue();
        assertThat(DeviceKernels.lostTemporaryFiles("<source>:3:5: error: use of undeclared identifier 'q'"))
                .isFalse();
    }
}
