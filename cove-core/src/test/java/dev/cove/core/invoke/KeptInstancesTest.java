package dev.cove.core.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.model.Debugging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptInstancesTest {
    private final List<String> gone = new ArrayList<>();
    private final KeptInstances kept = new KeptInstances(new Debugging(Duration.ofMinutes(5), 2, false));

    private void keep(String id, long sinceMs) {
        kept.keep(new KeptInstances.Kept("guest", "f", id, null, sinceMs, () -> gone.add(id)));
    }

    @Test
    void pastTheCountTheOldestGoesFirst() {
        keep("a", 0);
        keep("b", 1);
        keep("c", 2);
        assertThat(gone).containsExactly("a");
        assertThat(kept.find("guest", "a")).isEmpty();
        assertThat(kept.find("guest", "c")).isPresent();
        assertThat(kept.find("someone", "c")).as("another namespace's").isEmpty();
    }

    @Test
    void eachGoesAtItsWindowsEnd() {
        keep("a", 0);
        keep("b", 60_000);
        kept.sweep(299_999);
        assertThat(gone).isEmpty();
        kept.sweep(300_000);
        assertThat(gone).containsExactly("a");
        kept.sweep(360_000);
        assertThat(gone).containsExactly("a", "b");
        assertThat(kept.size()).isZero();
    }

    @Test
    void theOldestGivesWayFirst() {
        keep("a", 0);
        keep("b", 1);
        kept.letGoOldest();
        assertThat(gone).containsExactly("a");
        kept.letGoOldest();
        kept.letGoOldest();
        assertThat(gone).containsExactly("a", "b");
    }

    @Test
    void allGoAtClose() {
        keep("a", 0);
        keep("b", 1);
        kept.close();
        assertThat(gone).containsExactlyInAnyOrder("a", "b");
    }
}
