package dev.cmr.model.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A float array in native memory: BLAS reads and writes it through {@link #pointer()} without the copy a Java
 * {@code float[]} argument would cost on every call; Java code reads and writes it through {@link #view()}, a direct
 * buffer over the same memory. Not thread-safe. {@link #close()} frees the memory (otherwise the garbage collector
 * does, through JavaCPP).
 */
public final class NativeArray implements AutoCloseable {
    private final FloatPointer pointer;
    private final FloatBuffer view;
    private final int length;

    public NativeArray(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, was " + length);
        }
        this.length = length;
        this.pointer = new FloatPointer(length);
        pointer.zero();
        this.view = pointer.asBuffer();
    }

    public static NativeArray of(float[] values) {
        NativeArray a = new NativeArray(values.length);
        a.view.put(0, values);
        return a;
    }

    public int length() {
        return length;
    }

    public FloatPointer pointer() {
        return pointer;
    }

    public FloatBuffer view() {
        return view;
    }

    public float get(int i) {
        return view.get(i);
    }

    public void set(int i, float v) {
        view.put(i, v);
    }

    /** Copies {@code n} floats starting at {@code from} into a new Java array. */
    public float[] copyOut(int from, int n) {
        float[] out = new float[n];
        view.get(from, out);
        return out;
    }

    @Override
    public void close() {
        pointer.close();
    }
}
