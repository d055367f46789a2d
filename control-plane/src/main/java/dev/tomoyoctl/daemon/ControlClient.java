package dev.tomoyoctl.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The blocking client of the control socket, on plain Java 16+ AF_UNIX channels: a short CLI
 * command must not pay for starting Netty.
 */
public final class ControlClient implements AutoCloseable {

    /** Nothing is listening on the socket (or it cannot be reached); the message is one line for the user. */
    public static final class DaemonUnavailableException extends IOException {
        public DaemonUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The daemon answered {"ok":false}: its message, and details such as "file:line: reason". */
    public static final class RemoteException extends IOException {
        private final List<String> details;

        public RemoteException(String message, List<String> details) {
            super(message);
            this.details = List.copyOf(details);
        }

        public List<String> details() {
            return details;
        }
    }

    private final Path socket;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    public static ControlClient connect(Path socket) throws DaemonUnavailableException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new ControlClient(socket, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw unavailable(socket, e);
        }
    }

    private static DaemonUnavailableException unavailable(Path socket, IOException e) {
        String why = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof AccessDeniedException || why.contains("Permission denied")) {
            return new DaemonUnavailableException("permission denied on " + socket
                    + " (the control socket is for root only)", e);
        }
        if (Files.exists(socket)) {
            // Refused connection on an existing file: a daemon died without removing its socket.
            return new DaemonUnavailableException("no daemon on " + socket
                    + " (stale socket file; start it with: tomoyoctl daemon)", e);
        }
        return new DaemonUnavailableException("no daemon on " + socket + " (start it with: tomoyoctl daemon)", e);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    public Path socket() {
        return socket;
    }

    /** Sends a request and returns the daemon's response (without throwing on "ok": false only if asked to). */
    public Map<String, Object> call(Request request) throws IOException {
        send(request);
        return checked(receive());
    }

    /**
     * Sends a request and hands every response line to {@code sink} until it returns false or the
     * daemon closes the connection (used by audit --follow).
     */
    public void stream(Request request, Predicate<Map<String, Object>> sink) throws IOException {
        send(request);
        while (true) {
            Map<String, Object> m = receiveOrNull();
            if (m == null || !sink.test(checked(m))) {
                return;
            }
        }
    }

    private void send(Request request) throws IOException {
        try {
            out.write((Json.write(request.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IOException("lost the connection to the daemon on " + socket + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> receive() throws IOException {
        Map<String, Object> m = receiveOrNull();
        if (m == null) {
            throw new IOException("the daemon on " + socket + " closed the connection without answering");
        }
        return m;
    }

    private Map<String, Object> receiveOrNull() throws IOException {
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        Object doc;
        try {
            doc = Json.parse(line);
        } catch (Json.MalformedJsonException e) {
            throw new IOException("the daemon sent malformed JSON at column " + e.column() + ": " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new IOException("the daemon sent a non-object response: " + line);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) doc;
        return m;
    }

    private static Map<String, Object> checked(Map<String, Object> m) throws RemoteException {
        if (Boolean.TRUE.equals(m.get(Protocol.OK))) {
            return m;
        }
        Object error = m.get(Protocol.ERROR);
        Object details = m.get(Protocol.ERRORS);
        List<String> list = details instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        throw new RemoteException(error == null ? "the daemon refused the request" : error.toString(), list);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
