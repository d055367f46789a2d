package dev.tomoyoctl.policy.abi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader of the .BTF section of an ELF64 little-endian object (what clang -target bpf -g
 * emits): the header, the type section (every kind, so ids stay right; details kept for
 * STRUCT/UNION members, ENUMs, INT/ARRAY/typedef chains to compute sizes) and the string
 * section. Written from the BTF format description (Documentation/bpf/btf.rst), test scope only.
 */
final class BtfReader {
    static final int KIND_INT = 1, KIND_PTR = 2, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_UNION = 5, KIND_ENUM = 6,
            KIND_FWD = 7, KIND_TYPEDEF = 8, KIND_VOLATILE = 9, KIND_CONST = 10, KIND_RESTRICT = 11, KIND_FUNC = 12,
            KIND_FUNC_PROTO = 13, KIND_VAR = 14, KIND_DATASEC = 15, KIND_FLOAT = 16, KIND_DECL_TAG = 17,
            KIND_TYPE_TAG = 18, KIND_ENUM64 = 19;

    record Member(String name, int type, int bitOffset, int bitfieldSize) {}

    record Type(int id, int kind, String name, int sizeOrType, List<Member> members, int arrayElem, int arrayLen,
                Map<String, Long> enumValues) {}

    private final List<Type> types = new ArrayList<>(); // index = id; id 0 = void

    static BtfReader read(Path elf) throws IOException {
        return new BtfReader(btfSection(Files.readAllBytes(elf), elf));
    }

    /** The bytes of section ".BTF" of an ELF64 LE file. */
    static ByteBuffer btfSection(byte[] file, Path name) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 64 || b.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException(name + " is not an ELF file");
        }
        if (file[4] != 2 || file[5] != 1) {
            throw new IllegalArgumentException(name + " is not ELF64 little-endian");
        }
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            int nameOff = b.getInt(sh);
            String secName = cString(file, (int) (strOff + nameOff));
            if (secName.equals(".BTF")) {
                int off = (int) b.getLong(sh + 0x18);
                int size = (int) b.getLong(sh + 0x20);
                return ByteBuffer.wrap(file, off, size).slice().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        throw new IllegalArgumentException(name + " has no .BTF section (built without -g?)");
    }

    private static String cString(byte[] b, int at) {
        int end = at;
        while (b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }

    private BtfReader(ByteBuffer btf) {
        if ((btf.getShort(0) & 0xffff) != 0xeb9f) {
            throw new IllegalArgumentException("bad BTF magic");
        }
        int hdrLen = btf.getInt(4);
        int typeOff = btf.getInt(8), typeLen = btf.getInt(12), strOff = btf.getInt(16), strLen = btf.getInt(20);
        byte[] strings = new byte[strLen];
        btf.get(hdrLen + strOff, strings);
        types.add(new Type(0, 0, "", 0, List.of(), 0, 0, Map.of()));
        int p = hdrLen + typeOff, end = p + typeLen;
        while (p < end) {
            String name = str(strings, btf.getInt(p));
            int info = btf.getInt(p + 4);
            int sizeOrType = btf.getInt(p + 8);
            int vlen = info & 0xffff;
            int kind = (info >>> 24) & 0x1f;
            boolean kindFlag = (info >>> 31) != 0;
            p += 12;
            List<Member> members = List.of();
            int elem = 0, len = 0;
            Map<String, Long> enums = Map.of();
            switch (kind) {
                case KIND_INT, KIND_VAR, KIND_DECL_TAG -> p += 4;
                case KIND_ARRAY -> {
                    elem = btf.getInt(p);
                    len = btf.getInt(p + 8);
                    p += 12;
                }
                case KIND_STRUCT, KIND_UNION -> {
                    members = new ArrayList<>();
                    for (int i = 0; i < vlen; i++) {
                        int off = btf.getInt(p + 8);
                        members.add(new Member(str(strings, btf.getInt(p)), btf.getInt(p + 4),
                                kindFlag ? off & 0xffffff : off, kindFlag ? off >>> 24 : 0));
                        p += 12;
                    }
                }
                case KIND_ENUM -> {
                    enums = new HashMap<>();
                    for (int i = 0; i < vlen; i++) {
                        enums.put(str(strings, btf.getInt(p)), (long) btf.getInt(p + 4));
                        p += 8;
                    }
                }
                case KIND_ENUM64 -> {
                    enums = new HashMap<>();
                    for (int i = 0; i < vlen; i++) {
                        long v = (btf.getInt(p + 4) & 0xffffffffL) | ((long) btf.getInt(p + 8) << 32);
                        enums.put(str(strings, btf.getInt(p)), v);
                        p += 12;
                    }
                }
                case KIND_FUNC_PROTO -> p += 8 * vlen;
                case KIND_DATASEC -> p += 12 * vlen;
                case KIND_PTR, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_FUNC,
                        KIND_FLOAT, KIND_TYPE_TAG -> { }
                default -> throw new IllegalArgumentException("unknown BTF kind " + kind + " at type " + types.size());
            }
            types.add(new Type(types.size(), kind, name, sizeOrType, members, elem, len, enums));
        }
    }

    private static String str(byte[] strings, int off) {
        int end = off;
        while (strings[end] != 0) {
            end++;
        }
        return new String(strings, off, end - off, StandardCharsets.US_ASCII);
    }

    /** The STRUCT of that name, or null. */
    Type struct(String name) {
        for (Type t : types) {
            if (t.kind() == KIND_STRUCT && t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The value of an enumerator in any ENUM type, or null. */
    Long enumerator(String name) {
        for (Type t : types) {
            Long v = t.enumValues().get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** sizeof(type id), following typedefs and qualifiers. */
    long sizeOf(int id) {
        Type t = types.get(id);
        return switch (t.kind()) {
            case KIND_INT, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_ENUM64, KIND_FLOAT -> t.sizeOrType();
            case KIND_PTR -> 8;
            case KIND_ARRAY -> t.arrayLen() * sizeOf(t.arrayElem());
            case KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG -> sizeOf(t.sizeOrType());
            default -> throw new IllegalArgumentException("no size for BTF kind " + t.kind() + " (type " + id + ")");
        };
    }
}
