package dev.cove.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the operator lets pip find python functions' dependencies ({@code cove up --pip-index-url},
 * {@code --pip-find-links}). npm always uses its registry.
 *
 * @param pipIndexUrl pip's {@code --index-url}; empty for pip's default (PyPI)
 * @param pipFindLinks a folder (or URL) of wheels, pip's {@code --find-links}; empty for none. Given
 *     without an index, it is the only place pip looks ({@code --no-index})
 */
public record PackageSources(String pipIndexUrl, String pipFindLinks) {
    /** pip's own defaults: PyPI. */
    public static final PackageSources DEFAULT = new PackageSources("", "");

    public PackageSources {
        requireArgument("pipIndexUrl", pipIndexUrl);
        requireArgument("pipFindLinks", pipFindLinks);
    }

    private static void requireArgument(String what, String value) {
        if (value.startsWith("-") || value.chars().anyMatch(c -> c < ' ' || c == ' ')) {
            throw new IllegalArgumentException(what + " must be a URL or a folder, without spaces or control"
                    + " characters and not starting with '-', was '" + value + "'");
        }
    }

    /** pip's arguments for these sources, e.g. {@code [--no-index, --find-links, /srv/wheels]}. */
    public List<String> pipArguments() {
        List<String> arguments = new ArrayList<>();
        if (!pipIndexUrl.isEmpty()) {
            arguments.addAll(List.of("--index-url", pipIndexUrl));
        } else if (!pipFindLinks.isEmpty()) {
            arguments.add("--no-index");
        }
        if (!pipFindLinks.isEmpty()) {
            arguments.addAll(List.of("--find-links", pipFindLinks));
        }
        return arguments;
    }
}
