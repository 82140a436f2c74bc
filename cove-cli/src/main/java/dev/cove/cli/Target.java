package dev.cove.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Which server to talk to and with which key. Each setting comes from the first of: the command's
 * flag, the environment ({@code COVE_APIHOST}, {@code COVE_AUTH}), the config file; the API host
 * defaults to {@link #DEFAULT_APIHOST}.
 *
 * @param apiHost the base URL, without a trailing slash
 * @param auth {@code uuid:key}, absent when nothing configures one
 */
record Target(String apiHost, Optional<String> auth) {

    static final String DEFAULT_APIHOST = "http://127.0.0.1:3233";

    static Target resolve(Optional<String> flagHost, Optional<String> flagAuth, CliEnv env) {
        Optional<String> host = flagHost.filter(value -> !value.isBlank()).or(() -> env.variable(CliEnv.APIHOST));
        Optional<String> auth = flagAuth.filter(value -> !value.isBlank()).or(() -> env.variable(CliEnv.AUTH));
        if (host.isEmpty() || auth.isEmpty()) {
            ConfigFile file = ConfigFile.read(env.configFile());
            host = host.or(file::apiHost);
            auth = auth.or(file::auth);
        }
        return new Target(normalize(host.orElse(DEFAULT_APIHOST)), auth);
    }

    /** {@code 127.0.0.1:3233} and {@code http://127.0.0.1:3233/} both become {@code http://127.0.0.1:3233}. */
    static String normalize(String apiHost) {
        String host = apiHost.strip();
        if (!host.contains("://")) {
            host = "http://" + host;
        }
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        try {
            URI uri = new URI(host);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null) {
                throw new URISyntaxException(host, "not an http URL");
            }
        } catch (URISyntaxException e) {
            throw new CliException("the API host '" + apiHost + "' is not a URL like " + DEFAULT_APIHOST);
        }
        return host;
    }
}
