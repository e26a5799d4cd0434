package dev.stockroom.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Turns every failure into an RFC 9457 problem, so that clients parse one error shape everywhere. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.type(), e.getMessage(), uri, e.extensions());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<ProblemException.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ProblemException.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(ProblemException.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(ProblemType.INVALID_REQUEST, detail, uri, Map.of("errors", errors));
    }

    // Jackson's own subtypes are named one by one: the framework's built-in mappers for them would otherwise win.
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response unparseable(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response unmappable(JsonMappingException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        // Well-formed JSON of the right types whose value is refused names the field, like a validation failure.
        if (e instanceof StrictJson.ControlCharacterException text && !text.getPath().isEmpty()) {
            return invalidField(path(text), "must not contain control characters", uri);
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException
                && !mapping.getPath().isEmpty()) {
            return invalidField(path(mapping), "is out of range", uri);
        }
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "Unknown field '" + unknown.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException format) {
            detail = "Field '" + path(format) + "' cannot take the value " + format.getValue();
        } else if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            detail = "Field '" + path(mismatch) + "' has the wrong type";
        } else if (e instanceof MismatchedInputException) {
            detail = "The body must be a JSON object of the documented shape";
        } else {
            detail = "The body is not well-formed JSON: " + e.getOriginalMessage();
        }
        return respond(ProblemType.MALFORMED_JSON, detail, uri, Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_REQUEST;
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemType.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.INVALID_REQUEST;
        };
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        // A 400 from the framework is almost always an unreadable body (JSON parse failures arrive wrapped).
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        return respond(type, e.getMessage(), uri, Map.of());
    }

    // Exception, not RuntimeException: endpoints that run JDBC declare SQLException, and a lock timeout arriving that
    // way is as much "retry later" as one wrapped by Hibernate (OpenApiContractTest found it answered 500).
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (DatabaseUnavailable.causedBy(e)) {
            LOG.warnf("Database unavailable, answered 503: %s", e);
            return respond(ProblemType.SERVICE_UNAVAILABLE, "The database is unavailable right now; retry shortly",
                    uri, Map.of("retryAfterSeconds", 1));
        }
        LOG.error("Unexpected failure", e);
        return respond(ProblemType.INTERNAL, "An unexpected error occurred", uri, Map.of());
    }

    public static Response respond(ProblemType type, String detail, UriInfo uri, Map<String, Object> extensions) {
        Problem body = new Problem(type.uri(), type.title(), type.status(), detail,
                uri == null ? null : uri.getPath(), extensions);
        Response.ResponseBuilder response = Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body);
        if (type == ProblemType.SERVICE_UNAVAILABLE && extensions.get("retryAfterSeconds") instanceof Number seconds) {
            response.header(HttpHeaders.RETRY_AFTER, seconds.longValue());
        }
        return response.build();
    }

    private static Response invalidField(String field, String message, UriInfo uri) {
        ProblemException invalid = ProblemException.invalid(field, message);
        return respond(invalid.type(), invalid.getMessage(), uri, invalid.extensions());
    }

    /** Drops the method and parameter nodes ("reserve.request.lines[0].quantity" becomes "lines[0].quantity"). */
    private static String field(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = StreamSupport.stream(violation.getPropertyPath().spliterator(), false).toList();
        StringBuilder field = new StringBuilder();
        for (Path.Node node : nodes) {
            if (node.getKind() == jakarta.validation.ElementKind.METHOD
                    || node.getKind() == jakarta.validation.ElementKind.PARAMETER && nodes.size() > 2) {
                continue;
            }
            if (node.getKind() == jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.getIndex() != null && !field.isEmpty()) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
