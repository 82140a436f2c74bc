package dev.cove.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ids of fused calls, which the platform computes too (docs/worker-protocol.md, "fused"): the
 * expected values are the platform's for the same caller, and node's crypto and python's hashlib agree.
 */
class FusedIdsTest {
    static final String CALLER = "0193a1b2c3d4e5f60718293a4b5c6d7e";

    @Test
    void anIdIsTheCallersTimeAndADigestOfTheCallersIdAndTheCallsNumber() {
        assertThat(FusedIds.of(CALLER, 1)).isEqualTo("0193a1b2c3d4326ae47e55e33ad5ebec");
        assertThat(FusedIds.of(CALLER, 2)).isEqualTo("0193a1b2c3d43743082ce97517f65a18");
        assertThat(FusedIds.of(CALLER, 10)).isEqualTo("0193a1b2c3d4cc53ce7b528bd8491006");
    }

    @Test
    void aShortCallerIdIsKeptWhole() {
        assertThat(FusedIds.of("abc", 1)).startsWith("abc").hasSize(23);
    }
}
