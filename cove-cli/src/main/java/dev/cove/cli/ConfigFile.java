package dev.cove.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** The CLI's config file, {@code {"apihost": "http://127.0.0.1:3233", "auth": "uuid:key"}}, written by {@code cove up}. */
record ConfigFile(Optional<String> apiHost, Optional<String> auth) {

    static final ConfigFile EMPTY = new ConfigFile(Optional.empty(), Optional.empty());

    /** The file's settings; {@link #EMPTY} when there is no file. */
    static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new CliException("cannot read the config file " + path + " - check its permissions");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new CliException("the config file " + path + " is not a JSON object - delete it and run ./cove up again");
        }
        return new ConfigFile(text(node, "apihost"), text(node, "auth"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText)
                .filter(value -> !value.isBlank());
    }

    /**
     * Writes the file, readable by its owner only since it holds a key: the text goes to a private
     * scratch file first, renamed over the old one, so no reader sees it half written or readable.
     */
    void write(Path path) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        apiHost.ifPresent(value -> node.put("apihost", value));
        auth.ifPresent(value -> node.put("auth", value));
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path scratch = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(parent, ".config", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(parent, ".config", ".tmp");
            Files.writeString(scratch, Json.pretty(node) + "\n");
            Files.move(scratch, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write the config file " + path + " - check its folder's permissions");
        }
    }
}
