package dev.tomoyoctl.policy.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** exception_policy.conf: its lines in file order. Mutable, not thread-safe. */
public final class ExceptionPolicy {
    private final List<ExceptionLine> lines;

    public ExceptionPolicy() {
        this(List.of());
    }

    public ExceptionPolicy(List<ExceptionLine> lines) {
        this.lines = new ArrayList<>(lines);
    }

    public List<ExceptionLine> lines() {
        return Collections.unmodifiableList(lines);
    }

    public void add(ExceptionLine line) {
        lines.add(line);
    }

    /** Lines of one kind, in file order. */
    public <T extends ExceptionLine> List<T> linesOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ExceptionLine l : lines) {
            if (type.isInstance(l)) {
                out.add(type.cast(l));
            }
        }
        return out;
    }

    public String print() {
        StringBuilder sb = new StringBuilder();
        for (ExceptionLine l : lines) {
            sb.append(l.text()).append('\n');
        }
        return sb.toString();
    }
}
