package dev.tomoyoctl.policy.model;

/**
 * One line of a policy file. Every parsed line, including blank and comment lines, is one
 * element, so printing a model gives back one line per element and line numbers stay valid.
 */
public interface PolicyLine {
    /** The line as it is printed, without the newline. */
    String text();
}
