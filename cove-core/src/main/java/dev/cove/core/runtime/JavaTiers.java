package dev.cove.core.runtime;

import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Tier;
import dev.cove.core.model.TierVerdict;
import dev.cove.core.spi.InlineTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tier each Java function version runs in (docs/functions.md, "Tiers"). The verdict is made at
 * deploy from the check of the code's bytecode and the tier the deployment asked for, and written
 * beside the code ({@value #VERDICT_FILE}); a version the inline tier had to stop moves to the process
 * tier for good ({@value #MOVED_FILE}, beside it too, so that it stays there across restarts).
 */
final class JavaTiers {
    private static final Logger LOG = LoggerFactory.getLogger(JavaTiers.class);
    static final String VERDICT_FILE = "tier";
    static final String MOVED_FILE = "moved";
    /** How many of the check's reasons a refused {@code --tier inline} lists. */
    private static final int REASONS_SHOWN = 5;

    private final CodeDirs code;
    private final InlineTier inline;
    /** Why this server runs no function inline, if it doesn't. */
    private final Optional<String> inlineOff;
    private final Map<String, TierVerdict> verdicts = new ConcurrentHashMap<>();

    /** @param inline whose check decides which code may run inline */
    JavaTiers(CodeDirs code, InlineTier inline) {
        this.code = code;
        this.inline = inline;
        this.inlineOff = inline.unavailable();
    }

    /**
     * The verdict for staged code: inline when asked for or left to the platform and the check finds
     * nothing; process when asked for, or with the check's first reason.
     *
     * @throws InvalidFunctionException when inline was asked for and the code can't have it
     */
    TierVerdict decide(Tier asked, Path entry, String main) throws InvalidFunctionException, IOException {
        if (asked == Tier.PROCESS) {
            return TierVerdict.process("it was deployed with --tier process");
        }
        if (inlineOff.isPresent()) {
            if (asked == Tier.INLINE) {
                throw new InvalidFunctionException("this server runs no function inline: " + inlineOff.get());
            }
            return TierVerdict.process("this server runs no function inline");
        }
        List<String> reasons = inline.check(entry, main);
        if (reasons.isEmpty()) {
            return TierVerdict.INLINE;
        }
        if (asked == Tier.INLINE) {
            throw new InvalidFunctionException("the function can't run in the inline tier: "
                    + String.join("; ", reasons.subList(0, Math.min(REASONS_SHOWN, reasons.size())))
                    + (reasons.size() > REASONS_SHOWN ? "; and " + (reasons.size() - REASONS_SHOWN) + " more" : "")
                    + " (deploy with --tier auto or process to run it in a sandboxed JVM)");
        }
        return TierVerdict.process(reasons.get(0));
    }

    /** Writes a staged version's verdict into its folder. */
    static void write(Path dir, TierVerdict verdict) throws IOException {
        Files.writeString(dir.resolve(VERDICT_FILE), verdict.tier().wire() + "\n" + verdict.reason().orElse(""),
                StandardCharsets.UTF_8);
    }

    /** The tier a version runs in now. Reads its folder once; decides again for a folder without a verdict. */
    TierVerdict of(FunctionRevision revision) {
        return verdicts.computeIfAbsent(key(revision), k -> read(revision));
    }

    /**
     * Moves a version to the process tier for good, for this reason (what stopped it inline). Answers
     * false when it had moved already.
     */
    boolean move(FunctionRevision revision, String reason) {
        TierVerdict moved = TierVerdict.process(reason);
        TierVerdict before = verdicts.put(key(revision), moved);
        if (before != null && before.tier() == Tier.PROCESS) {
            verdicts.put(key(revision), before);
            return false;
        }
        try {
            Files.writeString(code.dirOf(revision).resolve(MOVED_FILE), reason, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("{} moved to the process tier, but that could not be written down: {}", revision.path(),
                    e.getMessage());
        }
        return true;
    }

    private TierVerdict read(FunctionRevision revision) {
        Path dir = code.dirOf(revision);
        try {
            return TierVerdict.process(Files.readString(dir.resolve(MOVED_FILE), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            // not moved
        } catch (IOException e) {
            LOG.warn("could not read whether {} moved to the process tier: {}", revision.path(), e.getMessage());
        }
        try {
            List<String> lines = Files.readAllLines(dir.resolve(VERDICT_FILE), StandardCharsets.UTF_8);
            Tier tier = Tier.parse(lines.get(0));
            return tier == Tier.INLINE && inlineOff.isEmpty() ? TierVerdict.INLINE
                    : TierVerdict.process(tier == Tier.INLINE ? "this server runs no function inline" : lines.get(1));
        } catch (IOException | RuntimeException e) {
            return decideAgain(revision);
        }
    }

    /** A folder written before verdicts were, or whose verdict can't be read: the check runs again. */
    private TierVerdict decideAgain(FunctionRevision revision) {
        try {
            Path entry = code.ensure(revision);
            Tier asked = revision.spec().tier() == Tier.INLINE ? Tier.AUTO : revision.spec().tier();
            TierVerdict verdict = decide(asked, entry, revision.spec().main());
            write(code.dirOf(revision), verdict);
            return verdict;
        } catch (IOException | InvalidFunctionException | RuntimeException e) {
            return TierVerdict.process("its code could not be checked again: " + e.getMessage());
        }
    }

    private static String key(FunctionRevision revision) {
        return revision.path() + "@" + revision.version();
    }
}
