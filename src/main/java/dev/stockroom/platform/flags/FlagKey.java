package dev.stockroom.platform.flags;

import java.util.Locale;
import java.util.Optional;

/**
 * A feature flag as the code sees it: its key in the flag file and the value it takes when it is off, which is
 * also what every caller gets when the flag cannot be evaluated (missing from the file, no file, a type mismatch).
 *
 * <p>A feature declares its flags once, next to the code they switch, for example
 * {@code static final VariantFlag<Engine> ENGINE = new VariantFlag<>("holds.engine", Engine.class, Engine.DIRECT);}
 * and asks {@link FeatureFlags} for the caller's value.
 */
public sealed interface FlagKey permits FlagKey.BooleanFlag, FlagKey.VariantFlag {

    /** The flag's key in the flag file, e.g. {@code reports.enabled}. */
    String key();

    /** A flag that is on or off; off is {@code false}. */
    record BooleanFlag(String key) implements FlagKey {
    }

    /**
     * A flag whose values are the constants of an enum, written in the flag file in lower case with dashes
     * ({@code COMBINING} is {@code "combining"}).
     *
     * @param key  the key in the flag file
     * @param type the enum of the values
     * @param off  the value when the flag is off or cannot be evaluated
     */
    record VariantFlag<E extends Enum<E>>(String key, Class<E> type, E off) implements FlagKey {

        /** The flag file's spelling of a value. */
        public String spelling(E value) {
            return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The value a flag file string names, if any. */
        Optional<E> parse(String spelling) {
            for (E value : type.getEnumConstants()) {
                if (spelling(value).equals(spelling)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }
    }
}
