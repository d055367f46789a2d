package dev.tomoyoctl.policy.abi;

import java.util.List;

/**
 * The layout a Java record assumes for a C struct of tomoyo_abi.h: struct name, sizeof, and the
 * members it reads and writes. AbiLayoutTest compares this with the BTF of the BPF object.
 */
public record AbiLayout(String structName, int size, List<AbiField> fields) {
    public AbiLayout {
        fields = List.copyOf(fields);
        int end = 0;
        for (AbiField f : fields) {
            if (f.offset() < end) {
                throw new IllegalArgumentException(structName + "." + f.name() + " overlaps the previous field");
            }
            end = f.offset() + f.size();
        }
        if (end > size) {
            throw new IllegalArgumentException(structName + ": fields end at " + end + " past sizeof " + size);
        }
    }

    static AbiLayout of(String name, int size, AbiField... fields) {
        return new AbiLayout(name, size, List.of(fields));
    }

    static AbiField f(String name, int offset, int size) {
        return new AbiField(name, offset, size);
    }

    public AbiField field(String name) {
        for (AbiField f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(structName + " has no field " + name);
    }
}
