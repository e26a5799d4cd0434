package dev.stockroom.platform.flags;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Where the feature flag definitions come from and how soon a change to them takes effect. */
@ConfigMapping(prefix = "stockroom.flags")
public interface FlagsConfig {

    /**
     * The flag file: flagd's JSON flag definitions. In Kubernetes it is the ConfigMap {@code stockroom-flags}
     * mounted as a directory (never with {@code subPath}, which would freeze it), so that an edit of the ConfigMap
     * reaches running pods. A missing or invalid file keeps the flags last loaded; with none loaded yet every flag
     * is off.
     */
    @WithDefault("/etc/stockroom/flags/flags.json")
    Path file();

    /**
     * How often the file is read for changes: a change on disk takes effect within this interval (plus the few
     * milliseconds of evaluation), without a restart.
     */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * Longest wait at start for the first flags to load (the evaluator compiles flagd's schema first, a few seconds
     * on a busy machine). Past it the service starts anyway, with every flag off until they load.
     */
    @WithDefault("30s")
    Duration startTimeout();
}
