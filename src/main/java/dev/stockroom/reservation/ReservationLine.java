package dev.stockroom.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A quantity of one SKU held at one location. */
@Embeddable
public class ReservationLine {

    @Column(nullable = false, length = 64)
    public String sku;

    @Column(nullable = false, length = 32)
    public String location;

    @Column(nullable = false)
    public int quantity;

    /** How much of {@code quantity} has left the building (warehouse {@code stock.shipped} events). */
    @Column(nullable = false)
    public int shipped;

    protected ReservationLine() {
    }

    ReservationLine(String sku, String location, int quantity) {
        this.sku = sku;
        this.location = location;
        this.quantity = quantity;
    }
}
