package dev.cmr.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that keeps the last failure of the stream under it, for a writer above that loses it (a
 * PrintStream reduces it to a flag) or must act on it later (a response that failed must not close cleanly).
 * Subclasses learn of every byte written through {@link #written}. One writer thread.
 */
public class FailureKeepingOutputStream extends FilterOutputStream {
    private IOException failure;

    public FailureKeepingOutputStream(OutputStream out) {
        super(out);
    }

    /** The last failure of a write, flush or kept close; null while there was none. */
    public final IOException failure() {
        return failure;
    }

    /** Keeps {@code e} as the failure and returns it, for a subclass's own operations. */
    protected final IOException kept(IOException e) {
        failure = e;
        return e;
    }

    /** Called after {@code bytes} were written to the stream under this one. */
    protected void written(int bytes) {
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw kept(e);
        }
        written(1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw kept(e);
        }
        written(length);
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw kept(e);
        }
    }
}
