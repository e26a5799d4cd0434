package dev.stockroom.warehouse;

/**
 * What identifies a warehouse event: its CloudEvents {@code source} and {@code id} together. The spec makes only the
 * pair unique, so two warehouse systems may number their events the same way.
 */
record EventKey(String source, String id) {

    @Override
    public String toString() {
        return source + " " + id;
    }
}
