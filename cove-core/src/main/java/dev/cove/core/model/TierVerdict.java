package dev.cove.core.model;

import java.util.Optional;

/**
 * The tier a Java function runs in now, and for the process tier why it is not inline: the first
 * thing the check found (e.g. {@code Probe.main calls java.nio.file.Files.readString}), the
 * deployment's own choice, or what stopped it inline.
 *
 * @param tier {@link Tier#INLINE} or {@link Tier#PROCESS}
 * @param reason why it runs in the process tier; empty for the inline tier
 */
public record TierVerdict(Tier tier, Optional<String> reason) {

    public static final TierVerdict INLINE = new TierVerdict(Tier.INLINE, Optional.empty());

    public TierVerdict {
        if (tier == Tier.AUTO) {
            throw new IllegalArgumentException("a verdict names the tier a function runs in: inline or process, was auto");
        }
        if (tier == Tier.INLINE && reason.isPresent()) {
            throw new IllegalArgumentException("the inline tier needs no reason, was given '" + reason.get() + "'");
        }
    }

    /** The process tier, for this reason. */
    public static TierVerdict process(String reason) {
        return new TierVerdict(Tier.PROCESS, Optional.of(reason));
    }
}
