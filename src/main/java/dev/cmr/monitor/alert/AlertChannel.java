package dev.cmr.monitor.alert;

/**
 * A destination for alert notifications. {@link AlertManager} calls {@link #send} on the evaluating thread, one
 * notification at a time, never concurrently for one manager. An implementation may block (file I/O) and may
 * throw: the manager counts the failure against this channel and carries on with the other channels.
 */
public interface AlertChannel {
    /** A short name for statistics and error messages, e.g. {@code "file"}. */
    String name();

    void send(AlertNotification notification) throws Exception;
}
