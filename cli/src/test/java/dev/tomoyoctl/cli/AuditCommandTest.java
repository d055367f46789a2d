package dev.tomoyoctl.cli;

import dev.tomoyoctl.daemon.AuditRecord;
import dev.tomoyoctl.daemon.ControlServer;
import dev.tomoyoctl.daemon.ControlService;
import dev.tomoyoctl.daemon.Json;
import dev.tomoyoctl.daemon.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** audit's output formats, against a daemon stand-in that has two records and then streams one. */
class AuditCommandTest {
    @TempDir
    Path tmp;

    private static AuditRecord rec(String path, boolean granted) {
        return new AuditRecord(Instant.parse("2026-11-21T22:43:08Z"), 3, 3, granted, 812, 812, 0, 0,
                "<kernel> /bin/w /usr/bin/cat", "file read", path, false);
    }

    private final ControlService service = new ControlService() {
        @Override
        public CompletableFuture<Map<String, Object>> execute(Request request) {
            Request.Audit a = (Request.Audit) request;
            List<Map<String, Object>> all = List.of(rec("/etc/a", false).toJson(), rec("/etc/b", true).toJson());
            return CompletableFuture.completedFuture(Map.of("records", all.subList(Math.max(0, all.size() - a.limit()), all.size())));
        }

        @Override
        public Subscription followAudit(Request.Audit request, Consumer<Map<String, Object>> sink) {
            sink.accept(Map.of("records", List.of(rec("/etc/a", false).toJson())));
            sink.accept(Map.of("record", rec("/etc/new", false).toJson()));
            return () -> { };
        }
    };

    @Test
    void textIsTomoyosAuditLogAndJsonIsOneObjectPerLine() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ControlServer server = ControlServer.start(sock, service)) {
            Cli text = Cli.run("audit", "--socket", sock.toString());
            assertThat(text.exit()).as(text.toString()).isZero();
            assertThat(text.out()).isEqualTo(rec("/etc/a", false).text() + "\n" + rec("/etc/b", true).text() + "\n");

            Cli one = Cli.run("audit", "--socket", sock.toString(), "-n", "1", "--json");
            List<String> lines = VmScenario.lines(one.out());
            assertThat(lines).hasSize(1);
            assertThat(Json.parse(lines.get(0))).isEqualTo(Json.parse(Json.write(rec("/etc/b", true).toJson())));
        }
    }

    @Test
    void followPrintsTheRecentRecordsThenNewOnes() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ControlServer server = ControlServer.start(sock, service)) {
            // The stand-in keeps the connection open: the command ends when the server goes away.
            CompletableFuture<Cli> f = CompletableFuture.supplyAsync(
                    () -> Cli.run("audit", "--follow", "--json", "--socket", sock.toString()));
            Thread.sleep(1500);
            server.close();
            Cli r = f.get();
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(VmScenario.lines(r.out())).hasSize(2);
            assertThat(r.out()).contains("/etc/a").contains("/etc/new");
        }
    }
}
