package dev.stockroom.reservation;

import dev.stockroom.platform.ProblemException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand check of a hold request against Hibernate Validator reading the constraints declared on
 * {@link HoldRequest}, over generated requests built from the values at the edges of each constraint: the two must
 * reach the same verdict on every one, or a request the validator refuses could be held. Each case comes from a seed,
 * which a failure names.
 */
class HoldRequestValidationTest {

    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    private static final List<String> ORDER_REFS = Arrays.asList(null, "", " ", "\t \n", "o", " o ", "order-8812",
            "\u2003", "\u0001", " \u0000 ", "x".repeat(128), "x".repeat(129), " ".repeat(129));
    private static final List<String> SKUS = Arrays.asList(null, "", "S", "SHOE-RED-42", "a.b_c-d", "-a", ".a", "a b",
            "a/b", "é", "S\n", "\nS", "S".repeat(64), "S".repeat(65));
    private static final List<Integer> QUANTITIES = Arrays.asList(null, Integer.MIN_VALUE, -1, 0, 1, 3,
            Integer.MAX_VALUE);
    private static final List<String> LOCATIONS = Arrays.asList(null, null, "", "W1", "LOC-1", "_x", "x y", "L\n",
            "L".repeat(32), "L".repeat(33));
    private static final List<Integer> TTLS = Arrays.asList(null, Integer.MIN_VALUE, 0, 1, 600, 10_000_000);

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 2_000);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void handCheck_reachesTheValidatorsVerdict(long seed) {
        HoldRequest request = generate(new Random(seed));

        boolean validatorAccepts = VALIDATOR.validate(request).isEmpty();

        assertThat(HoldRequestValidation.meetsConstraints(request))
                .as("seed %d: %s; validator says %s", seed, request, VALIDATOR.validate(request))
                .isEqualTo(validatorAccepts);
    }

    @Test
    void check_refusedRequest_namesEveryViolationAsTheValidatorWordsIt() {
        HoldRequest request = new HoldRequest(" ", List.of(new HoldRequest.Line("-a", 0, "W1")), 0);

        assertThatThrownBy(() -> new HoldRequestValidation(VALIDATOR).check(request))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> assertThat(e.getConstraintViolations())
                        .extracting(v -> v.getPropertyPath().toString())
                        .containsExactlyInAnyOrder("orderRef", "ttlSeconds", "lines[0].sku", "lines[0].quantity"));
    }

    @Test
    void check_missingBody_isRefused() {
        assertThatThrownBy(() -> new HoldRequestValidation(VALIDATOR).check(null))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("request: must not be null"));
    }

    private static HoldRequest generate(Random random) {
        // Most cases valid but for one value or two, so that each constraint is met and missed alone.
        List<HoldRequest.Line> lines = switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> List.of();
            default -> {
                List<HoldRequest.Line> generated = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    generated.add(random.nextInt(40) == 0 ? null : new HoldRequest.Line(
                            pick(random, SKUS, "SHOE-RED-42"), pick(random, QUANTITIES, 1),
                            pick(random, LOCATIONS, "W1")));
                }
                yield generated;
            }
        };
        return new HoldRequest(pick(random, ORDER_REFS, "order-8812"), lines, pick(random, TTLS, null));
    }

    /** An edge value one time in three, else a value that meets the constraint. */
    private static <T> T pick(Random random, List<T> edges, T valid) {
        return random.nextInt(3) == 0 ? edges.get(random.nextInt(edges.size())) : valid;
    }
}
