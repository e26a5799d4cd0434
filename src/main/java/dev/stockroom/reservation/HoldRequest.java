package dev.stockroom.reservation;

import dev.stockroom.platform.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A request to hold stock for a checkout. Limits that depend on configuration (lines per hold, units per line,
 * longest TTL) are checked by {@link ReservationService}.
 *
 * @param ttlSeconds how long the hold lasts; the configured default when left out
 */
public record HoldRequest(
        @NotBlank @Size(max = 128) String orderRef,
        @NotEmpty List<@NotNull @Valid Line> lines,
        @Min(1) Integer ttlSeconds) {

    /**
     * One line of a hold.
     *
     * @param location where to hold it; left out, Stockroom chooses one location that can cover the whole line
     */
    public record Line(
            @NotNull @Pattern(regexp = Identifiers.SKU_REGEX,
                    message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit") String sku,
            @NotNull @Min(1) Integer quantity,
            @Pattern(regexp = Identifiers.LOCATION_REGEX,
                    message = "must be 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit") String location) {
    }
}
