package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JournalSettingsTest {
    @Test
    void rejectsPoolSizeThatIsNotAPowerOfTwoNamingTheField() {
        assertThatThrownBy(() -> new JournalSettings(3, 8, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be a power of two in [2, 65536], was 3");
    }

    @Test
    void rejectsRingCapacityOutsideTheLimitsNamingTheField() {
        assertThatThrownBy(() -> new JournalSettings(8, 1 << 17, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ringCapacity must be a power of two in [2, 65536], was 131072");
        assertThatThrownBy(() -> new JournalSettings(8, 1, Duration.ofSeconds(1)))
                .hasMessageContaining("ringCapacity");
    }

    @Test
    void rejectsNonPositiveOrHugeReanchorInterval() {
        assertThatThrownBy(() -> new JournalSettings(8, 8, Duration.ZERO)).hasMessageContaining("reanchorInterval");
        assertThatThrownBy(() -> new JournalSettings(8, 8, null)).hasMessageContaining("reanchorInterval");
        assertThatThrownBy(() -> new JournalSettings(8, 8, Duration.ofHours(2))).hasMessageContaining("1 hour");
    }

    @Test
    void defaultsAreValidAndPoll() {
        JournalSettings d = JournalSettings.defaults();
        assertThat(d.poolSize()).isEqualTo(1024);
        assertThat(d.ringCapacity()).isEqualTo(4096);
        assertThat(d.reanchorInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.resolveMode()).isEqualTo(ResolveMode.POLL).isEqualTo(JournalSettings.DEFAULT_RESOLVE_MODE);
        assertThat(new JournalSettings(8, 8, Duration.ofSeconds(1)).resolveMode()).isEqualTo(ResolveMode.POLL);
    }

    @Test
    void rejectsNullResolveModeNamingTheField() {
        assertThatThrownBy(() -> new JournalSettings(8, 8, Duration.ofSeconds(1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolveMode");
    }

    @Test
    void withResolveModeChangesOnlyTheMode() {
        JournalSettings base = new JournalSettings(16, 32, Duration.ofMillis(250), ResolveMode.POLL);
        JournalSettings callback = base.withResolveMode(ResolveMode.CALLBACK);
        assertThat(callback).isEqualTo(new JournalSettings(16, 32, Duration.ofMillis(250), ResolveMode.CALLBACK));
        assertThat(base.resolveMode()).isEqualTo(ResolveMode.POLL);
    }
}
