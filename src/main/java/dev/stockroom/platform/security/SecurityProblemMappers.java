package dev.stockroom.platform.security;

import dev.stockroom.platform.ProblemMappers;
import dev.stockroom.platform.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Answers the security layer's refusals as problems. Authentication is lazy ({@code quarkus.http.auth.proactive=false})
 * precisely so that these failures reach the REST layer and its mappers instead of leaving as bare 401 answers.
 *
 * <p>The details never echo the token or say why exactly it was refused (bad signature, expired, wrong issuer): that
 * goes to the debug log, keyed by the request id.
 */
public class SecurityProblemMappers {

    private static final Logger LOG = Logger.getLogger(SecurityProblemMappers.class);
    private static final String CHALLENGE = "Bearer";

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        LOG.debugf("Refused a bearer token on %s: %s", uri.getPath(), failureKind(e));
        return challenge(ProblemMappers.respond(ProblemType.UNAUTHORIZED,
                "The bearer token is missing, expired or not signed by a trusted key", uri, Map.of()));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        LOG.debugf("Refused an anonymous call to %s", uri.getPath());
        return challenge(ProblemMappers.respond(ProblemType.UNAUTHORIZED,
                "Send a bearer token in the Authorization header", uri, Map.of()));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        LOG.debugf("Refused a call to %s: the caller's roles do not allow it", uri.getPath());
        return ProblemMappers.respond(ProblemType.FORBIDDEN, "The caller's roles do not allow this operation",
                uri, Map.of());
    }

    private static Response challenge(Response problem) {
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    private static String failureKind(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Only the kind of failure: token libraries put the token's claims into their messages.
        return root.getClass().getSimpleName();
    }
}
