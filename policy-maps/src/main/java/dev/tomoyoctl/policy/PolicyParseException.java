package dev.tomoyoctl.policy;

import java.util.List;
import java.util.stream.Collectors;

/** The policy was refused; every error found is listed (file:line: reason). */
public final class PolicyParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<PolicyError> errors;

    public PolicyParseException(List<PolicyError> errors) {
        super(errors.stream().limit(20).map(PolicyError::toString).collect(Collectors.joining("\n"))
                + (errors.size() > 20 ? "\n... and " + (errors.size() - 20) + " more errors" : ""));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a parse exception needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() {
        return errors;
    }
}
