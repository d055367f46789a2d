package dev.tomoyoctl.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.PolicyParseException;
import dev.tomoyoctl.policy.PolicyParser;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FileArgRuleTest {

    static byte[] object(String name, String arg) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
        b.writeBytes(arg.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    @Test
    void parsesEachFamilyAndPrintsItBack() {
        for (String line : List.of("file create /tmp/x 0644", "file mkdir/chmod /tmp/d/ 0755",
                "file ioctl /dev/tty 0x5401", "file chown /etc/f 1000", "file chgrp /etc/f @gids",
                "file mkchar /dev/null 0666 1 3", "file mkblock /dev/loop\\$ 0660 7 0-255",
                "file rename /tmp/a /tmp/b", "file link/rename /a/\\* /b/\\*", "file pivot_root /new/ /new/old/",
                "file create /tmp/x 0600-0644 task.uid=0", "file mount /dev/sda1 /mnt/ ext4 0",
                "file mount none /tmp/\\*/ tmpfs 0x0-0xFF", "file mount /srv/ /mnt/srv/ --bind 0x4000")) {
            FileArgRule r = FileArgRule.parse(line);
            assertThat(r).as(line).isNotNull();
            assertThat(r.text()).isEqualTo(line);
            assertThat(FileArgRule.of(r.toAcl())).isEqualTo(r);
        }
        assertThat(FileArgRule.parse("file read /etc/passwd")).isNull();
    }

    @Test
    void mountEventsAreLearnedAsTomoyoPrintsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        // the kernel's object: "DIR\0TYPE\0FLAGS\0DEV"
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MOUNT, object("/tmp/m/", "tmpfs\0" + "0x6\0none")).text())
                .isEqualTo("file mount none /tmp/m/ tmpfs 0x6");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MOUNT, object("/tmp/m/", "--remount\0" + "0x1\0<NULL>")).text())
                .isEqualTo("file mount <NULL> /tmp/m/ --remount 0x1");
        // a --bind source that is a directory is named with a '/', as TOMOYO's realpath names it
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MOUNT, object("/mnt/", "--bind\0" + "0x0\0" + tmp)).text())
                .isEqualTo("file mount " + tmp + "/ /mnt/ --bind 0x0");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MOUNT, object("/mnt/", "--bind\0" + "0x0\0/no/such")).text())
                .isEqualTo("file mount /no/such /mnt/ --bind 0x0");
        assertThat(FileArgRule.objectText(FileArgOp.MOUNT, object("/mnt/a\tb/", "ext4\0" + "0x0\0/dev/vdb")))
                .isEqualTo("/dev/vdb /mnt/a\\011b/ ext4 0x0");
        assertThatThrownBy(() -> FileArgRule.fromEvent(Abi.TMY_PERM_MOUNT, object("/mnt/", "ext4")))
                .hasMessageContaining("file mount event");
        // devices TOMOYO ignores: --remount, --make-*, and device-less types
        assertThat(MountTypes.ignoresDevice("--remount")).isTrue();
        assertThat(MountTypes.ignoresDevice("--make-private")).isTrue();
        assertThat(MountTypes.ignoresDevice("tmpfs")).isTrue();
        assertThat(MountTypes.ignoresDevice("proc")).isTrue();
        assertThat(MountTypes.ignoresDevice("--bind")).isFalse();
        assertThat(MountTypes.ignoresDevice("ext4")).isFalse();
    }

    @Test
    void malformedLinesNameTheBadPart() {
        assertThatThrownBy(() -> FileArgRule.parse("file create /tmp/x")).hasMessageContaining("needs a path and 1 more");
        assertThatThrownBy(() -> FileArgRule.parse("file create /tmp/x 0999")).hasMessageContaining("0999");
        assertThatThrownBy(() -> FileArgRule.parse("file mkchar /dev/x 0644 1 z")).hasMessageContaining("minor");
        assertThatThrownBy(() -> FileArgRule.parse("file create/rename /a 0644")).hasMessageContaining("mixes");
        assertThatThrownBy(() -> FileArgRule.parse("file rename /a @")).hasMessageContaining("second path");
    }

    @Test
    void parserReportsBadArgumentsWithFileAndLine() {
        String text = "<kernel>\nuse_profile 0\n\nfile create /tmp/x 0644\nfile chmod /tmp/x 12z\n";
        assertThatThrownBy(() -> PolicyParser.parseDomainPolicy("domain_policy.conf", text))
                .isInstanceOf(PolicyParseException.class).hasMessageContaining("domain_policy.conf:5")
                .hasMessageContaining("12z");
    }

    @Test
    void kernelObjectIsNameNulArgumentAsTomoyoPrintsIt() {
        String[] why = new String[1];
        assertThat(FileArgRule.parse("file create /tmp/x 420").object(FileArgOp.CREATE, why))
                .isEqualTo(object("/tmp/x", "0644")); // any radix in the rule, the kernel's in the key
        assertThat(FileArgRule.parse("file ioctl /dev/tty 21531").object(FileArgOp.IOCTL, why))
                .isEqualTo(object("/dev/tty", "0x541B"));
        assertThat(FileArgRule.parse("file chown /f 0x3e8").object(FileArgOp.CHOWN, why))
                .isEqualTo(object("/f", "1000"));
        assertThat(FileArgRule.parse("file mkchar /dev/x 0644 0x1 03").object(FileArgOp.MKCHAR, why))
                .isEqualTo(object("/dev/x", "0644 1 3"));
        assertThat(FileArgRule.parse("file rename /tmp/a\\040b /tmp/c").object(FileArgOp.RENAME, why))
                .isEqualTo(object("/tmp/a b", "/tmp/c"));
        assertThat(FileArgRule.parse("file create /tmp/x 00").object(FileArgOp.CREATE, why))
                .isEqualTo(object("/tmp/x", "00"));
        assertThat(FileArgRule.parse("file create /tmp/x 0600-0644").object(FileArgOp.CREATE, why)).isNull();
        assertThat(why[0]).isEqualTo("a rule for 37 objects"); // objects() expands it
        assertThat(FileArgRule.parse("file rename /tmp/\\* /b").object(FileArgOp.RENAME, why)).isNull();
        assertThat(why[0]).startsWith("pattern");
    }

    /** Each object as text, its NUL shown as "|". */
    private static List<String> texts(List<byte[]> objects) {
        return objects.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1).replace('\0', '|')).toList();
    }

    @Test
    void groupsAndRangesStandForEveryExactObjectTheyContain() {
        String[] why = new String[1];
        Map<String, List<String>> paths = Map.of(
                "TTYS", List.of("/dev/tty1", "/dev/tty\\0402"), "PAT", List.of("/dev/tty\\$"));
        java.util.function.Function<String, List<long[]>> numbers =
                g -> g.equals("IOCTLS") ? List.of(new long[] {0x5401, 0x5402}, new long[] {0x541B, 0x541B}) : null;
        // a path_group times a number_group, each value printed as the kernel prints it
        assertThat(texts(FileArgRule.parse("file ioctl @TTYS @IOCTLS").objects(FileArgOp.IOCTL, paths, numbers, why)))
                .containsExactly("/dev/tty1|0x5401", "/dev/tty1|0x5402", "/dev/tty1|0x541B",
                        "/dev/tty 2|0x5401", "/dev/tty 2|0x5402", "/dev/tty 2|0x541B");
        // a range of modes, in octal whatever the rule's radix
        assertThat(texts(FileArgRule.parse("file chmod /f 0640-420").objects(FileArgOp.CHMOD, paths, numbers, why)))
                .hasSize(5).startsWith("/f|0640").endsWith("/f|0644");
        // mkdev: the product of its three numbers
        assertThat(texts(FileArgRule.parse("file mkchar /dev/x 0644 1 3-4").objects(FileArgOp.MKCHAR, paths, numbers, why)))
                .containsExactly("/dev/x|0644 1 3", "/dev/x|0644 1 4");
        // two names from groups
        assertThat(texts(FileArgRule.parse("file rename @TTYS /b").objects(FileArgOp.RENAME, paths, numbers, why)))
                .containsExactly("/dev/tty1|/b", "/dev/tty 2|/b");
        // what the kernel cannot be given: reported with the reason
        assertThat(FileArgRule.parse("file ioctl @PAT 0x5401").objects(FileArgOp.IOCTL, paths, numbers, why)).isNull();
        assertThat(why[0]).isEqualTo("path_group PAT has a pattern (/dev/tty\\$)");
        assertThat(FileArgRule.parse("file ioctl /dev/tty @NONE").objects(FileArgOp.IOCTL, paths, numbers, why)).isNull();
        assertThat(why[0]).isEqualTo("number_group NONE is not defined");
        assertThat(FileArgRule.parse("file chown /f 0-4294967295").objects(FileArgOp.CHOWN, paths, numbers, why)).isNull();
        assertThat(why[0]).contains("more than " + FileArgRule.MAX_OBJECTS);
        assertThat(FileArgRule.parse("file chown @TTYS 1000-1600").objects(FileArgOp.CHOWN, paths, numbers, why)).isNull();
        assertThat(why[0]).contains("more than " + FileArgRule.MAX_OBJECTS);
    }

    @Test
    void learnedEventsGiveTheLineTomoyoLearns() {
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_CREATE, object("/tmp/x", "0644")).text())
                .isEqualTo("file create /tmp/x 0644");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MKDIR, object("/tmp/d/", "0755")).text())
                .isEqualTo("file mkdir /tmp/d/ 0755");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_IOCTL, object("/dev/tty", "0x5401")).text())
                .isEqualTo("file ioctl /dev/tty 0x5401");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_MKBLOCK, object("/dev/b", "0660 7 0")).text())
                .isEqualTo("file mkblock /dev/b 0660 7 0");
        assertThat(FileArgRule.fromEvent(Abi.TMY_PERM_RENAME, object("/tmp/a b", "/tmp/c")).text())
                .isEqualTo("file rename /tmp/a\\040b /tmp/c");
        assertThatThrownBy(() -> FileArgRule.fromEvent(Abi.TMY_PERM_READ, object("/x", "1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileArgRule.fromEvent(Abi.TMY_PERM_CREATE, "/tmp/x".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FileArgRule.objectText(FileArgOp.RENAME, object("/a", "/b"))).isEqualTo("/a /b");
    }

    @Test
    void learningMergesOperationsOnTheSameNameAndNumberAsTomoyo() throws Exception {
        Domain d = PolicyParser.parseDomainPolicy("d", "<kernel>\nuse_profile 1\n\nfile read /etc/passwd\n")
                .domains().iterator().next();
        assertThat(d.addRule(FileArgRule.fromEvent(Abi.TMY_PERM_MKDIR, object("/tmp/d/", "0755")).toAcl())).isTrue();
        assertThat(d.addRule(FileArgRule.fromEvent(Abi.TMY_PERM_CHMOD, object("/tmp/d/", "0755")).toAcl())).isTrue();
        assertThat(d.addRule(FileArgRule.fromEvent(Abi.TMY_PERM_CHMOD, object("/tmp/d/", "0755")).toAcl())).isFalse();
        assertThat(d.addRule(FileArgRule.fromEvent(Abi.TMY_PERM_CHMOD, object("/tmp/d/", "0700")).toAcl())).isTrue();
        assertThat(d.print()).isEqualTo("<kernel>\nuse_profile 1\n\nfile read /etc/passwd\n"
                + "file mkdir/chmod /tmp/d/ 0755\nfile chmod /tmp/d/ 0700\n");
        assertThat(d.quotaCount()).isEqualTo(4);
    }

    @Test
    void compilerWritesOneExactKeyPerOperationAndWarnsWhatItCannotCompile() throws Exception {
        PolicySet p = PolicySet.parse("<kernel>\nuse_profile 3\n\n"
                + "file mkdir/chmod /tmp/d/ 0755\n"
                + "file rename /tmp/a /tmp/b\n"
                + "file create /tmp/x 0600-0644\n"
                + "file ioctl /dev/tty @cmds\n"
                + "file mkchar /dev/x 0644 1 3 task.uid=0\n"
                + "file mount /dev/sda1 /mnt/ ext4 0\n"
                + "file mount none /tmp/m/ tmpfs 0x6\n", "",
                "PROFILE_VERSION=20150505\n3-CONFIG={ mode=enforcing }\n");
        CompiledPolicy c = PolicyCompiler.compile(p, 5);
        Map<Long, Integer> rules = c.pathRules().entrySet().stream()
                .filter(e -> e.getKey().domain() == dev.tomoyoctl.policy.DomainId.of("<kernel>"))
                .collect(Collectors.toMap(e -> e.getKey().pathHash(), e -> e.getValue().perms(), (a, b) -> a | b));
        assertThat(rules).containsEntry(PathHash.ofRaw(object("/tmp/d/", "0755")), Abi.TMY_PERM_MKDIR | Abi.TMY_PERM_CHMOD)
                .containsEntry(PathHash.ofRaw(object("/tmp/a", "/tmp/b")), Abi.TMY_PERM_RENAME)
                // the range: one exact key per mode in it, as the kernel prints modes
                .containsEntry(PathHash.ofRaw(object("/tmp/x", "0600")), Abi.TMY_PERM_CREATE)
                .containsEntry(PathHash.ofRaw(object("/tmp/x", "0623")), Abi.TMY_PERM_CREATE)
                .containsEntry(PathHash.ofRaw(object("/tmp/x", "0644")), Abi.TMY_PERM_CREATE)
                .doesNotContainKey(PathHash.ofRaw(object("/tmp/x", "0645")))
                // mount: "DIR\0TYPE\0FLAGS\0DEV", without DEV where TOMOYO ignores it (tmpfs)
                .containsEntry(PathHash.ofRaw(object("/mnt/", "ext4\0" + "0x0\0/dev/sda1")), Abi.TMY_PERM_MOUNT)
                .containsEntry(PathHash.ofRaw(object("/tmp/m/", "tmpfs\0" + "0x6")), Abi.TMY_PERM_MOUNT)
                .hasSize(2 + 37 + 2);
        // the conditional mkchar: one conditional rule on its object
        assertThat(c.condRules().values()).singleElement().satisfies(cr -> {
            assertThat(cr.pathHash()).isEqualTo(PathHash.ofRaw(object("/dev/x", "0644 1 3")));
            assertThat(cr.perms()).isEqualTo(Abi.TMY_PERM_MKCHAR);
        });
        List<String> w = c.warnings().stream().map(PolicyWarning::toString).toList();
        assertThat(w).anyMatch(s -> s.contains(":7") && s.contains("number_group cmds is not defined"))
                .noneMatch(s -> s.contains(":4") || s.contains(":5") || s.contains(":6") || s.contains(":8") || s.contains(":9")
                        || s.contains(":10"));
    }
}
