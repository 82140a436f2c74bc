package dev.cove.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** A function's code file as the REST API takes it: OpenWhisk's {@code exec} object. */
final class FunctionFile {

    private static final String PACKAGE_JSON = "package.json";

    private FunctionFile() {}

    /**
     * {@code {"kind", "code", "binary", "main"?}} for the file; the runtime is inferred from it unless
     * given.
     *
     * @throws IllegalArgumentException when the runtime is unknown or can't be told from the file
     */
    static ObjectNode exec(Path file, Optional<String> runtime, Optional<String> main) {
        String kind = Runtimes.kind(runtime.orElseGet(() -> Runtimes.infer(file)));
        byte[] code = bytes(file);
        ObjectNode exec = Json.MAPPER.createObjectNode();
        exec.put("kind", kind);
        boolean binary = Runtimes.binary(file);
        exec.put("code", binary ? Base64.getEncoder().encodeToString(code) : text(file, code));
        main.ifPresent(entry -> exec.put("main", entry));
        exec.put("binary", binary);
        return exec;
    }

    /**
     * The text of a function's dependencies: the file given, else for a node source file a
     * {@code package.json} in its folder; empty when there is neither.
     */
    static Optional<String> dependencies(Path file, String kind, Optional<Path> given) {
        if (given.isPresent()) {
            return Optional.of(text(given.get(), bytes(given.get())));
        }
        Path beside = file.toAbsolutePath().resolveSibling(PACKAGE_JSON);
        if (kind.startsWith("nodejs") && !Runtimes.binary(file) && Files.isRegularFile(beside)) {
            return Optional.of(text(beside, bytes(beside)));
        }
        return Optional.empty();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException("no file " + file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " - check that it is a file you may read");
        }
    }

    private static String text(Path file, byte[] code) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(code)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(file + " is not UTF-8 text - a source file must be");
        }
    }
}
