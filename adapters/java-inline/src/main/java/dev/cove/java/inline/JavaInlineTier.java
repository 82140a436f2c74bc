package dev.cove.java.inline;

import dev.cove.core.model.FunctionRevision;
import dev.cove.core.spi.FunctionCalls;
import dev.cove.core.spi.InlineTier;
import dev.cove.core.spi.Instance;
import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.StartFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The inline tier of this JVM: a function's bytecode checked against an allow-list ({@link InlineCheck}),
 * rewritten as it loads so that its activation's {@link Budget} can always stop it ({@link Metering}),
 * and run on virtual threads ({@link JavaInstance}).
 */
public final class JavaInlineTier implements InlineTier {
    /** Why memory can't be metered without the export: Budget finds a virtual thread's carrier through it. */
    static final String NOT_METERED = "the platform's JVM was started without --add-exports "
            + "java.base/jdk.internal.access=ALL-UNNAMED, which metering a function's memory needs "
            + "(./cove up's jar asks for it)";

    private JavaInlineTier() {}

    /**
     * The tier, or one that runs nothing when this JVM can't meter a function's memory. Either way
     * {@code System.out} and {@code System.err} are routed by thread from now on, so that what an
     * activation prints becomes its logs.
     */
    public static InlineTier create() {
        ThreadOutput.install();
        return Budget.memoryMetered() ? new JavaInlineTier() : InlineTier.unavailable(NOT_METERED);
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.empty();
    }

    @Override
    public List<String> check(Path entry, String main) throws IOException {
        return Files.isDirectory(entry) ? InlineCheck.checkDirectory(entry, main) : InlineCheck.checkJar(entry, main);
    }

    @Override
    public Instance start(FunctionRevision revision, Path entry, RunListener initLogs, FunctionCalls calls,
            Consumer<String> moveToProcess) throws StartFailure, Moved {
        return JavaInstance.load(revision, entry, initLogs, calls, moveToProcess);
    }
}
