package dev.stockroom.platform.flags;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Feature flags for the caller of the current request: the one place features ask whether a flag is on, or which
 * variant it has, for whoever is calling.
 *
 * <p>The evaluation context is the caller's bearer token: its subject, its {@code account} claim and its roles
 * (the {@code groups} claim). Rules in the flag file target a list of accounts ({@code in}), a share of accounts
 * ({@code fractional}, a stable hash of the account, so an account stays on one side while the share stays), or
 * everyone. Outside a request, or for a token without an account, the subject stands in for the account.
 *
 * <p>Every evaluation is counted in {@code stockroom_flag_evaluations_total{flag,variant,reason}} and put in the
 * logging MDC as {@code flag.<key>}, so the request's log lines say which path it took. A flag that cannot be
 * evaluated gives its off value.
 *
 * <p>A token's context is built once and kept while the token object lives: the service verifies a token once and
 * hands the same object to every request that carries it, and reading a custom claim from it costs an exception in
 * SmallRye JWT (its lookup of a standard claim by that name), which on the hold path was most of a flag's cost.
 *
 * <p><b>Note:</b> with lazy authentication the caller's identity is resolved on first use, which may block: call it
 * from a worker thread, or from an endpoint whose security annotation (such as {@code @RolesAllowed}) has resolved
 * the identity before the method runs, as the hold endpoint on the event loop does.
 */
@ApplicationScoped
public class FeatureFlags {

    /** The token claim that names the caller's account. */
    public static final String ACCOUNT_CLAIM = "account";
    /** Prefix of the MDC entries, one per flag evaluated while serving a request. */
    public static final String MDC_PREFIX = "flag.";

    private final FlagEvaluator evaluator;
    private final MeterRegistry registry;
    private final Instance<SecurityIdentity> identity;
    // Weak keys compare by identity and go with the token objects the token cache lets go.
    private final Cache<JsonWebToken, EvaluationContext> contexts = Caffeine.newBuilder().weakKeys()
            .maximumSize(10_000).executor(Runnable::run).build();

    FeatureFlags(FlagEvaluator evaluator, MeterRegistry registry, Instance<SecurityIdentity> identity) {
        this.evaluator = evaluator;
        this.registry = registry;
        this.identity = identity;
    }

    /** Whether the flag is on for the current caller. */
    public boolean enabled(FlagKey.BooleanFlag flag) {
        FlagEvaluationDetails<Boolean> details = evaluator.client().getBooleanDetails(flag.key(), false, context());
        boolean on = Boolean.TRUE.equals(details.getValue());
        record(flag.key(), on ? "on" : "off", details);
        return on;
    }

    /** The flag's value for the current caller; its off value when the flag file says nothing usable. */
    public <E extends Enum<E>> E variant(FlagKey.VariantFlag<E> flag) {
        FlagEvaluationDetails<String> details = evaluator.client().getStringDetails(flag.key(),
                flag.spelling(flag.off()), context());
        E value = flag.parse(details.getValue()).orElse(flag.off());
        record(flag.key(), flag.spelling(value), details);
        return value;
    }

    private void record(String key, String variant, FlagEvaluationDetails<?> details) {
        String reason = details.getReason() == null ? "unknown" : details.getReason().toLowerCase(Locale.ROOT);
        registry.counter("stockroom.flag.evaluations", "flag", key, "variant", variant, "reason", reason).increment();
        MDC.put(MDC_PREFIX + key, variant);
    }

    /** Subject, account and roles of the caller, from the token; empty outside a request or for anonymous calls. */
    private EvaluationContext context() {
        if (!Arc.container().requestContext().isActive() || !identity.isResolvable()) {
            return new ImmutableContext();
        }
        SecurityIdentity caller = identity.get();
        if (caller.isAnonymous()) {
            return new ImmutableContext();
        }
        if (caller.getPrincipal() instanceof JsonWebToken token) {
            return contexts.get(token, t -> context(caller, t));
        }
        return context(caller, null);
    }

    private static EvaluationContext context(SecurityIdentity caller, JsonWebToken token) {
        String subject = caller.getPrincipal().getName();
        String account = null;
        if (token != null) {
            subject = token.getSubject() != null ? token.getSubject() : subject;
            Object claim = token.getClaim(ACCOUNT_CLAIM);
            account = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        }
        Map<String, Value> attributes = new HashMap<>();
        attributes.put("subject", new Value(subject));
        if (account != null) {
            attributes.put(ACCOUNT_CLAIM, new Value(account));
        }
        attributes.put("roles", new Value(caller.getRoles().stream().sorted().map(Value::new).toList()));
        return new ImmutableContext(account != null ? account : subject, attributes);
    }
}
