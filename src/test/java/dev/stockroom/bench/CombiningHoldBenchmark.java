package dev.stockroom.bench;

import dev.stockroom.support.ProductionShedding;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.HashMap;
import java.util.Map;

/** Holds placed by the combining engine: concurrent holds share transactions. */
@QuarkusTest
@TestProfile(CombiningHoldBenchmark.Combining.class)
class CombiningHoldBenchmark extends HoldBenchmark {

    /** Production shedding and the combining engine. */
    public static class Combining extends ProductionShedding {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("stockroom.holds.engine", "combining");
            return overrides;
        }
    }

    @Override
    String engine() {
        return "combining";
    }
}
