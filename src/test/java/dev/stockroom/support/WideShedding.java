package dev.stockroom.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * For tests that race more writes at once than the write bulkhead has permits, on purpose: they test the
 * database's decisions (one winner, no deadlock, one hold per key), not shedding. Their writes wait up to 30 s for a
 * permit instead of being shed after {@code stockroom.shedding.max-wait}; every other test sheds as production does.
 */
public class WideShedding implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stockroom.shedding.max-wait", "30s");
    }
}
