package dev.stockroom.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** Holds placed by the combining engine: concurrent holds share transactions. */
@QuarkusTest
@TestProfile(CombiningHoldBenchmark.Combining.class)
class CombiningHoldBenchmark extends HoldBenchmark {

    /** The combining engine. */
    public static class Combining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.flags.file", "config/flags/all-on.json");
        }
    }

    @Override
    String engine() {
        return "combining";
    }
}
