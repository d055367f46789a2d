package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NamesAndHashesTest {

    record Vector(String kind, String name, long expected) {}

    static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = NamesAndHashesTest.class.getResourceAsStream("/hash-vectors.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                assertThat(f).as(line).hasSize(3);
                assertThat(f[2]).matches("[0-9a-f]{16}");
                out.add(new Vector(f[0], f[1], Long.parseUnsignedLong(f[2], 16)));
            }
        }
        return out;
    }

    @Test
    void javaAgreesWithTheSharedVectors() throws IOException {
        List<Vector> v = vectors();
        assertThat(v).hasSizeGreaterThan(20);
        for (Vector x : v) {
            long actual = switch (x.kind()) {
                case "path" -> PathHash.of(x.name());
                case "domain" -> DomainId.of(x.name());
                default -> throw new AssertionError("unknown kind " + x.kind());
            };
            assertThat(PathHash.hex(actual)).as(x.kind() + " " + DomainId.abbreviate(x.name()))
                    .isEqualTo(PathHash.hex(x.expected()));
        }
    }

    @Test
    void theVectorFileCoversWhatTheBpfTestNeeds() throws IOException {
        List<Vector> v = vectors();
        assertThat(v).anyMatch(x -> x.kind().equals("path") && TomoyoName.decode(x.name()).length == 4095
                && x.name().contains("\\"));
        assertThat(v).anyMatch(x -> x.kind().equals("path") && x.name().contains("\\\\"));
        assertThat(v).anyMatch(x -> x.kind().equals("path") && x.name().contains("\\377"));
        assertThat(v).anyMatch(x -> x.kind().equals("domain") && x.name().split(" ").length >= 6);
        assertThat(v).anyMatch(x -> x.kind().equals("domain") && x.name().startsWith("</"));
        assertThat(v).anyMatch(x -> x.kind().equals("domain") && x.name().equals("<kernel>")
                && x.expected() == dev.tomoyoctl.policy.abi.Abi.TMY_KERNEL_DOMAIN_ID);
    }

    @Test
    void encodingIsTomoyos() {
        byte[] raw = {'/', 'a', ' ', 'b', '\\', 0x7f, (byte) 0xff, '\t', '\n', 0x21, 0x7e, 0x20};
        assertThat(TomoyoName.encode(raw)).isEqualTo("/a\\040b\\\\\\177\\377\\011\\012!~\\040");
        assertThat(TomoyoName.encode(new byte[] {1})).isEqualTo("\\001");
    }

    @Test
    void decodingIsStrict() {
        assertThat(TomoyoName.decode("/tmp/a\\040b\\\\c")).isEqualTo("/tmp/a b\\c".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> TomoyoName.decode("/a\\101")).hasMessageContaining("printable byte");
        assertThatThrownBy(() -> TomoyoName.decode("/a\\*")).hasMessageContaining("pattern token");
        assertThatThrownBy(() -> TomoyoName.decode("/a\\")).hasMessageContaining("dangling");
        assertThatThrownBy(() -> TomoyoName.decode("/a b")).hasMessageContaining("0x20");
        assertThat(TomoyoName.decodeLenient("/a/\\*")).isEqualTo("/a/\\*".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property
    void decodeInvertsEncode(@ForAll @Size(max = 300) byte[] raw) {
        String enc = TomoyoName.encode(raw);
        assertThat(TomoyoName.decode(enc)).isEqualTo(raw);
        assertThat(enc.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
        boolean hasNul = false;
        for (byte b : raw) {
            hasNul |= b == 0;
        }
        // TOMOYO refuses "\000" (tomoyo_correct_word2), every other encoded name is a correct word.
        assertThat(TomoyoName.isCorrectWord(enc)).isEqualTo(raw.length > 0 && !hasNul);
        assertThat(TomoyoName.isPatterned(enc)).isFalse();
    }

    @Test
    void correctWordFollowsTomoyo() {
        assertThat(TomoyoName.isCorrectWord("/usr/bin/\\*")).isTrue();
        assertThat(TomoyoName.isCorrectWord("/usr/\\{\\*\\}/")).isTrue();
        assertThat(TomoyoName.isCorrectWord("/usr\\{\\*\\}/")).as("\\{ only after /").isFalse();
        assertThat(TomoyoName.isCorrectWord("/usr/\\{\\*\\}x")).as("\\} only before /").isFalse();
        assertThat(TomoyoName.isCorrectWord("/usr/\\{a/b\\}/")).as("no / inside \\{\\}").isFalse();
        assertThat(TomoyoName.isCorrectWord("/usr/\\{\\*")).isFalse();
        assertThat(TomoyoName.isCorrectWord("/a\\040")).isTrue();
        assertThat(TomoyoName.isCorrectWord("/a\\141")).as("\\141 is 'a'").isFalse();
        assertThat(TomoyoName.isCorrectWord("/a\\000")).isFalse();
        assertThat(TomoyoName.isCorrectWord("/a\\400")).isFalse();
        assertThat(TomoyoName.isCorrectWord("/a\\q")).isFalse();
        assertThat(TomoyoName.isCorrectWord("")).isFalse();
        assertThat(TomoyoName.isCorrectPath("proc:/self")).isFalse();
        assertThat(TomoyoName.isCorrectWord("proc:/self")).isTrue();
    }

    @Test
    void domainNamesFollowTomoyo() {
        assertThat(TomoyoName.isCorrectDomain("<kernel>")).isTrue();
        assertThat(TomoyoName.isCorrectDomain("<kernel> /sbin/init /bin/sh")).isTrue();
        assertThat(TomoyoName.isCorrectDomain("</usr/sbin/httpd> /bin/sh")).isTrue();
        assertThat(TomoyoName.isCorrectDomain("<kernel> sbin/init")).isFalse();
        assertThat(TomoyoName.isCorrectDomain("<kernel>  /sbin/init")).isFalse();
        assertThat(TomoyoName.isCorrectDomain("<kernel> /sbin/init ")).isFalse();
        assertThat(TomoyoName.isCorrectDomain("<>")).isFalse();
        assertThat(TomoyoName.isCorrectDomain("kernel")).isFalse();
        assertThat(TomoyoName.lastWord("<kernel> /a /b")).isEqualTo("/b");
        assertThat(TomoyoName.lastWord("<kernel>")).isEqualTo("<kernel>");
        assertThatThrownBy(() -> DomainId.of("<kernel> bad")).hasMessageContaining("not a TOMOYO domain name");
    }

    @Test
    void domainIdIsTheFoldedChain() {
        long parent = DomainId.of("<kernel> /sbin/init");
        assertThat(DomainId.of("<kernel> /sbin/init /bin/sh"))
                .isEqualTo(DomainId.child(parent, PathHash.of("/bin/sh")));
        assertThat(DomainId.KERNEL).isEqualTo(PathHash.ofRaw("<kernel>".getBytes(StandardCharsets.US_ASCII)));
        assertThat(DomainId.of("</usr/sbin/httpd>"))
                .isEqualTo(PathHash.ofRaw("</usr/sbin/httpd>".getBytes(StandardCharsets.US_ASCII)));
    }
}
