package dev.stockroom.platform.flags;

import dev.openfeature.contrib.providers.flagd.resolver.process.model.FeatureFlag;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.FlagParser;
import dev.openfeature.contrib.providers.flagd.resolver.process.model.ParsingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges the content of a flag file before the evaluator sees it. flagd's own file source hands the evaluator
 * whatever parses as JSON, so a file with a flag whose default variant does not exist, or that misses a flag,
 * would replace good flags; here such a file is refused as a whole and the flags in use stay.
 *
 * <p>A file is accepted when it passes flagd's JSON schema strictly and every flag names its default variant and
 * its off variant ({@code metadata.offVariant}) among its variants. The off variant is what production must default
 * to until a flag is proven (the readiness review checks it).
 */
final class FlagFile {

    /** The metadata entry naming the variant a flag has when it is off. */
    static final String OFF_VARIANT = "offVariant";

    /** A flag set with no flags: every evaluation then falls back to the code's off value. */
    static final String EMPTY = "{\"flags\":{}}";

    private FlagFile() {
    }

    /** The outcome of reading one version of the file. */
    sealed interface Verdict permits Accepted, Rejected {
    }

    /** The file is good; {@code json} goes to the evaluator. */
    record Accepted(String json, Map<String, FeatureFlag> flags) implements Verdict {
    }

    /** The file is not used; {@code reason} is a short label for metrics, {@code detail} says what is wrong. */
    record Rejected(String reason, String detail) implements Verdict {
    }

    static Verdict judge(String json) {
        ParsingResult parsed;
        try {
            parsed = FlagParser.parseString(json, true);
        } catch (Exception e) {
            return new Rejected("invalid", String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable"));
        }
        List<String> problems = new ArrayList<>();
        parsed.getFlags().forEach((key, flag) -> {
            if (!flag.getVariants().containsKey(flag.getDefaultVariant())) {
                problems.add(key + ": default variant " + flag.getDefaultVariant() + " is not one of its variants");
            }
            Object off = flag.getMetadata() == null ? null : flag.getMetadata().get(OFF_VARIANT);
            if (off == null || !flag.getVariants().containsKey(off.toString())) {
                problems.add(key + ": metadata." + OFF_VARIANT + " must name one of its variants");
            }
        });
        if (!problems.isEmpty()) {
            return new Rejected("invalid", String.join("; ", problems));
        }
        return new Accepted(json, parsed.getFlags());
    }
}
