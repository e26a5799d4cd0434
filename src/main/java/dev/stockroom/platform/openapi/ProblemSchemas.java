package dev.stockroom.platform.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.math.BigDecimal;

/**
 * The {@code Problem} schema (RFC 9457) and the extension members Stockroom's problems carry. Written by hand rather
 * than scanned from {@link dev.stockroom.platform.Problem}, whose extension members are a map written at the top level.
 */
final class ProblemSchemas {

    private ProblemSchemas() {
    }

    static void register(Components components) {
        components.addSchema("FieldError", object("One invalid field of a request")
                .addProperty("field", string(
                        "The field, such as `lines[0].quantity`, `ttlSeconds` or `Idempotency-Key`"))
                .addProperty("message", string("What is wrong with it"))
                .addRequired("field").addRequired("message"));
        components.addSchema("Shortage", object("A hold line that could not be covered")
                .addProperty("sku", string("The line's SKU"))
                .addProperty("location", string("The location the line named; absent when Stockroom was to choose"))
                .addProperty("requested", integer("Units the line asked for", 1))
                .addProperty("available", integer("Units the named location could hold, or for a line without location"
                        + " the most that any one active location could", 0))
                .addRequired("sku").addRequired("requested").addRequired("available"));
        components.addSchema(ProblemResponsesFilter.PROBLEM_SCHEMA, object(
                "RFC 9457 problem details; clients switch on `type`")
                .addProperty("type", string("Stable URI of the kind of problem").format("uri"))
                .addProperty("title", string("Short summary of the kind of problem"))
                .addProperty("status", integer("The HTTP status", 400).maximum(BigDecimal.valueOf(599)))
                .addProperty("detail", string("What went wrong with this request"))
                .addProperty("instance", string("The request path"))
                .addProperty("errors", array("Invalid fields (`invalid-request`)", ref("FieldError")))
                .addProperty("shortages", array("Lines that could not be covered (`insufficient-stock`)", ref(
                        "Shortage")))
                .addProperty("unknownLocations", array("Location codes that do not exist (`unknown-location`)",
                        OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .addProperty("retryAfterSeconds", integer(
                        "Seconds to wait, as in `Retry-After` (`service-unavailable`)", 1))
                .addRequired("type").addRequired("title").addRequired("status"));
    }

    private static Schema object(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description(description);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Schema integer(String description, long minimum) {
        return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32").description(description)
                .minimum(BigDecimal.valueOf(minimum));
    }

    private static Schema array(String description, Schema items) {
        return OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).description(description).items(items);
    }

    private static Schema ref(String schema) {
        return OASFactory.createSchema().ref("#/components/schemas/" + schema);
    }
}
