package dev.stockroom.platform.observability;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is sane, else a new one. The id is echoed in
 * the response and put in the logging MDC as {@code requestId}, so every log line of the request carries it.
 *
 * <p>It runs as the first route handler, before authentication and the REST layer, so that refusals and errors are
 * tagged too. Quarkus keeps the MDC in the request's own Vert.x context, which follows the request onto worker
 * threads and does not leak into the next request on the same thread.
 */
@ApplicationScoped
public class RequestIdFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    // Ids end up in log lines: only characters that cannot forge a line or a JSON field are kept.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@/+=-]+");

    private final ObservabilityConfig config;

    RequestIdFilter(ObservabilityConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::tag);
    }

    void tag(RoutingContext request) {
        String id = accepted(request.request().getHeader(HEADER));
        MDC.put(MDC_KEY, id);
        request.response().putHeader(HEADER, id);
        request.next();
    }

    String accepted(String incoming) {
        if (incoming != null && incoming.length() <= config.maxRequestIdLength() && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }
}
