package dev.stockroom.platform.openapi;

import dev.stockroom.platform.Problem;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.Shed;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes every operation's error responses into the API description from one place, at build time, so that the
 * stored {@code docs/openapi.yaml} has them too: for each status an operation can answer with a problem, an
 * {@code application/problem+json} response whose schema is the shared {@code Problem} with {@code type} narrowed to
 * the values that operation can send at that status. What an operation answers comes from its
 * {@link ProblemResponses}, its request body and whether it is {@link Shed}; see {@link ProblemResponses}.
 *
 * <p>It also refuses to build a description with an operation that has no {@code operationId}: client generators
 * name their methods after it, and the contract tests name their examples after it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    static final String PROBLEM_SCHEMA = "Problem";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final Set<ProblemType> EVERY_OPERATION = EnumSet.of(ProblemType.UNAUTHORIZED, ProblemType.FORBIDDEN,
            ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL);
    private static final Set<ProblemType> WITH_A_BODY = EnumSet.of(ProblemType.INVALID_REQUEST,
            ProblemType.MALFORMED_JSON, ProblemType.UNSUPPORTED_MEDIA_TYPE);
    private static final DotName OPERATION = DotName.createSimple(
            org.eclipse.microprofile.openapi.annotations.Operation.class);
    private static final DotName PROBLEM_RESPONSES = DotName.createSimple(ProblemResponses.class);
    private static final DotName SHED = DotName.createSimple(Shed.class);

    /** The problems each operation declares, by operationId. */
    private final Map<String, Set<ProblemType>> declared = new HashMap<>();

    public ProblemResponsesFilter(IndexView index) {
        for (AnnotationInstance operation : index.getAnnotations(OPERATION)) {
            if (operation.target().kind() != AnnotationTarget.Kind.METHOD || operation.value("operationId") == null) {
                continue;
            }
            MethodInfo method = operation.target().asMethod();
            Set<ProblemType> types = EnumSet.noneOf(ProblemType.class);
            AnnotationInstance problems = method.annotation(PROBLEM_RESPONSES);
            if (problems != null) {
                for (String name : problems.value().asEnumArray()) {
                    types.add(ProblemType.valueOf(name));
                }
            }
            if (method.hasDeclaredAnnotation(SHED) || method.declaringClass().hasDeclaredAnnotation(SHED)) {
                types.add(ProblemType.SERVICE_UNAVAILABLE);
            }
            declared.put(operation.value("operationId").asString(), types);
        }
        for (AnnotationInstance problems : index.getAnnotations(PROBLEM_RESPONSES)) {
            MethodInfo method = problems.target().asMethod();
            AnnotationInstance operation = method.annotation(OPERATION);
            AnnotationValue id = operation == null ? null : operation.value("operationId");
            if (id == null) {
                throw new IllegalStateException(method.declaringClass().name() + "." + method.name()
                        + " has @ProblemResponses but no @Operation(operationId = ...)");
            }
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        ProblemSchemas.register(openAPI.getComponents());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (operation.getOperationId() == null) {
                throw new IllegalStateException(method + " " + path + " has no operationId: give its endpoint an"
                        + " @Operation(operationId = ...) and its @ProblemResponses");
            }
            describeProblems(operation);
        }));
    }

    private void describeProblems(Operation operation) {
        Set<ProblemType> types = EnumSet.copyOf(EVERY_OPERATION);
        types.addAll(declared.getOrDefault(operation.getOperationId(), Set.of()));
        if (operation.getRequestBody() != null) {
            types.addAll(WITH_A_BODY);
        }
        Map<Integer, List<ProblemType>> byStatus = new TreeMap<>(types.stream()
                .collect(Collectors.groupingBy(ProblemType::status, Collectors.toList())));
        Map<String, APIResponse> all = new TreeMap<>();
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            all.putAll(operation.getResponses().getAPIResponses());
        }
        byStatus.forEach((status, sameStatus) -> all.put(String.valueOf(status), response(sameStatus)));
        APIResponses responses = OASFactory.createAPIResponses();
        all.forEach(responses::addAPIResponse);
        operation.setResponses(responses);
    }

    private static APIResponse response(List<ProblemType> types) {
        List<Object> uris = new ArrayList<>();
        types.forEach(t -> uris.add(t.uri().toString()));
        Schema narrowed = OASFactory.createSchema()
                .addAllOf(OASFactory.createSchema().ref(SCHEMAS + PROBLEM_SCHEMA))
                .addAllOf(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).addProperty("type",
                        OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(uris)));
        APIResponse response = OASFactory.createAPIResponse()
                .description(types.stream().map(t -> t.title() + " (`" + t.slug() + "`)").collect(Collectors.joining(
                        "; ")))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(narrowed)));
        ProblemType first = types.get(0);
        if (first == ProblemType.UNAUTHORIZED) {
            response.addHeader("WWW-Authenticate", OASFactory.createHeader().description("Always `Bearer`")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(List.of(
                            "Bearer"))));
        }
        if (first == ProblemType.SERVICE_UNAVAILABLE) {
            response.addHeader("Retry-After", OASFactory.createHeader().required(true)
                    .description("Seconds to wait before retrying")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(
                            java.math.BigDecimal.ONE)));
        }
        return response;
    }
}
