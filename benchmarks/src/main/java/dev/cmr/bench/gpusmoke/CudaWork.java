package dev.cmr.bench.gpusmoke;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real GPU work on one CUDA stream for the gpu-smoke run, without compiling a CUDA kernel: memsets and copies through
 * the CUDA runtime, implemented in {@code gpu-smoke/cudawork.c} (a JNI library that {@code gpu-smoke/run.sh} builds
 * against the machine's CUDA toolkit). {@link #load} must succeed before any other method is called.
 *
 * <p>Contract: one thread; {@link #open} once, then the enqueue methods (each returns as soon as the work is on the
 * stream), {@link #synchronize} to wait, {@link #close} at the end. Sizes are bytes, at most the size given to
 * {@code open}. A CUDA error is thrown as {@link IllegalStateException} naming the failed call.
 */
final class CudaWork {
    private CudaWork() {
    }

    /** Loads the JNI library; this also loads the CUDA runtime it was linked against (not the driver). */
    static void load(Path library) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("no CUDA work library at " + library
                    + " (gpu-smoke/run.sh builds it from cudawork.c with gcc and the CUDA toolkit's headers)");
        }
        System.load(library.toAbsolutePath().toString());
    }

    /** The file the CUDA runtime was loaded from, or null when the loader cannot tell. */
    static native String runtimeLibrary();

    /** Device name, compute capability, memory, runtime and driver versions of CUDA device {@code device}. */
    static native String describe(int device);

    /** Selects {@code device} and allocates two device buffers and one pinned host buffer; returns the stream. */
    static native long open(int device, long bytes);

    static native void memset(long bytes, int value);

    static native void copyDeviceToDevice(long bytes);

    static native void copyDeviceToHost(long bytes);

    /** Blocks until the stream's work is done. */
    static native void synchronize();

    static native void close();
}
