package dev.tomoyoctl.policy.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every #define TMY_* and enum constant TMY_* of bpf/include/tomoyo_abi.h has a field of the same
 * name in {@link Abi} with the same value (the header is the ABI; this test fails when they part).
 */
class AbiConstantsTest {
    static final Path HEADER = Path.of("..", "bpf", "include", "tomoyo_abi.h");

    static Map<String, Object> headerConstants() throws Exception {
        String text = Files.readString(HEADER);
        // Drop comments first so "/* ... = 1 ... */" cannot look like an enumerator.
        text = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        Map<String, Object> out = new LinkedHashMap<>();
        Matcher d = Pattern.compile("(?m)^#define\\s+(TMY_\\w+)\\s+(.+?)\\s*$").matcher(text);
        while (d.find()) {
            out.put(d.group(1), value(d.group(2)));
        }
        Matcher e = Pattern.compile("\\b(TMY_\\w+)\\s*=\\s*([^,}\\s]+)\\s*[,}]").matcher(text);
        while (e.find()) {
            out.put(e.group(1), value(e.group(2)));
        }
        return out;
    }

    static Object value(String v) {
        v = v.trim();
        if (v.startsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        Matcher shift = Pattern.compile("\\(\\s*1u?\\s*<<\\s*(\\d+)\\s*\\)").matcher(v);
        if (shift.matches()) {
            return 1L << Integer.parseInt(shift.group(1));
        }
        String n = v.replaceAll("(?i)(ull|ul|u|ll|l)$", "");
        return n.startsWith("0x") ? Long.parseUnsignedLong(n.substring(2), 16) : Long.parseLong(n);
    }

    @Test
    void javaHasEveryHeaderConstantWithTheSameValue() throws Exception {
        Map<String, Object> header = headerConstants();
        assertThat(header).containsKeys("TMY_PERM_EXECUTE", "TMY_TR_KEEP", "TMY_EV_AUDIT", "TMY_STAT_MAX");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> c : header.entrySet()) {
            Field f;
            try {
                f = Abi.class.getField(c.getKey());
            } catch (NoSuchFieldException ex) {
                problems.add(c.getKey() + " = " + c.getValue() + " is missing in Abi.java");
                continue;
            }
            Object java = f.get(null);
            Object javaValue = java instanceof Integer i ? (Object) (long) i : java;
            if (!javaValue.equals(c.getValue())) {
                problems.add(c.getKey() + ": header " + c.getValue() + ", Java " + java);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void javaHasNoTmyConstantTheHeaderLacks() throws Exception {
        Map<String, Object> header = headerConstants();
        List<String> extra = new ArrayList<>();
        for (Field f : Abi.class.getFields()) {
            if (f.getName().startsWith("TMY_") && !header.containsKey(f.getName())) {
                extra.add(f.getName());
            }
        }
        assertThat(extra).as("TMY_* constants in Abi.java that tomoyo_abi.h does not define").isEmpty();
    }
}
