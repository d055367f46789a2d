package dev.tomoyoctl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Issue 6: the learned condition text, its key, and learned lines in a parsed policy. */
class NameConditionsTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void conditionTextIsEncodedAsTomoyoPrintsNames() {
        assertThat(NameConditions.execCondition(b("/usr/bin/dash"), b("/bin/sh")))
                .isEqualTo("exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"");
        assertThat(NameConditions.execCondition(b("/a b\\\u007f"), null)).isEqualTo("exec.realpath=\"/a\\040b\\\\\\177\"");
        assertThat(NameConditions.symlinkCondition(b("a\"b"))).isEqualTo("symlink.target=\"a\"b\"");
        assertThat(NameConditions.quotedValue("\"a\"b\"")).isEqualTo("a\"b");
        assertThat(NameConditions.quotedValue("\"\"")).isEmpty();
        assertThat(NameConditions.quotedValue("abc")).isNull();
    }

    @Test
    void keyIsTheDomainIdFoldOfTheNameHashes() {
        long name = PathHash.ofRaw(b("/usr/bin/sh"));
        long expected = DomainId.child(DomainId.child(name, PathHash.ofRaw(b("/usr/bin/dash"))),
                PathHash.ofRaw(b("/bin/sh")));
        assertThat(NameConditions.key(name, b("/usr/bin/dash"), b("/bin/sh"))).isEqualTo(expected);
        assertThat(NameConditions.keyOfEncoded(name, "/usr/bin/dash", "/bin/sh")).isEqualTo(expected);
        assertThat(NameConditions.keyOfEncoded(PathHash.of("/a\\040b"), "x\\\\y"))
                .isEqualTo(NameConditions.key(PathHash.ofRaw(b("/a b")), b("x\\y")));
    }

    @Test
    void learnedLinesParseMergeAndCompile() throws Exception {
        String dom = "<kernel> /bin/x";
        String cond = NameConditions.execCondition(b("/usr/bin/dash"), b("a\"b"));
        PolicySet p = PolicySet.parse(dom + "\nuse_profile 1\n\nfile execute /usr/bin/sh " + cond + "\n\n", "", "");
        // the same path and condition merges into the parsed line; another argv[0] is another line
        assertThat(p.addLearnedRule(dom, new FileRule(FileOp.EXECUTE.bit(), "/usr/bin/sh", cond))).isFalse();
        assertThat(p.addLearnedRule(dom, new FileRule(FileOp.EXECUTE.bit(), "/usr/bin/sh",
                NameConditions.execCondition(b("/usr/bin/dash"), b(""))))).isTrue();
        String text = p.printDomain(dom);
        assertThat(text).isEqualTo(dom + "\nuse_profile 1\n\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"a\"b\"\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"\"\n\n");
        assertThat(PolicySet.parse(p.printDomainPolicy(), "", "").printDomainPolicy()).isEqualTo(p.printDomainPolicy());
        CompiledPolicy c = PolicyCompiler.compile(PolicySet.parse(text, "", ProfilePolicy.tomoyoDefault().print()), 3);
        long id = DomainId.of(dom);
        long sh = PathHash.ofRaw(b("/usr/bin/sh"));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.pathRules()).containsOnly(
                Map.entry(new TmyPathKey(id, NameConditions.key(sh, b("/usr/bin/dash"), b("a\"b")), 3,
                        Abi.TMY_MATCH_EXACT), new TmyPathVal(Abi.TMY_PERM_EXECUTE, 0)),
                Map.entry(new TmyPathKey(id, NameConditions.key(sh, b("/usr/bin/dash"), b("")), 3,
                        Abi.TMY_MATCH_EXACT), new TmyPathVal(Abi.TMY_PERM_EXECUTE, 0)));
    }
}
