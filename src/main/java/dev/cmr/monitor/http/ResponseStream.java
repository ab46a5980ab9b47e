package dev.cmr.monitor.http;

import dev.cmr.io.FailureKeepingOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that, once a write to the client failed or the response was {@linkplain #abandon abandoned},
 * refuses to close. The JDK server closes a connection's socket only when closing the exchange's response stream
 * throws: a handler that closes the stream after a failed write (try-with-resources does) would otherwise leave the
 * socket open for the life of the server, one per client that went away mid-response, and a response cut short by
 * a failing handler would end with a clean last chunk, as if whole. With this stream every such close throws, up to
 * and including {@code HttpExchange.close()}, which then closes the socket; {@link Router} then rethrows the
 * failure so that the server forgets the connection as well. One handler thread writes it.
 */
final class ResponseStream extends FailureKeepingOutputStream {
    ResponseStream(OutputStream out) {
        super(out);
    }

    /**
     * Marks the response as cut short by {@code cause} (a failure the handler met elsewhere, or its own failure after
     * the headers were sent), so that closing it ends the connection rather than completing the response.
     */
    void abandon(IOException cause) {
        if (failure() == null) {
            kept(cause);
        }
    }

    @Override
    public void close() throws IOException {
        if (failure() != null) {
            throw new IOException("the response was cut short: the connection is dropped", failure());
        }
        try {
            out.close();
        } catch (IOException e) {
            throw kept(e);
        }
    }
}
