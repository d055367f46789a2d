package dev.tomoyoctl.loader;

/**
 * The outcome of BPF_PROG_TEST_RUN: the program's return value, the context after the run (a
 * {@code syscall} program's writes to its context are copied back; other types return the input
 * unchanged) and the kernel's measured duration.
 */
public record TestRunResult(int retval, byte[] ctx, int durationNs) {}
