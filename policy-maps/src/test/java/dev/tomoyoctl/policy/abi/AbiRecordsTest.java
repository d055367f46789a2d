package dev.tomoyoctl.policy.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tomoyoctl.policy.DomainId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Encoding puts each field at the offset its LAYOUT declares (little-endian), decode inverts
 * encode, and event decoders check sizes.
 */
class AbiRecordsTest {

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void pathKeyFieldsAreAtTheirLayoutOffsets() {
        byte[] b = new TmyPathKey(0x1122334455667788L, 0x99aabbccddeeff00L, 0x01020304, Abi.TMY_MATCH_SUBTREE)
                .toBytes();
        AbiLayout l = TmyPathKey.LAYOUT;
        assertThat(b).hasSize(TmyPathKey.SIZE);
        assertThat(le(b).getLong(l.field("domain").offset())).isEqualTo(0x1122334455667788L);
        assertThat(le(b).getLong(l.field("path_hash").offset())).isEqualTo(0x99aabbccddeeff00L);
        assertThat(le(b).getInt(l.field("generation").offset())).isEqualTo(0x01020304);
        assertThat(b[l.field("match").offset()]).isEqualTo((byte) 1);
        assertThat(b[21]).isZero();
        assertThat(b[0]).isEqualTo((byte) 0x88); // little-endian
    }

    @Test
    void taskAndDomainValAndTransitionKeyAtTheirOffsets() {
        byte[] t = new TmyTask(1, 2, 3, 4, 5, 6, 7, 8, 0x0102).toBytes();
        AbiLayout tl = TmyTask.LAYOUT;
        assertThat(le(t).getLong(tl.field("last_name").offset())).isEqualTo(3);
        assertThat(le(t).getLong(tl.field("pending_last_name").offset())).isEqualTo(6);
        assertThat(t[tl.field("pending_profile").offset()]).isEqualTo((byte) 8);
        assertThat(le(t).getShort(tl.field("flags").offset())).isEqualTo((short) 0x0102);

        byte[] d = new TmyDomainVal(0x0102030405060708L, 200, 1, 77, 0x80000001).toBytes();
        assertThat(le(d).getLong(TmyDomainVal.LAYOUT.field("parent").offset())).isEqualTo(0x0102030405060708L);
        assertThat(d[TmyDomainVal.LAYOUT.field("profile").offset()] & 0xff).isEqualTo(200);
        assertThat(le(d).getInt(TmyDomainVal.LAYOUT.field("flags").offset())).isEqualTo(1);
        assertThat(le(d).getInt(TmyDomainVal.LAYOUT.field("learned").offset())).isEqualTo(77);
        assertThat(le(d).getInt(TmyDomainVal.LAYOUT.field("subtree_depths").offset())).isEqualTo(0x80000001);

        byte[] k = new TmyTransitionKey(5, 6, 7, Abi.TMY_TR_KEEP, Abi.TMY_FROM_LASTNAME).toBytes();
        assertThat(k[TmyTransitionKey.LAYOUT.field("type").offset()]).isEqualTo((byte) 5);
        assertThat(k[TmyTransitionKey.LAYOUT.field("from_kind").offset()]).isEqualTo((byte) 2);
        assertThat(le(k).getLong(TmyTransitionKey.LAYOUT.field("from").offset())).isEqualTo(6);
    }

    @Property
    void everyFixedRecordRoundTrips(@ForAll long a, @ForAll long b, @ForAll int g, @ForAll @IntRange(max = 255) int u8,
                                    @ForAll @IntRange(max = 65535) int u16, @ForAll int i) {
        assertThat(TmyState.decode(new TmyState(g, i).toBytes())).isEqualTo(new TmyState(g, i));
        TmyTask task = new TmyTask(a, b, a ^ b, b, a, a + b, u8, 255 - u8, u16);
        assertThat(TmyTask.decode(task.toBytes())).isEqualTo(task);
        assertThat(TmyDomainKey.decode(new TmyDomainKey(a, g).toBytes())).isEqualTo(new TmyDomainKey(a, g));
        assertThat(TmyDomainVal.decode(new TmyDomainVal(b, u8, i, g, i ^ g).toBytes()))
                .isEqualTo(new TmyDomainVal(b, u8, i, g, i ^ g));
        assertThat(TmyPathKey.decode(new TmyPathKey(a, b, g, u8).toBytes())).isEqualTo(new TmyPathKey(a, b, g, u8));
        assertThat(TmyPathVal.decode(new TmyPathVal(i, g).toBytes())).isEqualTo(new TmyPathVal(i, g));
        assertThat(TmyTransitionKey.decode(new TmyTransitionKey(a, b, g, u8, 255 - u8).toBytes()))
                .isEqualTo(new TmyTransitionKey(a, b, g, u8, 255 - u8));
        assertThat(TmyAggregatorKey.decode(new TmyAggregatorKey(a, g).toBytes())).isEqualTo(new TmyAggregatorKey(a, g));
        assertThat(TmyAggregatorVal.decode(new TmyAggregatorVal(a, b).toBytes())).isEqualTo(new TmyAggregatorVal(a, b));
        TmyEventHdr h = new TmyEventHdr(u16, i, a, b, g, i, g ^ i, 7);
        assertThat(TmyEventHdr.decode(h.toBytes())).isEqualTo(h);
        byte[] modes = {(byte) (u8 & 3), 1, 2, 3, 0, 0, 0, 0};
        TmyProfile p = new TmyProfile(modes, i, g);
        assertThat(TmyProfile.decode(p.toBytes())).isEqualTo(p);
    }

    @Test
    void encodeWritesAtThePositionWhateverTheBufferOrder() {
        ByteBuffer big = ByteBuffer.allocate(3 + TmyPathVal.SIZE).order(ByteOrder.BIG_ENDIAN);
        big.position(3);
        new TmyPathVal(0x01020304, 5).encode(big);
        assertThat(big.position()).isEqualTo(3 + TmyPathVal.SIZE);
        assertThat(big.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(big.get(3)).isEqualTo((byte) 4);
        big.position(3);
        assertThat(TmyPathVal.decode(big)).isEqualTo(new TmyPathVal(0x01020304, 5));
    }

    @Test
    void rangeChecksOnNarrowFields() {
        assertThatThrownBy(() -> new TmyDomainVal(0, 256, 0, 0, 0)).hasMessageContaining("profile");
        assertThatThrownBy(() -> new TmyPathKey(0, 0, 0, -1)).hasMessageContaining("match");
        assertThatThrownBy(() -> new TmyProfile(new byte[4], 0, 0)).hasMessageContaining("entries");
        assertThatThrownBy(() -> TmyPathKey.decode(new byte[23])).hasMessageContaining("24 bytes");
    }

    @Test
    void domainEventRoundTripsThroughTheGenericDecoder() {
        byte[] path = "/usr/bin/a b".getBytes(StandardCharsets.ISO_8859_1);
        TmyEventHdr h = new TmyEventHdr(Abi.TMY_EV_DOMAIN, TmyDomainEvent.SIZE + path.length, 123, 456, 1, 2, 3, 4);
        TmyDomainEvent e = new TmyDomainEvent(h, DomainId.KERNEL, 99, 3, Abi.TMY_TRANSITION_CHILD,
                Abi.TMY_DOMAIN_EV_AGGREGATED, path);
        byte[] sample = e.toBytes();
        assertThat(le(sample).getInt(60)).isEqualTo(path.length);
        assertThat(le(sample).getShort(58)).isEqualTo((short) 1);
        // A ring buffer sample may be longer than the record (reserved at a fixed size).
        byte[] padded = java.util.Arrays.copyOf(sample, sample.length + 13);
        TmyEvent d = TmyEvent.decode(padded);
        assertThat(d).isEqualTo(e);
        assertThat(d.pathName()).isEqualTo("/usr/bin/a\\040b");
        assertThat(((TmyDomainEvent) d).isOrdinaryChild()).isTrue();
        assertThat(((TmyDomainEvent) d).aggregated()).isTrue();
    }

    @Test
    void accessEventDecodesAndChecksSizes() {
        byte[] path = new byte[Abi.TMY_PATH_MAX - 1];
        java.util.Arrays.fill(path, (byte) 'a');
        path[0] = '/';
        TmyEventHdr h = new TmyEventHdr(Abi.TMY_EV_AUDIT, TmyAccessEvent.SIZE + path.length, 1, 2, 3, 4, 5, 6);
        TmyAccessEvent e = new TmyAccessEvent(h, 7, Abi.TMY_PERM_READ, Abi.TMY_CAT_FILE, Abi.TMY_MODE_ENFORCING, 3,
                Abi.TMY_ACCESS_GRANTED, path);
        byte[] s = e.toBytes();
        assertThat(TmyEvent.decode(s)).isEqualTo(e);
        assertThat(((TmyAccessEvent) TmyEvent.decode(s)).granted()).isTrue();

        byte[] shortSample = java.util.Arrays.copyOf(s, s.length - 1);
        assertThatThrownBy(() -> TmyEvent.decode(shortSample)).hasMessageContaining("exceeds the");
        byte[] badLen = s.clone();
        le(badLen).putInt(56, path.length + 1);
        assertThatThrownBy(() -> TmyEvent.decode(badLen)).hasMessageContaining("hdr.size");
        byte[] badType = s.clone();
        le(badType).putShort(0, (short) 99);
        assertThatThrownBy(() -> TmyEvent.decode(badType)).hasMessageContaining("unknown event type 99");
        assertThatThrownBy(() -> TmyEvent.decode(new byte[10])).hasMessageContaining("shorter");
    }

    @Property
    void networkCapabilitySignalRecordsRoundTrip(@ForAll long a, @ForAll long b, @ForAll int g,
                                                  @ForAll @IntRange(max = 65535) int port, @ForAll byte[] raw) {
        byte[] addr = java.util.Arrays.copyOf(raw, 16);
        TmyInetKey ik = new TmyInetKey(a, g, Abi.TMY_AF_INET6, port, addr);
        assertThat(TmyInetKey.decode(ik.toBytes())).isEqualTo(ik);
        TmyInetRangeKey rk = TmyInetRangeKey.of(g, a, Abi.TMY_AF_INET6, addr, 77);
        assertThat(TmyInetRangeKey.decode(rk.toBytes())).isEqualTo(rk);
        assertThat(rk.addrBits()).isEqualTo(77);
        assertThat(TmyInetRangeVal.decode(new TmyInetRangeVal(g).toBytes())).isEqualTo(new TmyInetRangeVal(g));
        TmyPortKey pk = TmyPortKey.of(g, (int) b, port, 16);
        assertThat(TmyPortKey.decode(pk.toBytes())).isEqualTo(pk);
        assertThat(TmyPortVal.decode(new TmyPortVal(g).toBytes())).isEqualTo(new TmyPortVal(g));
        assertThat(TmyCapVal.decode(new TmyCapVal(a, b).toBytes())).isEqualTo(new TmyCapVal(a, b));
        assertThat(TmySignalKey.decode(new TmySignalKey(a, b, g, port).toBytes())).isEqualTo(new TmySignalKey(a, b, g, port));
    }

    @Test
    void inetKeysAtTheirOffsetsPortBigEndianInPortSets() {
        byte[] addr = new byte[16];
        addr[0] = 127;
        addr[3] = 1;
        byte[] k = new TmyInetKey(5, 6, Abi.TMY_AF_INET, 0x1f90, addr).toBytes();
        assertThat(k).hasSize(32);
        assertThat(le(k).getShort(TmyInetKey.LAYOUT.field("port").offset())).isEqualTo((short) 0x1f90);
        assertThat(k[TmyInetKey.LAYOUT.field("family").offset()]).isEqualTo((byte) 2);
        assertThat(k[16]).isEqualTo((byte) 127);
        byte[] r = TmyInetRangeKey.of(9, 5, Abi.TMY_AF_INET, addr, 8).toBytes();
        assertThat(le(r).getInt(0)).isEqualTo(Abi.TMY_INET_RANGE_FIXED_BITS + 8);
        assertThat(r[TmyInetRangeKey.LAYOUT.field("addr").offset()]).isEqualTo((byte) 127);
        byte[] p = TmyPortKey.of(9, 3, 0x1234, 12).toBytes();
        assertThat(le(p).getInt(0)).isEqualTo(Abi.TMY_PORT_SET_FIXED_BITS + 12);
        assertThat(p[12]).isEqualTo((byte) 0x12); // big-endian: the prefix is the high bits
        assertThat(p[13]).isEqualTo((byte) 0x34);
        assertThatThrownBy(() -> TmyInetRangeKey.of(9, 5, Abi.TMY_AF_INET, addr, 33)).hasMessageContaining("33");
        assertThatThrownBy(() -> new TmyInetKey(0, 0, 2, 0, new byte[4])).hasMessageContaining("16");
    }

    @Test
    void newEventsDecodeThroughTheGenericDecoder() {
        byte[] abs = {0, 'x', ' '};
        TmyEventHdr h = new TmyEventHdr(Abi.TMY_EV_NET_LEARN, TmyNetEvent.SIZE + abs.length, 1, 2, 3, 4, 5, 6);
        TmyNetEvent n = new TmyNetEvent(h, Abi.tmyNetPerm(Abi.TMY_NET_DGRAM, Abi.TMY_NET_SEND), Abi.TMY_CAT_NETWORK,
                Abi.TMY_MODE_LEARNING, 1, 0, Abi.TMY_AF_UNIX, 0, null, abs);
        byte[] s = n.toBytes();
        assertThat(le(s).getInt(TmyNetEvent.LAYOUT.field("path_len").offset())).isEqualTo(3);
        assertThat(TmyEvent.decode(java.util.Arrays.copyOf(s, s.length + 5))).isEqualTo(n);
        assertThat(n.pathName()).isEqualTo("\\000x\\040");
        assertThat(n.protocol()).isEqualTo(Abi.TMY_NET_DGRAM);
        assertThat(n.operation()).isEqualTo(Abi.TMY_NET_SEND);

        TmyCapEvent c = new TmyCapEvent(new TmyEventHdr(Abi.TMY_EV_CAP_AUDIT, TmyCapEvent.SIZE, 1, 2, 3, 4, 5, 6), 10,
                Abi.TMY_CAT_CAPABILITY, Abi.TMY_MODE_ENFORCING, 3, 0);
        assertThat(TmyEvent.decode(c.toBytes())).isEqualTo(c);
        assertThat(c.path()).isEmpty();
        TmySignalEvent g = new TmySignalEvent(new TmyEventHdr(Abi.TMY_EV_SIGNAL_LEARN, TmySignalEvent.SIZE, 1, 2, 3, 4,
                5, 6), 0xabcdefL, 15, Abi.TMY_CAT_IPC, Abi.TMY_MODE_LEARNING, 1, Abi.TMY_ACCESS_GRANTED, 4242);
        assertThat(TmyEvent.decode(g.toBytes())).isEqualTo(g);
        assertThat(g.granted()).isTrue();

        byte[] shortNet = java.util.Arrays.copyOf(s, s.length - 1);
        assertThatThrownBy(() -> TmyEvent.decode(shortNet)).hasMessageContaining("exceeds the");
        byte[] wrong = c.toBytes();
        le(wrong).putShort(0, (short) Abi.TMY_EV_NET_AUDIT);
        assertThatThrownBy(() -> TmyEvent.decode(wrong)).hasMessageContaining("tmy_net_event");
    }
}
