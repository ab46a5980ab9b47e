package dev.cmr.monitor.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not exceed {@code maxBytes}: reading past the cap throws {@link BodyTooLarge}, which
 * {@link Router} answers with 413. Catches bodies without a {@code Content-Length} (chunked) and ones whose length
 * lies. One handler thread reads it.
 */
final class CappedInputStream extends FilterInputStream {
    /** The body went past the cap. */
    static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(long maxBytes) {
            super("request body is larger than " + maxBytes + " bytes");
        }
    }

    private final long maxBytes;
    private long read;

    CappedInputStream(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws BodyTooLarge {
        read += n;
        if (read > maxBytes) {
            throw new BodyTooLarge(maxBytes);
        }
    }
}
