package dev.cmr.monitor.alert;

import java.util.Objects;
import java.util.function.Consumer;

/** Hands each notification to application code. The consumer runs on the evaluating thread; what it throws counts
 *  as this channel's failure. */
public final class CallbackChannel implements AlertChannel {
    private final String name;
    private final Consumer<AlertNotification> callback;

    public CallbackChannel(String name, Consumer<AlertNotification> callback) {
        this.name = Objects.requireNonNull(name, "name");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertNotification n) {
        callback.accept(n);
    }
}
