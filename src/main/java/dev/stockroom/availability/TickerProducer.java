package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The cache's time source; tests replace it with one they move forward instead of sleeping. */
public class TickerProducer {

    @Produces
    @Singleton
    @DefaultBean
    Ticker ticker() {
        return Ticker.systemTicker();
    }
}
