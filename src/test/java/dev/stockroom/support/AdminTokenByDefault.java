package dev.stockroom.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.util.List;

/**
 * Gives every RestAssured request of every {@code @QuarkusTest} an admin bearer token unless it sends its own
 * {@code Authorization} header, so that set-up calls (locations, stock) need not say who calls. Holds are sent as a
 * storefront sends them ({@link Api#reserve}, {@link Http#as}). Tests that call without
 * any token remove it with {@link #remove()} in a {@code @BeforeEach}, which runs after this.
 *
 * <p>Registered in {@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}: Quarkus
 * calls it inside the application's class loader, where the test's own {@code RestAssured} lives; a plain JUnit
 * extension would configure a different copy of the class. It is a filter rather than a default request
 * specification because a specification would also freeze the port, which Quarkus sets after this callback.
 */
public class AdminTokenByDefault implements QuarkusTestBeforeEachCallback, Filter {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(List.of(this));
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext next) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + Tokens.admin());
        }
        return next.next(request, response);
    }

    /** Lets the current test call without a token. */
    public static void remove() {
        RestAssured.replaceFiltersWith(List.of());
    }
}
