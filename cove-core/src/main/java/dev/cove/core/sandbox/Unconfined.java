package dev.cove.core.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Workers as plain child processes with a cleared environment; what --no-sandbox asks for. */
final class Unconfined implements SandboxFactory {

    @Override
    public Sandbox start(Launch launch) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(new File(System.getProperty("java.io.tmpdir")))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(launch.env());
        Process process = builder.start();
        return new Sandbox() {
            @Override
            public Process process() {
                return process;
            }

            @Override
            public String expose(Path code) {
                return code.toString();
            }

            @Override
            public void limit(ResourceLimits limits) {
                // nothing enforces them
            }

            @Override
            public void kill() {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }

            @Override
            public void openOutbound() {
                // an unconfined process has the server's whole network already
            }

            @Override
            public Optional<String> exceededLimit() {
                return Optional.empty(); // nothing enforces any
            }

            @Override
            public void close() {
                // nothing held outside the process
            }
        };
    }

    @Override
    public String programPath(Path programDir, Path program) {
        return program.toString();
    }

    @Override
    public String socketPath(Path socket) {
        return socket.toString();
    }

    @Override
    public String describe() {
        return "no sandbox: functions run as plain processes with the server's rights";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
