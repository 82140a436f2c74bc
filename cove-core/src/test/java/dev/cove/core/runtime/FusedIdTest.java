package dev.cove.core.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ids of fused calls (docs/worker-protocol.md, "fused"), which workers compute too: the expected
 * values here are what node's crypto and python's hashlib give for the same caller.
 */
class FusedIdTest {
    static final String CALLER = "0193a1b2c3d4e5f60718293a4b5c6d7e";

    @Test
    void anIdIsTheCallersTimeAndADigestOfTheCallersIdAndTheCallsNumber() {
        assertThat(WorkerPeers.fusedId(CALLER, 1)).isEqualTo("0193a1b2c3d4326ae47e55e33ad5ebec");
        assertThat(WorkerPeers.fusedId(CALLER, 2)).isEqualTo("0193a1b2c3d43743082ce97517f65a18");
        assertThat(WorkerPeers.fusedId(CALLER, 10)).isEqualTo("0193a1b2c3d4cc53ce7b528bd8491006");
    }
}
