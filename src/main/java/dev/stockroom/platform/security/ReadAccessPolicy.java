package dev.stockroom.platform.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides availability reads: any Stockroom role may read, and so may anonymous callers when
 * {@code stockroom.security.anonymous-reads} is on. Bound to endpoints with {@code @AuthorizationPolicy(name = READ)}.
 *
 * <p>The identity is always resolved, so that a token that is sent but invalid is refused (401) even when reads are
 * open: a caller with a broken token should learn about it rather than silently read as anonymous.
 */
@ApplicationScoped
public class ReadAccessPolicy implements HttpSecurityPolicy {

    /** The name endpoints use in {@code @AuthorizationPolicy}. */
    public static final String READ = "stock-read";

    private final SecurityConfig config;

    ReadAccessPolicy(SecurityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext requestContext) {
        return identity.map(caller -> allowed(caller) ? CheckResult.PERMIT : CheckResult.DENY);
    }

    private boolean allowed(SecurityIdentity caller) {
        if (caller.isAnonymous()) {
            return config.anonymousReads();
        }
        return caller.hasRole(Roles.STOREFRONT) || caller.hasRole(Roles.WAREHOUSE) || caller.hasRole(Roles.ADMIN);
    }

    @Override
    public String name() {
        return READ;
    }
}
