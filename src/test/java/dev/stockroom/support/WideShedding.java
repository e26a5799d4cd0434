package dev.stockroom.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * For tests that race many writes at once on purpose: they test the database's decisions (one winner, no deadlock,
 * one hold per key), not shedding. Their writes wait up to 30 s for a write-bulkhead permit, and their holds up to
 * 30 s to enter a batch, instead of being answered 503 as production would; every other test sheds as production
 * does.
 */
public class WideShedding implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stockroom.shedding.max-wait", "30s", "stockroom.holds.enter-deadline", "30s");
    }
}
