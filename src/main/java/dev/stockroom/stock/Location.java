package dev.stockroom.stock;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A warehouse or store that holds stock. Holds without a location are sourced by {@link #priority}, lowest first. */
@Entity
public class Location extends PanacheEntityBase {

    @Id
    @Column(length = 32)
    public String code;

    @Column(nullable = false, length = 200)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public LocationKind kind;

    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static List<Location> listByPriority() {
        return list("order by priority, code");
    }

    /** The codes among {@code codes} that name no location. */
    public static Set<String> unknown(Collection<String> codes) {
        if (codes.isEmpty()) {
            return Set.of();
        }
        Set<String> known = Location.<Location>list("code in ?1", codes).stream()
                .map(l -> l.code).collect(Collectors.toSet());
        return codes.stream().filter(c -> !known.contains(c)).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
