package dev.stockroom.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Production load shedding for benchmarks: the test profile lets writes wait 30 s for a permit (the foundation's
 * race tests push 64 holds through 16 permits on purpose); production sheds after 100 ms. Pool sizes are the
 * production defaults in either profile.
 */
public class ProductionShedding implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stockroom.shedding.max-wait", "100ms");
    }
}
