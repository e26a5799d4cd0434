package dev.stockroom.reservation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line that could not be covered, as the 409 answer reports it. {@code available} is what the named location
 * could hold when the hold was decided, or for a line without location the most that any one active location
 * could; {@code location} is shown only if the line named one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Shortage(String sku, String location, int requested, int available) {
}
