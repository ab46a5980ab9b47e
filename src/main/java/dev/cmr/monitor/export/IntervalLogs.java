package dev.cmr.monitor.export;

import dev.cmr.io.FailureKeepingOutputStream;
import dev.cmr.io.IoErrors;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalListener;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Per-stage latency history as one HdrHistogram interval log: every interval the monitor closes adds, per timed stage
 * that counted anything in it, one line with that interval's histogram (compressed, base64), tagged with the stage's
 * key ({@code Tag=layer}). {@code HistogramLogReader} reads it back, and HdrHistogram's
 * {@code HistogramLogProcessor -i FILE -tag layer -outputValueUnitRatio 1e6} prints a stage's percentiles over
 * time in milliseconds. Values are nanoseconds; interval times are seconds after the log's base time (the first
 * interval's start, epoch milliseconds in the header's {@code #[BaseTime: ...]}).
 *
 * <p>The intervals come from the monitor's interval listener ({@link CmrPerformanceMonitor#addIntervalListener}): the
 * histograms the aggregator builds when it closes an interval, copied for the listeners; nothing is added to the
 * record path.
 *
 * <p>Bounded growth: once the file reaches {@code maxFileBytes}, it is renamed to {@code FILE.1} (the older
 * {@code FILE.1} to {@code FILE.2}, and so on up to {@code rolledFiles}; the oldest is deleted) and a new file with
 * its own header starts, so the logs take at most about {@code (rolledFiles + 1) * maxFileBytes}. A line is about
 * 100 to 400 bytes, so at one interval a second and seven busy stages a day is roughly 60 to 250 MB: the defaults
 * ({@value #DEFAULT_MAX_FILE_BYTES} bytes, {@value #DEFAULT_ROLLED_FILES} rolled files) keep a few days at that rate.
 *
 * <p>Threading: lines are written on the thread that closes the interval (the collector's), after the interval is in
 * the time series, and flushed per interval; {@link #close()} may be called from any thread. A write that fails is
 * thrown from the listener and counted by the monitor as an error of {@code interval_listener}, and the file is let
 * go: the next interval reopens it, cut back to what the last successful flush left (so no torn line stays in the
 * middle of the log), and goes on, so that a disk that was full loses only the intervals closed while it was.
 * Files are appended, not replaced: after a crash at most the last line is cut short.
 */
public final class IntervalLogs implements IntervalListener, AutoCloseable {
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    public static final int DEFAULT_ROLLED_FILES = 3;

    private final CmrPerformanceMonitor monitor; // null when not attached
    private final Path file;
    private final long maxFileBytes;
    private final int rolledFiles;
    // Guarded by this.
    private CountingStream counted;
    private PrintStream out;
    private HistogramLogWriter writer;
    /** The current file's base time, kept for a writer that resumes it. */
    private long baseEpochMillis;
    /** Bytes of the current file known to be whole: its length after the last successful flush. */
    private long wholeBytes;
    /** A write to the current file failed: it is closed, and resumed at {@link #wholeBytes} by the next interval. */
    private boolean broken;
    private boolean closed;

    private IntervalLogs(CmrPerformanceMonitor monitor, Path file, long maxFileBytes, int rolledFiles) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (file.toAbsolutePath().getParent() == null || Files.isDirectory(file)) {
            throw new IllegalArgumentException("interval log " + file + ": is a directory");
        }
        if (maxFileBytes < 4096) {
            throw new IllegalArgumentException("maxFileBytes must be >= 4096, was " + maxFileBytes);
        }
        if (rolledFiles < 0) {
            throw new IllegalArgumentException("rolledFiles must be >= 0, was " + rolledFiles);
        }
        this.monitor = monitor;
        this.file = file;
        this.maxFileBytes = maxFileBytes;
        this.rolledFiles = rolledFiles;
    }

    /** {@link #attach(CmrPerformanceMonitor, Path, long, int)} with the default bounds. */
    public static IntervalLogs attach(CmrPerformanceMonitor monitor, Path file) {
        return attach(monitor, file, DEFAULT_MAX_FILE_BYTES, DEFAULT_ROLLED_FILES);
    }

    /**
     * Starts logging every interval {@code monitor} closes from now on into {@code file} (created with its parent
     * folders when the first interval closes; an existing file is rolled first). {@link #close()} stops.
     *
     * @throws IllegalArgumentException if {@code maxFileBytes < 4096}, {@code rolledFiles < 0} or {@code file} is a
     *         directory
     */
    public static IntervalLogs attach(CmrPerformanceMonitor monitor, Path file, long maxFileBytes, int rolledFiles) {
        if (monitor == null) {
            throw new IllegalArgumentException("monitor must not be null");
        }
        IntervalLogs logs = new IntervalLogs(monitor, file, maxFileBytes, rolledFiles);
        monitor.addIntervalListener(logs);
        return logs;
    }

    /** A log not attached to any monitor: feed it with {@link #intervalClosed} (tests, replays). */
    public static IntervalLogs writingTo(Path file, long maxFileBytes, int rolledFiles) {
        return new IntervalLogs(null, file, maxFileBytes, rolledFiles);
    }

    @Override
    public synchronized void intervalClosed(IntervalSnapshot interval, Map<Stage, Histogram> histograms) {
        if (closed || histograms.isEmpty()) {
            return;
        }
        try {
            if (broken) {
                resume();
            }
            if (writer == null || counted.bytes >= maxFileBytes) {
                startFile(interval.startEpochMillis());
            }
            for (Stage stage : Stage.timedStages()) {
                Histogram h = histograms.get(stage);
                if (h != null) {
                    writer.outputIntervalHistogram(h);
                }
            }
            out.flush();
            if (out.checkError()) {
                // PrintStream keeps only a flag; the stream under it kept the failure with the system's reason.
                IOException failure = counted.failure();
                letGo();
                throw cannotWrite(failure);
            }
            wholeBytes = counted.bytes;
        } catch (IOException e) {
            letGo();
            throw cannotWrite(e);
        }
    }

    /** After a failed write: closes the file (what it could not flush is dropped) and marks it to be resumed. */
    private void letGo() {
        if (out != null) {
            out.close();
            out = null;
        }
        broken = writer != null;
        writer = null;
    }

    /**
     * Reopens the current file cut back to its last whole length and goes on writing it with the same base time; a
     * file that lost its header (or was removed) starts again from the header.
     */
    private void resume() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            if (channel.size() < wholeBytes) {
                wholeBytes = 0; // someone else cut or replaced it: what it held is not ours to trust
            }
            channel.truncate(wholeBytes);
            channel.position(wholeBytes);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        open(Channels.newOutputStream(channel), wholeBytes);
        broken = false;
        if (wholeBytes == 0) {
            writeHeader();
        }
    }

    /** {@code cannot write interval log FILE: no space left on device}: the file and the reason in one line. */
    private UncheckedIOException cannotWrite(IOException cause) {
        String reason = cause == null ? "write failed" : IoErrors.reason(cause);
        return new UncheckedIOException("cannot write interval log " + file + ": " + reason,
                cause == null ? new IOException(reason) : cause);
    }

    /** The file the current log is written to. */
    public Path file() {
        return file;
    }

    /** Detaches from the monitor and closes the file. Idempotent. */
    @Override
    public void close() {
        if (monitor != null) {
            monitor.removeIntervalListener(this);
        }
        synchronized (this) {
            closed = true;
            if (out != null) {
                out.close();
                out = null;
                writer = null;
            }
        }
    }

    private void startFile(long baseEpochMillis) throws IOException {
        if (out != null) {
            out.close();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(file)) {
            roll();
        }
        this.baseEpochMillis = baseEpochMillis;
        wholeBytes = 0;
        open(Files.newOutputStream(file), 0);
        writeHeader();
    }

    private void open(OutputStream stream, long bytes) {
        counted = new CountingStream(new BufferedOutputStream(stream));
        counted.bytes = bytes;
        out = new PrintStream(counted, false, StandardCharsets.UTF_8);
        writer = new HistogramLogWriter(out);
        writer.setBaseTime(baseEpochMillis);
    }

    private void writeHeader() {
        writer.outputLogFormatVersion();
        writer.outputComment("cmr-monitor per-stage interval histograms, values in nanoseconds, tag = stage");
        writer.outputStartTime(baseEpochMillis);
        writer.outputBaseTime(baseEpochMillis);
        writer.outputLegend();
    }

    /** FILE -> FILE.1 -> ... -> FILE.rolledFiles; the oldest is deleted, and with no rolled files FILE itself. */
    private void roll() throws IOException {
        if (rolledFiles == 0) {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(rolled(rolledFiles));
        for (int i = rolledFiles - 1; i >= 1; i--) {
            if (Files.exists(rolled(i))) {
                Files.move(rolled(i), rolled(i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rolled(1), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path rolled(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /**
     * Counts the bytes written to the current file, for the size bound, and keeps the last write failure, which the
     * PrintStream above it reduces to an error flag.
     */
    private static final class CountingStream extends FailureKeepingOutputStream {
        long bytes;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        protected void written(int n) {
            bytes += n;
        }
    }
}
