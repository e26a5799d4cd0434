package dev.stockroom.reservation;

import dev.stockroom.platform.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A request to hold stock for a checkout. Its constraints are checked by {@link HoldRequestValidation}; limits that
 * depend on configuration (lines per hold, units per line, longest TTL) by {@link HoldIntake}. The API description
 * states both.
 *
 * @param ttlSeconds how long the hold lasts; the configured default when left out
 */
@Schema(name = "HoldRequest", description = "A hold for a checkout: every line is held, or none")
public record HoldRequest(
                          @Schema(description = "The caller's order or cart reference; no control characters", examples = "order-8812") @NotBlank @Size(max = HoldRequest.ORDER_REF_MAX_LENGTH) String orderRef,
                          @Schema(maxItems = ReservationConfig.MAX_LINES, description = "Each (sku, location) at most once; a line without location is the only line of its SKU."
                                  + " The bound is the default of stockroom.reservation.max-lines") @NotEmpty List<@NotNull @Valid Line> lines,
                          @Schema(nullable = true, maximum = "" + ReservationConfig.MAX_TTL_SECONDS, defaultValue = ""
                                  + ReservationConfig.DEFAULT_TTL_SECONDS, description = "How long the hold lasts, in seconds. The default and the bound are those of"
                                          + " stockroom.reservation.default-ttl-seconds and max-ttl-seconds") @Min(1) Integer ttlSeconds) {

    static final int ORDER_REF_MAX_LENGTH = 128;

    /**
     * One line of a hold.
     *
     * @param location where to hold it; left out, Stockroom chooses one location that can cover the whole line
     */
    @Schema(name = "HoldLine")
    public record Line(
                       @Schema(maxLength = Identifiers.SKU_MAX_LENGTH, examples = "SHOE-RED-42") @NotNull @Pattern(regexp = Identifiers.SKU_REGEX, message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit") String sku,
                       @Schema(maximum = ""
                               + ReservationConfig.MAX_LINE_QUANTITY, format = "int32", description = "Units to hold. The bound is the default of stockroom.reservation.max-line-quantity") @NotNull @Min(1) Integer quantity,
                       @Schema(nullable = true, maxLength = Identifiers.LOCATION_MAX_LENGTH, description = "Where to hold it; left out, Stockroom chooses one active location that"
                               + " can cover the whole line (lowest priority number first)") @Pattern(regexp = Identifiers.LOCATION_REGEX, message = "must be 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit") String location) {
    }
}
