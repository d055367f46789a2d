package dev.tomoyoctl.daemon;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A control request, one per JSON line: {@code {"op":"profile-set","profile":3,"domain":"<kernel> /bin/x"}}.
 *
 * <p>{@link #parse} is strict: unknown ops, unknown fields, missing fields and fields of the
 * wrong type are rejected with a {@link ProtocolException} naming the field, so a client bug
 * shows up as an error rather than as a silently ignored option.
 */
public sealed interface Request {

    /** The wire name of the op. */
    String op();

    /** The request as a JSON object (the client side of {@link #parse}). */
    Map<String, Object> toJson();

    /** {"op":"status"}: daemon, kernel and event counters. */
    record Status() implements Request {
        public String op() {
            return "status";
        }

        public Map<String, Object> toJson() {
            return base(this);
        }
    }

    /** {"op":"domains"}: every known domain with its profile. */
    record Domains() implements Request {
        public String op() {
            return "domains";
        }

        public Map<String, Object> toJson() {
            return base(this);
        }
    }

    /** {"op":"policy-show","domain"?:NAME,"recursive"?:bool}: domain policy text (all domains without "domain"). */
    record PolicyShow(String domain, boolean recursive) implements Request {
        public String op() {
            return "policy-show";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            if (domain != null) {
                m.put("domain", domain);
            }
            if (recursive) {
                m.put("recursive", true);
            }
            return m;
        }
    }

    /** {"op":"policy-save","dir"?:PATH}: write the daemon's policy (default: its policy dir). */
    record PolicySave(String dir) implements Request {
        public String op() {
            return "policy-save";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            if (dir != null) {
                m.put("dir", dir);
            }
            return m;
        }
    }

    /** {"op":"policy-load","dir"?:PATH}: replace the policy, all or nothing (default: its policy dir). */
    record PolicyLoad(String dir) implements Request {
        public String op() {
            return "policy-load";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            if (dir != null) {
                m.put("dir", dir);
            }
            return m;
        }
    }

    /** {"op":"profile-set","profile":N,"domain":NAME,"recursive"?:bool}. */
    record ProfileSet(int profile, String domain, boolean recursive) implements Request {
        public String op() {
            return "profile-set";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            m.put("profile", profile);
            m.put("domain", domain);
            if (recursive) {
                m.put("recursive", true);
            }
            return m;
        }
    }

    /**
     * {"op":"learn-start","program":ABSOLUTE-REAL-PATH,"profile"?:N (default 1)}: make the program
     * the root of its own domain {@code <kernel> PROGRAM} under profile N, in the kernel, before
     * the client executes it.
     */
    record LearnStart(String program, int profile) implements Request {
        public String op() {
            return "learn-start";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            m.put("program", program);
            m.put("profile", profile);
            return m;
        }
    }

    /**
     * {"op":"learn-finish","domain":NAME}: drain every pending kernel event, persist, and return
     * the policy of the domain and its descendants.
     */
    record LearnFinish(String domain) implements Request {
        public String op() {
            return "learn-finish";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            m.put("domain", domain);
            return m;
        }
    }

    /** {"op":"audit","limit"?:N (default 100),"follow"?:bool}: recent audit records, then new ones as they come. */
    record Audit(int limit, boolean follow) implements Request {
        public static final int DEFAULT_LIMIT = 100;

        public String op() {
            return "audit";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = base(this);
            m.put("limit", limit);
            if (follow) {
                m.put("follow", true);
            }
            return m;
        }
    }

    /** {"op":"unload"}: detach the programs, remove the pins, stop the daemon. */
    record Unload() implements Request {
        public String op() {
            return "unload";
        }

        public Map<String, Object> toJson() {
            return base(this);
        }
    }

    private static Map<String, Object> base(Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", r.op());
        return m;
    }

    /** Parses one request line. */
    static Request parse(String line) throws ProtocolException {
        Object doc;
        try {
            doc = Json.parse(line);
        } catch (Json.MalformedJsonException e) {
            throw new ProtocolException(null, "malformed JSON at column " + e.column() + ": " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new ProtocolException(null, "a request must be a JSON object, got " + kind(doc));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) doc;
        return parse(m);
    }

    /** Validates a parsed JSON object as a request. */
    static Request parse(Map<String, Object> m) throws ProtocolException {
        Fields f = new Fields(m);
        String op = f.requiredString("op");
        Request r = switch (op) {
            case "status" -> new Status();
            case "domains" -> new Domains();
            case "policy-show" -> new PolicyShow(f.optionalDomain("domain"), f.optionalBool("recursive"));
            case "policy-save" -> new PolicySave(f.optionalPath("dir"));
            case "policy-load" -> new PolicyLoad(f.optionalPath("dir"));
            case "profile-set" -> new ProfileSet(f.requiredInt("profile", 0, 255), f.requiredDomain("domain"),
                    f.optionalBool("recursive"));
            case "learn-start" -> new LearnStart(f.requiredPath("program"), f.optionalInt("profile", 0, 255, 1));
            case "learn-finish" -> new LearnFinish(f.requiredDomain("domain"));
            case "audit" -> new Audit(f.optionalInt("limit", 0, 1_000_000, Audit.DEFAULT_LIMIT), f.optionalBool("follow"));
            case "unload" -> new Unload();
            default -> throw new ProtocolException("op", "unknown op '" + op + "' (known: status, domains, "
                    + "policy-show, policy-save, policy-load, profile-set, learn-start, learn-finish, audit, unload)");
        };
        f.rejectUnused(op);
        return r;
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Map) {
            return "an object";
        } else if (v instanceof java.util.List) {
            return "an array";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else {
            return "a number";
        }
    }

    /** Typed access to the request's fields; remembers which ones were read. */
    final class Fields {
        private final Map<String, Object> m;
        private final Set<String> used = new HashSet<>();

        Fields(Map<String, Object> m) {
            this.m = m;
        }

        private Object get(String name) {
            used.add(name);
            return m.get(name);
        }

        String requiredString(String name) throws ProtocolException {
            Object v = get(name);
            if (v == null) {
                throw new ProtocolException(name, m.containsKey(name) ? "must not be null" : "missing");
            }
            if (!(v instanceof String s)) {
                throw new ProtocolException(name, "expected a string, got " + kind(v));
            }
            if (s.isEmpty()) {
                throw new ProtocolException(name, "must not be empty");
            }
            if (s.indexOf('\0') >= 0) {
                throw new ProtocolException(name, "must not contain NUL");
            }
            return s;
        }

        String requiredDomain(String name) throws ProtocolException {
            String s = requiredString(name);
            if (!s.startsWith("<")) {
                throw new ProtocolException(name, "a domain name starts with '<' (e.g. \"<kernel> /usr/sbin/sshd\"), got \"" + s + "\"");
            }
            return s;
        }

        String optionalDomain(String name) throws ProtocolException {
            return m.get(name) == null ? mark(name) : requiredDomain(name);
        }

        String requiredPath(String name) throws ProtocolException {
            String s = requiredString(name);
            if (!s.startsWith("/")) {
                throw new ProtocolException(name, "expected an absolute path, got \"" + s + "\"");
            }
            return s;
        }

        String optionalPath(String name) throws ProtocolException {
            return m.get(name) == null ? mark(name) : requiredPath(name);
        }

        private String mark(String name) {
            used.add(name);
            return null;
        }

        int requiredInt(String name, int min, int max) throws ProtocolException {
            Object v = get(name);
            if (v == null) {
                throw new ProtocolException(name, m.containsKey(name) ? "must not be null" : "missing");
            }
            if (!(v instanceof Long l)) {
                throw new ProtocolException(name, "expected an integer " + min + ".." + max + ", got " + kind(v));
            }
            if (l < min || l > max) {
                throw new ProtocolException(name, "expected an integer " + min + ".." + max + ", got " + l);
            }
            return (int) (long) l;
        }

        int optionalInt(String name, int min, int max, int dflt) throws ProtocolException {
            if (m.get(name) == null) {
                mark(name);
                return dflt;
            }
            return requiredInt(name, min, max);
        }

        boolean optionalBool(String name) throws ProtocolException {
            Object v = get(name);
            if (v == null) {
                return false;
            }
            if (!(v instanceof Boolean b)) {
                throw new ProtocolException(name, "expected true or false, got " + kind(v));
            }
            return b;
        }

        void rejectUnused(String op) throws ProtocolException {
            for (String k : m.keySet()) {
                if (!used.contains(k)) {
                    throw new ProtocolException(k, "not a field of op '" + op + "'");
                }
            }
        }
    }
}
