package dev.cove.java.inline;

import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.InlineTierContract;

/** The inline tier's contract, over this JVM's tier (the build's argLine gives it the export it needs). */
class JavaInlineTierTest extends InlineTierContract {
    private static final InlineTier TIER = JavaInlineTier.create();

    @Override
    protected InlineTier tier() {
        return TIER;
    }
}
