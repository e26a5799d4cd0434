package dev.stockroom.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection budget: pools times replicas plus a reserve must fit the database. */
class ConnectionBudgetTest {

    @Test
    void enforce_budgetOverTheLimit_refusesToStartAndPrintsTheArithmetic() {
        // Given: 10 replicas of 16 + 4 + 2 connections and a reserve of 10 against max_connections = 200
        ConnectionBudget budget = new ConnectionBudget(16, 4, 2, 10, 10, 200);

        // When / Then
        assertThat(budget.fits()).isFalse();
        assertThatThrownBy(() -> ConnectionBudgetCheck.enforce(budget, BudgetConfig.OnViolation.FAIL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "(write pool 16 + read pool 4 + report pool 2) × max replicas 10 + reserve 10 = 230 > "
                                + "database max_connections 200");
    }

    @Test
    void enforce_budgetOverTheLimitInWarnMode_starts() {
        // Given
        ConnectionBudget budget = new ConnectionBudget(16, 4, 2, 10, 10, 200);

        // When / Then
        assertThatCode(() -> ConnectionBudgetCheck.enforce(budget, BudgetConfig.OnViolation.WARN))
                .doesNotThrowAnyException();
    }

    @Test
    void enforce_defaultsAgainstTheTestDatabase_fitExactlyAsComputed() {
        // Given: the defaults, 8 replicas, against the embedded database's 200
        ConnectionBudget budget = new ConnectionBudget(16, 4, 2, 8, 10, 200);

        // When / Then: 186 fits; one connection more per replica than 200 allows does not
        assertThat(budget.needed()).isEqualTo(186);
        assertThatCode(() -> ConnectionBudgetCheck.enforce(budget, BudgetConfig.OnViolation.FAIL))
                .doesNotThrowAnyException();
        assertThat(new ConnectionBudget(16, 4, 2, 8, 25, 200).fits()).isFalse();
        assertThat(new ConnectionBudget(16, 4, 2, 8, 24, 200).fits()).isTrue();
    }
}
