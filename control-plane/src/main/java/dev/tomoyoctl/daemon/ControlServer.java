package dev.tomoyoctl.daemon;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The control socket: AF_UNIX stream socket, mode 0600, root peers only, newline-delimited JSON.
 *
 * <p>One event-loop thread is plenty: requests are small and the daemon's work happens on its
 * own thread, never on the event loop.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel channel;
    /** Open client connections: closed explicitly on stop so a follower sees the end of its stream. */
    private final ChannelGroup clients;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ControlServer(Path socket, EventLoopGroup group, Channel channel, ChannelGroup clients) {
        this.socket = socket;
        this.group = group;
        this.channel = channel;
        this.clients = clients;
    }

    /** Binds the socket; fails if another daemon answers on it. A stale socket file is replaced. */
    public static ControlServer start(Path socket, ControlService service) throws IOException {
        return start(socket, service, PeerCredentialsHandler.SO_PEERCRED);
    }

    static ControlServer start(Path socket, ControlService service, PeerCredentialsHandler.UidResolver uids)
            throws IOException {
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        removeStale(socket);
        // Channel ids need a machine id; without a network interface (a VM) Netty logs a warning
        // while making one up. The ids never leave this process, so any value is fine.
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:00");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ChannelGroup clients = new DefaultChannelGroup("tomoyoctl-clients", GlobalEventExecutor.INSTANCE);
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ControlServerInitializer(service, uids, clients))
                    .bind(new DomainSocketAddress(socket.toFile()))
                    .sync()
                    .channel();
            // bind(2) creates the file with the umask's mode; a non-root process that connects in
            // between is still refused by the SO_PEERCRED check.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            LOG.info("control socket listening on " + socket);
            return new ControlServer(socket, group, ch, clients);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(socket) || Files.isDirectory(socket) || Files.isRegularFile(socket)) {
            // Never delete something that is not a socket because its name is configured here.
            throw new IOException(socket + " exists and is not a socket; remove it or choose another --socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("another daemon is already listening on " + socket);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another daemon")) {
                throw e;
            }
            // Connection refused: the file is left over from a daemon that died. Replace it.
            Files.delete(socket);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Stops listening, closes every client connection, removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close().syncUninterruptibly();
            clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.warning("cannot remove " + socket + ": " + e.getMessage());
            }
        }
    }
}
