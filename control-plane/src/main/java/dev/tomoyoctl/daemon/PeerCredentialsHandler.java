package dev.tomoyoctl.daemon;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * Root only: checks the connecting process's uid (SO_PEERCRED) before any request is read, and
 * answers anyone else with one error line and a close. The socket file's 0600 mode is the first
 * gate; this one holds even if the file's mode is changed or the socket is reached through a
 * descriptor passed on by root.
 */
public final class PeerCredentialsHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(PeerCredentialsHandler.class.getName());

    /** Finds the uid of the process at the other end of a channel. */
    @FunctionalInterface
    public interface UidResolver {
        int uid(Channel channel) throws IOException;
    }

    /** SO_PEERCRED through Netty's epoll transport. */
    public static final UidResolver SO_PEERCRED = ch -> {
        if (!(ch instanceof EpollDomainSocketChannel uds)) {
            throw new IOException("not an AF_UNIX epoll channel: " + ch.getClass().getName());
        }
        return uds.peerCredentials().uid();
    };

    private final UidResolver resolver;

    public PeerCredentialsHandler(UidResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String refusal;
        try {
            int uid = resolver.uid(ctx.channel());
            refusal = uid == 0 ? null
                    : "permission denied: the tomoyoctl control socket is for root only (your uid is " + uid + ")";
        } catch (IOException e) {
            refusal = "permission denied: cannot read the peer's credentials (" + e.getMessage() + ")";
        }
        if (refusal != null) {
            LOG.info("refused control connection: " + refusal);
            // This handler sits before the string encoder: write bytes.
            String line = Json.write(ControlRequestHandler.error(refusal, List.of())) + "\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().remove(this);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Only reached for a refused peer whose bytes arrived before the close: drop them.
        io.netty.util.ReferenceCountUtil.release(msg);
    }
}
