package dev.tomoyoctl.daemon;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelEventTest {

    /** Builds records byte for byte as tomoyo_abi.h lays them out (little-endian x86-64). */
    static ByteBuffer domainEvent(long domain, long parent, long program, int profile, int transition, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + p.length).order(ByteOrder.LITTLE_ENDIAN);
        header(b, KernelEvent.TMY_EV_DOMAIN, 64 + p.length, domain);
        b.putLong(40, parent).putLong(48, program).put(56, (byte) profile).put(57, (byte) transition)
                .putInt(60, p.length);
        b.put(64, p);
        return b;
    }

    static ByteBuffer accessEvent(int type, long domain, int perm, int mode, int profile, int flags, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + p.length).order(ByteOrder.LITTLE_ENDIAN);
        header(b, type, 64 + p.length, domain);
        b.putLong(40, 0x1234).putInt(48, perm).put(52, (byte) 0).put(53, (byte) mode).put(54, (byte) profile)
                .put(55, (byte) flags).putInt(56, p.length);
        b.put(64, p);
        return b;
    }

    private static void header(ByteBuffer b, int type, int size, long domain) {
        b.putShort(0, (short) type).putInt(4, size).putLong(8, 5_000_000_000L).putLong(16, domain)
                .putInt(24, 812).putInt(28, 813).putInt(32, 1000).putInt(36, 100);
    }

    @Test
    void decodesADomainEvent() throws Exception {
        var e = (KernelEvent.DomainCreated) KernelEvent.decode(domainEvent(0xAAL, 0xBBL, 0xCCL, 1, 0xff, "/bin/cat"));
        assertThat(e.hdr()).isEqualTo(new KernelEvent.Header(1, 72, 5_000_000_000L, 0xAA, 812, 813, 1000, 100));
        assertThat(e.parent()).isEqualTo(0xBB);
        assertThat(e.program()).isEqualTo(0xCC);
        assertThat(e.profile()).isEqualTo(1);
        assertThat(e.transition()).isEqualTo(KernelEvent.TRANSITION_NONE);
        assertThat(new String(e.path(), StandardCharsets.UTF_8)).isEqualTo("/bin/cat");
    }

    @Test
    void decodesAnAccessEvent() throws Exception {
        var e = (KernelEvent.Access) KernelEvent.decode(accessEvent(3, 7, 1, 3, 3, 0, "/etc/shadow"));
        assertThat(e.isLearn()).isFalse();
        assertThat(e.granted()).isFalse();
        assertThat(e.perm()).isEqualTo(1);
        assertThat(e.mode()).isEqualTo(3);
        assertThat(new String(e.path(), StandardCharsets.UTF_8)).isEqualTo("/etc/shadow");
    }

    @Test
    void malformedRecordsNameTheField() {
        ByteBuffer shortOne = ByteBuffer.allocate(20);
        assertThatThrownBy(() -> KernelEvent.decode(shortOne)).hasMessageContaining("shorter than tmy_event_hdr");
        ByteBuffer badLen = accessEvent(2, 7, 1, 1, 1, 1, "/x");
        badLen.putInt(56, 1000);
        assertThatThrownBy(() -> KernelEvent.decode(badLen)).hasMessageContaining("path_len 1000 exceeds");
        ByteBuffer badType = accessEvent(9, 7, 1, 1, 1, 1, "/x");
        assertThatThrownBy(() -> KernelEvent.decode(badType)).hasMessage("unknown hdr.type 9");
        ByteBuffer twoPerms = accessEvent(2, 7, 3, 1, 1, 1, "/x");
        assertThatThrownBy(() -> KernelEvent.decode(twoPerms)).hasMessageContaining("perm 0x3");
        ByteBuffer badSize = accessEvent(2, 7, 1, 1, 1, 1, "/x");
        badSize.putInt(4, 500);
        assertThatThrownBy(() -> KernelEvent.decode(badSize)).hasMessageContaining("hdr.size 500");
    }
}
