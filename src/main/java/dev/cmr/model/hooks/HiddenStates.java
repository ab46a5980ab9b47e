package dev.cmr.model.hooks;

import java.nio.FloatBuffer;

/**
 * The residual stream after a block for the positions of one forward pass: {@code positions} rows of
 * {@code hiddenSize} floats. Writable: changes are what the next block sees. Valid only during the callback that
 * received it.
 *
 * <p>Backends hand it to their {@code BlockListener} (made with {@link #over}); the CMR model passes it on to hooks in
 * {@link HookEvent#hidden()}. It lives beside the hooks because what sets it apart from a float matrix is for them:
 * every write ({@link #set}, {@link #setAll}) bumps {@link #modificationCount()}, so that the {@link HookManager},
 * which hands these states to user code, can tell with two reads whether that code changed them. Not thread-safe:
 * used by one thread during one callback.
 */
public final class HiddenStates {
    private final FloatBuffer rows;
    private final int positions;
    private final int hiddenSize;
    private final int startPosition;
    private int modifications;

    HiddenStates(FloatBuffer rows, int positions, int hiddenSize, int startPosition) {
        this.rows = rows;
        this.positions = positions;
        this.hiddenSize = hiddenSize;
        this.startPosition = startPosition;
    }

    /**
     * Heap-backed states holding a copy of {@code rows} (all of equal, non-zero length), e.g. to run hooks on a
     * scratch copy.
     */
    public static HiddenStates copyOf(float[][] rows, int startPosition) {
        if (rows == null || rows.length == 0 || rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException("rows must be a non-empty matrix");
        }
        int h = rows[0].length;
        HiddenStates states = new HiddenStates(FloatBuffer.allocate(rows.length * h), rows.length, h, startPosition);
        states.setAll(rows);
        states.modifications = 0;
        return states;
    }

    /** Writes so far through {@link #set} and {@link #setAll}. */
    public int modificationCount() {
        return modifications;
    }

    /**
     * For backends: a view of {@code positions x hiddenSize} floats at the start of {@code rows} (a host copy, for
     * a device backend, that it writes back if {@link #modified()}).
     *
     * @throws IllegalArgumentException if {@code rows} is too small
     */
    public static HiddenStates over(FloatBuffer rows, int positions, int hiddenSize, int startPosition) {
        if ((long) positions * hiddenSize > rows.capacity()) {
            throw new IllegalArgumentException("rows must hold " + positions + " x " + hiddenSize + " floats, holds "
                    + rows.capacity());
        }
        return new HiddenStates(rows, positions, hiddenSize, startPosition);
    }

    /** Whether {@link #set} or {@link #setAll} has been called: a device backend then copies the rows back. */
    public boolean modified() {
        return modifications > 0;
    }

    public int positions() {
        return positions;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** Absolute position (in the sequence) of row 0. */
    public int startPosition() {
        return startPosition;
    }

    public float get(int row, int column) {
        return rows.get(row * hiddenSize + column);
    }

    public void set(int row, int column, float value) {
        rows.put(row * hiddenSize + column, value);
        modifications++;
    }

    /** A copy of one row. */
    public float[] row(int row) {
        float[] out = new float[hiddenSize];
        rows.get(row * hiddenSize, out);
        return out;
    }

    /** A copy of all rows. */
    public float[][] toArray() {
        float[][] out = new float[positions][];
        for (int t = 0; t < positions; t++) {
            out[t] = row(t);
        }
        return out;
    }

    /** Overwrites all rows with {@code states} ({@code positions x hiddenSize}). */
    public void setAll(float[][] states) {
        if (states.length != positions) {
            throw new IllegalArgumentException("states must have " + positions + " rows, has " + states.length);
        }
        for (int t = 0; t < positions; t++) {
            if (states[t].length != hiddenSize) {
                throw new IllegalArgumentException("states[" + t + "] must have " + hiddenSize + " values, has "
                        + states[t].length);
            }
            rows.put(t * hiddenSize, states[t]);
            modifications++; // per row: a row that fails validation after others were written still counts them
        }
    }
}
