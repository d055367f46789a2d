package dev.tomoyoctl.daemon;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the control socket serves: the daemon implements it; tests implement it with fakes.
 *
 * <p>Responses are JSON objects without the "ok" field (the socket adds it). A failed request
 * completes the future exceptionally with a {@link ControlException} (a message meant for the
 * user); any other exception is reported as an internal error.
 */
public interface ControlService {

    /** Executes every request except a following {@link Request.Audit}. */
    CompletableFuture<Map<String, Object>> execute(Request request);

    /**
     * Streams audit records: first {@code sink} gets the response carrying the most recent
     * {@code request.limit()} records ({"records":[...]}), then one {"record":{...}} per new record,
     * until the returned subscription is closed. The sink is called from the daemon's thread.
     */
    Subscription followAudit(Request.Audit request, Consumer<Map<String, Object>> sink);

    /** A cancellable stream. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
