package dev.stockroom.outbox;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's Kafka transactional id: stable per replica where there is a pod, never shared. */
class TransactionalIdTest {

    @Test
    void transactionalId_configured_isUsedAsItIs() {
        assertThat(OutboxRelay.transactionalId(Optional.of("stockroom-outbox-prod-stockroom-7d9f-abcde"),
                Optional.of("host"))).isEqualTo("stockroom-outbox-prod-stockroom-7d9f-abcde");
    }

    @Test
    void transactionalId_notConfiguredInAPod_derivedFromThePodName() {
        assertThat(OutboxRelay.transactionalId(Optional.empty(), Optional.of("stockroom-7d9f-abcde")))
                .isEqualTo("stockroom-outbox-stockroom-7d9f-abcde");
    }

    @Test
    void transactionalId_noPodName_randomPerStart() {
        String first = OutboxRelay.transactionalId(Optional.empty(), Optional.empty());
        String second = OutboxRelay.transactionalId(Optional.of(" "), Optional.of(""));

        assertThat(first).startsWith("stockroom-outbox-").isNotEqualTo(second);
        assertThat(second).startsWith("stockroom-outbox-");
    }
}
