package dev.cove.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cove.core.model.Namespace;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The namespace whose valid {@code uuid:key} a request's Basic authentication carries. A header once
 * accepted is remembered, so that the next request with it costs one lookup: for the most used
 * {@link #REMEMBERED} headers, each for {@link #REMEMBERED_FOR} at most (a node loads its keys when it
 * starts, so the bound is for keys changed behind its back). A header refused is not remembered: a key
 * works as soon as the node knows it.
 */
final class Credentials {
    static final int REMEMBERED = 1024;
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(1);
    private static final String AUTHORIZATION = "authorization";

    private final BiFunction<String, String, Optional<Namespace>> authenticate;
    private final Cache<String, Namespace> accepted;

    /** {@code authenticate} answers the namespace of a uuid and key, if they are right. */
    Credentials(BiFunction<String, String, Optional<Namespace>> authenticate, Ticker ticker) {
        this.authenticate = authenticate;
        this.accepted = Caffeine.newBuilder().maximumSize(REMEMBERED).expireAfterWrite(REMEMBERED_FOR)
                .ticker(ticker).build();
    }

    /** The namespace of the request's {@code Authorization} header, if it names one. */
    Optional<Namespace> namespace(MultiMap headers) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        Namespace known = accepted.getIfPresent(header);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Namespace> found = check(header.substring(6).trim());
        found.ifPresent(namespace -> accepted.put(header, namespace));
        return found;
    }

    private Optional<Namespace> check(String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty() : authenticate.apply(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
