package dev.cmr.monitor.http;

import dev.cmr.io.FailureKeepingOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that, once a write to the client failed, refuses to close. The JDK server drops a connection
 * only when closing the exchange's response stream throws: a handler that closes the stream after a failed write
 * (try-with-resources does) would otherwise leave the connection registered and its socket open for the life of the
 * server, one per client that went away mid-response. With this stream every such close throws, up to and
 * including {@code HttpExchange.close()}, which then closes the connection. One handler thread writes it.
 */
final class ResponseStream extends FailureKeepingOutputStream {
    ResponseStream(OutputStream out) {
        super(out);
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
