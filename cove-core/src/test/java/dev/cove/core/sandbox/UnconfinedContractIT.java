package dev.cove.core.sandbox;

import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxFactoryContract;
import dev.cove.core.spi.SandboxProvider;
import java.io.IOException;
import java.nio.file.Path;

/** Workers as plain child processes keep the sandboxes' contract, but for isolating anything. */
class UnconfinedContractIT extends SandboxFactoryContract {
    @Override
    protected SandboxFactory create(Path dir) throws IOException {
        return Unconfined.provider().create(new SandboxProvider.Settings(dir, "cove-contract-it", 1 << 20,
                dir.resolve("api").resolve("api.sock")));
    }
}
