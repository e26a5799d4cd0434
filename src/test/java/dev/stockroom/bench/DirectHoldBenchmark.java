package dev.stockroom.bench;

import dev.stockroom.support.ProductionShedding;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.HashMap;
import java.util.Map;

/** Holds placed by the direct engine: each hold is its own transaction. */
@QuarkusTest
@TestProfile(DirectHoldBenchmark.Direct.class)
class DirectHoldBenchmark extends HoldBenchmark {

    /** Production shedding and the direct engine. */
    public static class Direct extends ProductionShedding {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("stockroom.holds.engine", "direct");
            return overrides;
        }
    }

    @Override
    String engine() {
        return "direct";
    }
}
