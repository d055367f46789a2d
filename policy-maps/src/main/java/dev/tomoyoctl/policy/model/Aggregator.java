package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.TomoyoName;

/**
 * {@code aggregator ORIGINAL AGGREGATED}: a program matching ORIGINAL (a word, possibly a
 * pattern) is treated as AGGREGATED (a path without patterns) for domain transitions and the
 * execute check. The first matching line wins.
 */
public record Aggregator(String namespace, String original, String aggregated) implements ExceptionLine {
    public Aggregator {
        if (!TomoyoName.isCorrectWord(original)) {
            throw new IllegalArgumentException("not a TOMOYO name: '" + original + "'");
        }
        if (!TomoyoName.isCorrectPath(aggregated) || TomoyoName.isPatterned(aggregated)) {
            throw new IllegalArgumentException("the aggregated name must be a path without patterns: '"
                    + aggregated + "'");
        }
    }

    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + "aggregator " + original + " " + aggregated;
    }
}
