package dev.stockroom.history;

import java.time.LocalDate;

/**
 * Units that moved in one period, by what moved them. On-hand: received, shipped, adjusted, counted, transferred
 * and corrected, each up or down as the ledger recorded it, and their net. Holds: held, released, expired,
 * committed (held units turned into an order) and cancelled (orders given back).
 *
 * @param from      first day of the period (the report's first day when the period starts before it)
 * @param to        day after the period's last (the report's end when the period ends after it)
 * @param netOnHand the change of on-hand over the period: every up minus every down
 * @param movements ledger rows counted in the period
 */
public record FlowPeriod(LocalDate from, LocalDate to, long received, long shipped, long adjustedUp,
                         long adjustedDown, long countedUp, long countedDown, long transferredIn,
                         long transferredOut, long correctedUp, long correctedDown, long held, long released,
                         long expired, long committed, long cancelled, long netOnHand, long movements) {
}
