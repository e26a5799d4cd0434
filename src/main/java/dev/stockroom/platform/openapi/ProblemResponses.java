package dev.stockroom.platform.openapi;

import dev.stockroom.platform.ProblemType;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint answers besides those every endpoint may answer. {@link ProblemResponsesFilter} turns
 * them into the operation's {@code application/problem+json} responses in the API description, one per status, each
 * listing its {@code type} values. The endpoint needs an {@code @Operation} with an {@code operationId}.
 *
 * <p>Added by the filter without being listed here: 401, 403, 406 and 500 on every operation; 400
 * ({@code invalid-request}, {@code malformed-json}) and 415 on an operation with a body; 503 on a {@code @Shed}
 * endpoint.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemResponses {

    /** The problem types this endpoint may answer with. */
    ProblemType[] value();
}
