package dev.tomoyoctl.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ControlRequestHandlerTest {

    /** Records requests; answers from a queue of futures or with {"op": op}. */
    static final class FakeService implements ControlService {
        final List<Request> seen = new ArrayList<>();
        final List<CompletableFuture<Map<String, Object>>> pending = new ArrayList<>();
        boolean deferred;
        RuntimeException failWith;
        Consumer<Map<String, Object>> auditSink;
        boolean unsubscribed;

        @Override
        public CompletableFuture<Map<String, Object>> execute(Request request) {
            seen.add(request);
            if (failWith != null) {
                return CompletableFuture.failedFuture(failWith);
            }
            if (deferred) {
                CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
                pending.add(f);
                return f;
            }
            return CompletableFuture.completedFuture(Map.of("echo", request.op()));
        }

        @Override
        public Subscription followAudit(Request.Audit request, Consumer<Map<String, Object>> sink) {
            seen.add(request);
            auditSink = sink;
            sink.accept(Map.of("records", List.of()));
            return () -> unsubscribed = true;
        }
    }

    private final FakeService service = new FakeService();

    private EmbeddedChannel channel(int peerUid) {
        return new EmbeddedChannel(new ControlServerInitializer(service, ch -> peerUid));
    }

    private static void send(EmbeddedChannel ch, String line) {
        ch.writeInbound(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(EmbeddedChannel ch) throws Exception {
        Object out = ch.readOutbound();
        assertThat(out).as("a response line").isNotNull();
        ByteBuf buf = (ByteBuf) out;
        String text = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        assertThat(text).endsWith("\n").doesNotContain("\n\n");
        return (Map<String, Object>) Json.parse(text.strip());
    }

    @Test
    void statusIsDispatchedAndAnsweredWithOk() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"status\"}\n");
        assertThat(response(ch)).containsEntry("ok", true).containsEntry("echo", "status");
        assertThat(service.seen).containsExactly(new Request.Status());
    }

    @Test
    void malformedJsonIsAnErrorWithTheColumnAndTheConnectionStaysUsable() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\": status}\n");
        Map<String, Object> r = response(ch);
        assertThat(r).containsEntry("ok", false);
        assertThat((String) r.get("error")).startsWith("malformed JSON at column 8");
        send(ch, "{\"op\":\"domains\"}\n");
        assertThat(response(ch)).containsEntry("ok", true);
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void fieldOfTheWrongTypeIsNamed() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"profile-set\",\"profile\":\"three\",\"domain\":\"<kernel>\"}\n");
        assertThat(response(ch)).containsEntry("ok", false)
                .containsEntry("error", "field 'profile': expected an integer 0..255, got a string");
        send(ch, "{\"op\":\"profile-set\",\"profile\":256,\"domain\":\"<kernel>\"}\n");
        assertThat(response(ch).get("error")).isEqualTo("field 'profile': expected an integer 0..255, got 256");
        assertThat(service.seen).isEmpty();
    }

    @Test
    void missingAndUnknownFieldsAreNamed() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"profile-set\",\"profile\":3}\n");
        assertThat(response(ch).get("error")).isEqualTo("field 'domain': missing");
        send(ch, "{\"op\":\"status\",\"verbose\":true}\n");
        assertThat(response(ch).get("error")).isEqualTo("field 'verbose': not a field of op 'status'");
        send(ch, "{\"profile\":3}\n");
        assertThat(response(ch).get("error")).isEqualTo("field 'op': missing");
        send(ch, "{\"op\":\"learn-start\",\"program\":\"bin/sh\"}\n");
        assertThat(response(ch).get("error")).isEqualTo("field 'program': expected an absolute path, got \"bin/sh\"");
        send(ch, "{\"op\":\"policy-show\",\"domain\":\"/bin/sh\"}\n");
        assertThat((String) response(ch).get("error")).startsWith("field 'domain': a domain name starts with '<'");
        send(ch, "[1,2]\n");
        assertThat(response(ch).get("error")).isEqualTo("a request must be a JSON object, got an array");
    }

    @Test
    void unknownOpIsAnError() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"reboot\"}\n");
        Map<String, Object> r = response(ch);
        assertThat(r).containsEntry("ok", false);
        assertThat((String) r.get("error")).startsWith("field 'op': unknown op 'reboot'");
        assertThat(service.seen).isEmpty();
    }

    @Test
    void controlExceptionBecomesErrorWithDetails() throws Exception {
        service.failWith = new ControlException("policy not loaded: 1 error",
                List.of("/etc/tomoyoctl/domain_policy.conf:3: unknown directive 'fiel'"));
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"policy-load\"}\n");
        assertThat(response(ch)).containsEntry("ok", false)
                .containsEntry("error", "policy not loaded: 1 error")
                .containsEntry("errors", List.of("/etc/tomoyoctl/domain_policy.conf:3: unknown directive 'fiel'"));
    }

    @Test
    void unexpectedExceptionIsReportedAsInternalError() throws Exception {
        service.failWith = new IllegalStateException("boom");
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"domains\"}\n");
        assertThat((String) response(ch).get("error")).isEqualTo("internal error in op 'domains': java.lang.IllegalStateException: boom");
    }

    @Test
    void responsesKeepRequestOrderEvenWhenALaterRequestFinishesFirst() throws Exception {
        service.deferred = true;
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"status\"}\n{\"op\":\"domains\"}\n");
        // The second request is not even started before the first is answered.
        assertThat(service.pending).hasSize(1);
        assertThat((Object) ch.readOutbound()).isNull();
        service.pending.get(0).complete(Map.of("n", 1));
        assertThat(response(ch)).containsEntry("n", 1L);
        assertThat(service.pending).hasSize(2);
        service.pending.get(1).complete(Map.of("n", 2));
        assertThat(response(ch)).containsEntry("n", 2L);
    }

    @Test
    void nonRootPeerIsRefusedWithOneLineAndDisconnected() throws Exception {
        EmbeddedChannel ch = channel(1000);
        Map<String, Object> r = response(ch);
        assertThat(r).containsEntry("ok", false);
        assertThat((String) r.get("error")).contains("root only").contains("uid is 1000");
        assertThat(ch.isOpen()).isFalse();
        assertThat(service.seen).isEmpty();
    }

    @Test
    void unreadableCredentialsAreRefused() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ControlServerInitializer(service, c -> {
            throw new java.io.IOException("ENOTSOCK");
        }));
        assertThat((String) response(ch).get("error")).contains("cannot read the peer's credentials");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void overlongLineIsRefusedAndTheConnectionClosed() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"" + "x".repeat(Protocol.MAX_REQUEST_BYTES + 10));
        assertThat((String) response(ch).get("error")).startsWith("request line longer than");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void auditFollowStreamsUntilTheClientGoesAway() throws Exception {
        EmbeddedChannel ch = channel(0);
        send(ch, "{\"op\":\"audit\",\"follow\":true,\"limit\":5}\n");
        assertThat(service.seen).containsExactly(new Request.Audit(5, true));
        assertThat(response(ch)).containsEntry("ok", true).containsEntry("records", List.of());
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("record", Map.of("path", "/etc/shadow"));
        service.auditSink.accept(rec);
        assertThat(response(ch)).containsEntry("record", Map.of("path", "/etc/shadow"));
        send(ch, "{\"op\":\"status\"}\n");
        assertThat((String) response(ch).get("error")).startsWith("this connection is following the audit log");
        ch.close();
        assertThat(service.unsubscribed).isTrue();
    }

    @Test
    void requestsRoundTripThroughTheirJson() throws Exception {
        List<Request> all = List.of(new Request.Status(), new Request.Domains(),
                new Request.PolicyShow(null, false), new Request.PolicyShow("<kernel> /bin/sh", true),
                new Request.PolicySave(null), new Request.PolicySave("/tmp/p"),
                new Request.PolicyLoad(null), new Request.PolicyLoad("/tmp/p"),
                new Request.ProfileSet(3, "<kernel> /x", true), new Request.LearnStart("/bin/true", 1),
                new Request.LearnFinish("<kernel> /bin/true"), new Request.Audit(7, true), new Request.Unload());
        for (Request r : all) {
            assertThat(Request.parse(Json.write(r.toJson()))).isEqualTo(r);
        }
    }
}
