package dev.cove.cache.redis;

import java.util.Objects;

/**
 * Where the Redis backend connects and as whom. The password (and ACL user) live only in the
 * platform's memory: {@link #toString()} never shows the password. Built with {@link #of} and the
 * {@code with} methods.
 *
 * @param host the server's host name or address
 * @param port its port, 1 to 65535
 * @param user an ACL user (Redis 6+); empty for the default user
 * @param password the user's password ({@code requirepass} for the default user); empty for none
 * @param keyPrefix what every key Cove writes starts with, {@value #DEFAULT_PREFIX} unless told; Cove
 *     platforms sharing one Redis take prefixes of which none starts another. Not empty, no braces
 *     (they would change Redis Cluster's hash tags).
 */
public record RedisSettings(String host, int port, String user, String password, String keyPrefix) {
    public static final String DEFAULT_PREFIX = "cove:";

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
        if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            throw new IllegalArgumentException("keyPrefix must be non-empty and hold no brace, was '" + keyPrefix + "'");
        }
    }

    /** A Redis with no password, e.g. a node-local one bound to loopback, as the default user. */
    public static RedisSettings of(String host, int port) {
        return new RedisSettings(host, port, "", "", DEFAULT_PREFIX);
    }

    /** As the ACL user, or the default user when {@code name} is empty. */
    public RedisSettings withUser(String name) {
        return new RedisSettings(host, port, name, password, keyPrefix);
    }

    /** With the password, or none when {@code secret} is empty. */
    public RedisSettings withPassword(String secret) {
        return new RedisSettings(host, port, user, secret, keyPrefix);
    }

    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(host, port, user, password, prefix);
    }

    /** Where and as whom, for the operator: the password shows only as set or not. */
    String where() {
        return host + ":" + port + (user.isEmpty() ? "" : " as " + user)
                + (password.isEmpty() ? " without a password" : " with a password") + ", prefix '" + keyPrefix + "'";
    }

    @Override
    public String toString() {
        return "RedisSettings[host=" + host + ", port=" + port + ", user=" + (user.isEmpty() ? "(default)" : user)
                + ", password=" + (password.isEmpty() ? "(none)" : "(set)") + ", keyPrefix=" + keyPrefix + "]";
    }
}
