package dev.tomoyoctl.daemon;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request line in, one response line out (an audit follow keeps writing lines until the
 * client goes away).
 *
 * <p>Requests on one connection are answered in order: each is chained behind the previous
 * one's completion, because the daemon may finish a later, cheaper request first.
 */
public final class ControlRequestHandler extends SimpleChannelInboundHandler<String> {
    private static final Logger LOG = Logger.getLogger(ControlRequestHandler.class.getName());

    private final ControlService service;
    /** Completes when the previous request on this connection has been answered. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private ControlService.Subscription subscription;

    public ControlRequestHandler(ControlService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        if (line.isBlank()) {
            return; // tolerate "\r\n" and empty keep-alive lines
        }
        if (subscription != null) {
            reply(ctx, error("this connection is following the audit log; open another connection for '"
                    + line.strip() + "'", List.of()));
            return;
        }
        final Request request;
        try {
            request = Request.parse(line);
        } catch (ProtocolException e) {
            reply(ctx, error(e.getMessage(), List.of()));
            return;
        }
        if (request instanceof Request.Audit audit && audit.follow()) {
            tail = tail.whenComplete((v, t) -> {
                if (ctx.channel().isActive()) {
                    subscription = service.followAudit(audit, m -> reply(ctx, ok(m)));
                    // The client may have gone away between the check and the subscription.
                    ctx.channel().closeFuture().addListener(f -> subscription.close());
                }
            });
            return;
        }
        CompletableFuture<Map<String, Object>> result;
        try {
            result = tail.thenCompose(v -> service.execute(request));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        tail = result.handle((m, t) -> {
            reply(ctx, t == null ? ok(m) : failure(request, t));
            return null;
        });
    }

    private static Map<String, Object> ok(Map<String, Object> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.OK, true);
        m.putAll(body);
        return m;
    }

    static Map<String, Object> error(String message, List<String> details) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.OK, false);
        m.put(Protocol.ERROR, message);
        if (!details.isEmpty()) {
            m.put(Protocol.ERRORS, details);
        }
        return m;
    }

    private static Map<String, Object> failure(Request request, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ControlException ce) {
            return error(ce.getMessage(), ce.details());
        }
        LOG.log(Level.WARNING, "internal error in op " + request.op(), cause);
        return error("internal error in op '" + request.op() + "': " + cause, List.of());
    }

    private static void reply(ChannelHandlerContext ctx, Map<String, Object> message) {
        ctx.writeAndFlush(Json.write(message) + "\n");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            ctx.writeAndFlush(Json.write(error("request line longer than " + Protocol.MAX_REQUEST_BYTES
                    + " bytes", List.of())) + "\n").addListener(ChannelFutureListener.CLOSE);
            return;
        }
        LOG.log(Level.FINE, "control connection failed", cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        super.channelInactive(ctx);
    }
}
