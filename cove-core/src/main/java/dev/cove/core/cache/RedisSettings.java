package dev.cove.core.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the Redis backend connects and as whom. The password (and ACL user) live only in the
 * platform's memory: {@link #toString()} never shows the password.
 *
 * @param host the server's host name or address
 * @param port its port, 1 to 65535
 * @param user an ACL user (Redis 6+); empty for the default user
 * @param password the user's password ({@code requirepass} for the default user); empty for none
 * @param keyPrefix what every key Cove writes starts with, {@value #DEFAULT_PREFIX} when empty; Cove
 *     platforms sharing one Redis take prefixes of which none starts another. No braces (they would
 *     change Redis Cluster's hash tags).
 */
public record RedisSettings(String host, int port, Optional<String> user, Optional<String> password,
        Optional<String> keyPrefix) {
    static final String DEFAULT_PREFIX = "cove:";

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, was '" + host + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        user.filter(String::isEmpty).ifPresent(u -> {
            throw new IllegalArgumentException("user must not be empty when present");
        });
        password.filter(String::isEmpty).ifPresent(p -> {
            throw new IllegalArgumentException("password must not be empty when present");
        });
        keyPrefix.filter(p -> p.isEmpty() || p.contains("{") || p.contains("}")).ifPresent(p -> {
            throw new IllegalArgumentException("keyPrefix must be non-empty and hold no brace, was '" + p + "'");
        });
    }

    /** A Redis with no password, e.g. a node-local one bound to loopback. */
    public static RedisSettings of(String host, int port) {
        return new RedisSettings(host, port, Optional.empty(), Optional.empty(), Optional.empty());
    }

    String prefix() {
        return keyPrefix.orElse(DEFAULT_PREFIX);
    }

    /** Where and as whom, for the operator: the password shows only as set or not. */
    String where() {
        return host + ":" + port + user.map(u -> " as " + u).orElse("")
                + (password.isPresent() ? " with a password" : " without a password") + ", prefix '" + prefix() + "'";
    }

    @Override
    public String toString() {
        return "RedisSettings[host=" + host + ", port=" + port + ", user=" + user.orElse("(default)")
                + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", keyPrefix=" + prefix() + "]";
    }
}
