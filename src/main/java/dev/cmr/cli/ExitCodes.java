package dev.cmr.cli;

/**
 * The exit codes every command shares: 0 done, 1 a failure during the work, 2 bad input (an option, a file or a
 * key), reported in one line before any work. {@code compare} uses 1 for "a regression was found".
 */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
