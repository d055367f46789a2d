package dev.tomoyoctl.cli;

/** tomoyoctl's exit codes. */
final class Exit {
    private Exit() {
    }

    /** Done, nothing to report. */
    static final int OK = 0;
    /** Done, with warnings (e.g. directives that are kept but not enforced, a learned command that failed). */
    static final int WARNINGS = 1;
    /** Not done: usage error, no daemon, refused request, invalid policy. */
    static final int ERROR = 2;
}
