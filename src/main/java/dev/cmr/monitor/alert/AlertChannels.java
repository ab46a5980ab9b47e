package dev.cmr.monitor.alert;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Constructs alert channels by their {@code alert_channels} name: {@code console} ({@link ConsoleChannel}),
 * {@code log} ({@link LogChannel}), {@code file} ({@link JsonLinesFileChannel}) and {@code callback}
 * ({@link CallbackChannel}, one per registered consumer). A channel that cannot be built (a file channel without a
 * file, an unknown name) fails here, at build time, with a message naming the setting. Stateless.
 */
final class AlertChannels {
    static final String CONSOLE = "console";
    static final String LOG = "log";
    static final String FILE = "file";
    /** The channel name under which application callbacks are enabled. */
    static final String CALLBACK = "callback";
    /** Every name {@link #configured} builds, in documentation order. */
    static final List<String> NAMES = List.of(CONSOLE, LOG, FILE, CALLBACK);

    private AlertChannels() {
    }

    /**
     * The channels {@code names} lists, in that order; {@code callback} builds none here (see {@link #callback}).
     *
     * @param console   where the console channel prints
     * @param logger    the log channel's logger, or null for the one named after {@link AlertManager}
     * @param alertFile the file channel's file, empty when none is set
     * @throws IllegalArgumentException for {@code file} without a file, or an unknown name
     */
    static List<AlertChannel> configured(List<String> names, PrintStream console, Logger logger,
                                         Optional<Path> alertFile) {
        List<AlertChannel> channels = new ArrayList<>();
        for (String name : names) {
            switch (name) {
                case CONSOLE -> channels.add(new ConsoleChannel(console));
                case LOG -> channels.add(new LogChannel(
                        logger != null ? logger : LoggerFactory.getLogger(AlertManager.class)));
                case FILE -> channels.add(new JsonLinesFileChannel(alertFile.orElseThrow(() ->
                        new IllegalArgumentException("alert_channels contains \"file\" but no alert file is "
                                + "set: set alert_file in the configuration or call Builder.alertFile"))));
                case CALLBACK -> {
                    // One channel per consumer, added by the manager as callbacks are registered.
                }
                default -> throw new IllegalArgumentException("unknown alert channel \"" + name + "\"");
            }
        }
        return channels;
    }

    /** The channel of the {@code ordinal}-th registered callback (from 1): named "callback", then "callback-2"... */
    static AlertChannel callback(int ordinal, Consumer<AlertNotification> callback) {
        return new CallbackChannel(ordinal == 1 ? CALLBACK : CALLBACK + "-" + ordinal, callback);
    }

    /**
     * Requires {@code callback} among {@code names}: registering a callback that the configuration switched off
     * would silently never run.
     */
    static void requireCallbackChannel(List<String> names) {
        if (!names.contains(CALLBACK)) {
            throw new IllegalStateException("the callback alert channel is not enabled: add \"callback\" to "
                    + "alert_channels, was " + names);
        }
    }
}
