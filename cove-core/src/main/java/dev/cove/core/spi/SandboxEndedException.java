package dev.cove.core.spi;

import java.io.IOException;

/** A worker can't be started in a sandbox that has ended or is ending: start it in another one. */
public final class SandboxEndedException extends IOException {
    private static final long serialVersionUID = 1L;

    public SandboxEndedException() {
        super("the sandbox has ended");
    }
}
