package dev.tomoyoctl.daemon;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

import java.nio.charset.StandardCharsets;

/** The pipeline of one control connection: credentials, lines, UTF-8, requests. */
public final class ControlServerInitializer extends ChannelInitializer<Channel> {
    private final ControlService service;
    private final PeerCredentialsHandler.UidResolver uids;
    private final ChannelGroup clients;

    public ControlServerInitializer(ControlService service, PeerCredentialsHandler.UidResolver uids) {
        this(service, uids, null);
    }

    /** @param clients where open connections are tracked (closed together at stop), or null */
    public ControlServerInitializer(ControlService service, PeerCredentialsHandler.UidResolver uids,
                                    ChannelGroup clients) {
        this.service = service;
        this.uids = uids;
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (clients != null) {
            clients.add(ch); // removed automatically when the channel closes
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("peer", new PeerCredentialsHandler(uids));
        // failFast: a too long line is reported as soon as the limit is crossed, not at its end.
        p.addLast("lines", new LineBasedFrameDecoder(Protocol.MAX_REQUEST_BYTES, true, true));
        p.addLast("utf8-in", new StringDecoder(StandardCharsets.UTF_8));
        p.addLast("utf8-out", new StringEncoder(StandardCharsets.UTF_8));
        p.addLast("requests", new ControlRequestHandler(service));
    }
}
