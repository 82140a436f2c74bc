package dev.cove.core.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StemCellsTest {

    @Test
    void aPoolKeepsAsManyCellsAsWereTakenLatelyWithinItsBounds() {
        assertThat(StemCells.demanded(2, 0)).as("no demand: as configured").isEqualTo(2);
        assertThat(StemCells.demanded(2, 1)).isEqualTo(2);
        assertThat(StemCells.demanded(2, 5)).as("a burst").isEqualTo(5);
        assertThat(StemCells.demanded(2, 50)).as("never past the most").isEqualTo(StemCells.MAX_CELLS);
        assertThat(StemCells.demanded(12, 50)).as("unless configured past it").isEqualTo(12);
        assertThat(StemCells.demanded(0, 0)).as("none asked for, none kept").isZero();
    }
}
