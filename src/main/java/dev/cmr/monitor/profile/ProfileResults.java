package dev.cmr.monitor.profile;

import java.io.IOException;
import dev.cmr.io.IoErrors;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of profiling: one {@link ExecutionProfile} per block name, in the order given. {@link #toJson()} is the
 * profile.json form ({@code schema_version}, then {@code executions}; see {@link ProfileJson}), and
 * {@link #fromJson}/{@link #read} read it back to an equal value. Immutable.
 *
 * @throws IllegalArgumentException if two executions share a name
 */
public record ProfileResults(List<ExecutionProfile> executions) {
    /** The version of the profile.json layout this class writes and reads. */
    public static final int SCHEMA_VERSION = ProfileJson.SCHEMA_VERSION;

    public ProfileResults {
        executions = List.copyOf(executions);
        Set<String> names = new HashSet<>();
        for (ExecutionProfile e : executions) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("two executions are named " + e.name());
            }
        }
    }

    /** The profile of the blocks named {@code name}, or null if there is none. */
    public ExecutionProfile execution(String name) {
        return executions.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /** The profile.json content as maps, lists, strings, numbers, booleans and nulls, with snake_case keys. */
    public Map<String, Object> toMap() {
        return ProfileJson.toMap(this);
    }

    /** The profile.json content, pretty-printed. */
    public String toJson() {
        return ProfileJson.toJson(this);
    }

    /**
     * Writes the report files into {@code dir}, creating it when missing: profile.json, bottlenecks.md,
     * bottlenecks.html and trace.json, each atomically ({@link ReportFiles}).
     *
     * @return the paths written, in that order
     * @throws UncheckedIOException naming the directory or the file and the reason when one cannot be written
     */
    public List<Path> writeReport(Path dir) {
        return ReportFiles.writeAll(this, dir);
    }

    /**
     * Reads the profile.json form.
     *
     * @throws IllegalArgumentException naming the offending field when the text is not a valid profile
     */
    public static ProfileResults fromJson(String json) {
        return ProfileJson.fromJson(json);
    }

    /**
     * Reads a profile.json file.
     *
     * @throws IllegalArgumentException whose message starts with the file's path and names the offending field when
     *                                  the file is not a valid profile
     * @throws UncheckedIOException     {@code cannot read profile <file>: <reason>} ({@link IoErrors#reason})
     */
    public static ProfileResults read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + file + ": " + IoErrors.reason(e), e);
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
