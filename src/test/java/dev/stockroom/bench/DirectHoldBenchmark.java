package dev.stockroom.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** Holds placed by the direct engine: each hold is its own transaction. */
@QuarkusTest
@TestProfile(DirectHoldBenchmark.Direct.class)
class DirectHoldBenchmark extends HoldBenchmark {

    /** The direct engine. */
    public static class Direct implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.flags.file", "deploy/base/flags/flags.json");
        }
    }

    @Override
    String engine() {
        return "direct";
    }
}
