package dev.tomoyoctl.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real AF_UNIX path: Netty epoll server, plain-Java client, SO_PEERCRED (the tests run as root). */
class ControlSocketTest {
    @TempDir
    Path dir;

    @Test
    void clientTalksToServerOverTheSocketWithMode0600() throws Exception {
        Path sock = dir.resolve("run/ctl.sock");
        ControlRequestHandlerTest.FakeService service = new ControlRequestHandlerTest.FakeService();
        try (ControlServer server = ControlServer.start(sock, service)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            try (ControlClient c = ControlClient.connect(sock)) {
                assertThat(c.call(new Request.Status())).containsEntry("ok", true).containsEntry("echo", "status");
                assertThat(c.call(new Request.ProfileSet(3, "<kernel> /bin/x", true))).containsEntry("echo", "profile-set");
            }
            assertThat(service.seen).containsExactly(new Request.Status(), new Request.ProfileSet(3, "<kernel> /bin/x", true));
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void remoteErrorsCarryTheirDetails() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        ControlRequestHandlerTest.FakeService service = new ControlRequestHandlerTest.FakeService();
        service.failWith = new ControlException("policy not loaded", List.of("a.conf:1: bad"));
        try (ControlServer server = ControlServer.start(sock, service);
             ControlClient c = ControlClient.connect(sock)) {
            assertThatThrownBy(() -> c.call(new Request.PolicyLoad(null)))
                    .isInstanceOfSatisfying(ControlClient.RemoteException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("policy not loaded");
                        assertThat(e.details()).containsExactly("a.conf:1: bad");
                    });
        }
    }

    @Test
    void auditFollowStreamsOverTheSocket() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        ControlRequestHandlerTest.FakeService service = new ControlRequestHandlerTest.FakeService();
        try (ControlServer server = ControlServer.start(sock, service);
             ControlClient c = ControlClient.connect(sock)) {
            List<Map<String, Object>> got = new ArrayList<>();
            Thread feeder = new Thread(() -> {
                while (service.auditSink == null) {
                    Thread.onSpinWait();
                }
                service.auditSink.accept(Map.of("record", Map.of("n", 1)));
            });
            feeder.start();
            c.stream(new Request.Audit(10, true), m -> {
                got.add(m);
                return got.size() < 2;
            });
            feeder.join();
            assertThat(got).hasSize(2);
            assertThat(got.get(1)).containsEntry("record", Map.of("n", 1L));
        }
    }

    @Test
    void secondServerOnTheSameSocketIsRefused() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        try (ControlServer first = ControlServer.start(sock, new ControlRequestHandlerTest.FakeService())) {
            assertThatThrownBy(() -> ControlServer.start(sock, new ControlRequestHandlerTest.FakeService()))
                    .hasMessageContaining("another daemon is already listening on " + sock);
            try (ControlClient c = ControlClient.connect(sock)) {
                assertThat(c.call(new Request.Domains())).containsEntry("ok", true);
            }
        }
    }

    @Test
    void staleSocketFileOfADeadDaemonIsReplaced() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(sock));
        dead.close(); // the file stays, nobody listens: what SIGKILL leaves behind
        assertThat(sock).exists();
        assertThatThrownBy(() -> ControlClient.connect(sock))
                .isInstanceOf(ControlClient.DaemonUnavailableException.class)
                .hasMessage("no daemon on " + sock + " (stale socket file; start it with: tomoyoctl daemon)");
        try (ControlServer server = ControlServer.start(sock, new ControlRequestHandlerTest.FakeService());
             ControlClient c = ControlClient.connect(sock)) {
            assertThat(c.call(new Request.Status())).containsEntry("ok", true);
        }
    }

    @Test
    void regularFileAtTheSocketPathIsNeverDeleted() throws IOException {
        Path sock = dir.resolve("ctl.sock");
        Files.writeString(sock, "precious");
        assertThatThrownBy(() -> ControlServer.start(sock, new ControlRequestHandlerTest.FakeService()))
                .hasMessageContaining("is not a socket");
        assertThat(sock).hasContent("precious");
    }

    @Test
    void missingDaemonIsOneLine() {
        Path sock = dir.resolve("nothing.sock");
        assertThatThrownBy(() -> ControlClient.connect(sock))
                .isInstanceOf(ControlClient.DaemonUnavailableException.class)
                .hasMessage("no daemon on " + sock + " (start it with: tomoyoctl daemon)");
    }
}
