package dev.cove.sandbox.bubblewrap;

import dev.cove.core.spi.SandboxFactory;
import dev.cove.core.spi.SandboxFactoryContract;
import dev.cove.core.spi.SandboxProvider;
import java.io.IOException;
import java.nio.file.Path;

/** Bubblewrap sandboxes keep the sandboxes' contract, with real bwrap and, as root, real cgroups. */
class BubblewrapContractIT extends SandboxFactoryContract {
    @Override
    protected SandboxFactory create(Path dir) throws IOException {
        String serverName = "cove-contract-it-" + ProcessHandle.current().pid();
        return new BubblewrapProvider().create(new SandboxProvider.Settings(dir, serverName, 16L << 20,
                dir.resolve("api").resolve("api.sock")));
    }
}
