package dev.cove.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Which runtime a function's file needs, and the kind to send for a {@code --runtime} value. */
final class Runtimes {

    private static final List<String> NAMES = List.of("nodejs", "python", "java");

    private Runtimes() {}

    /**
     * The kind for a {@code --runtime} value: a runtime's name means its default version
     * ({@code nodejs:default}); a full kind ({@code nodejs:20}) is sent as it is.
     */
    static String kind(String runtime) {
        String value = runtime.strip().toLowerCase(Locale.ROOT);
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        if (!NAMES.contains(name) || colon == value.length() - 1) {
            throw new IllegalArgumentException("unknown runtime '" + runtime
                    + "' - use nodejs, python, java, or a kind like nodejs:20");
        }
        return colon < 0 ? value + ":default" : value;
    }

    /** The runtime a file needs, by its extension or, for a zip, by its contents. */
    static String infer(Path file) {
        String fileName = file.getFileName().toString();
        String extension = extension(fileName);
        return switch (extension) {
            case "js", "mjs", "cjs" -> "nodejs";
            case "py" -> "python";
            case "java", "jar" -> "java";
            case "zip" -> inferZip(file);
            default -> throw new IllegalArgumentException("cannot tell the runtime of " + fileName
                    + " from its extension (.js, .py, .java, .jar, .zip) - pass --runtime");
        };
    }

    /** Whether the file is sent as base64 ({@code "binary": true}) rather than as source text. */
    static boolean binary(Path file) {
        String extension = extension(file.getFileName().toString());
        return extension.equals("zip") || extension.equals("jar");
    }

    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A file's name without its extension: the default function name. */
    static String baseName(Path file) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? fileName : fileName.substring(0, dot);
    }

    /** __main__.py at the root means python; package.json or a .js file at the root means nodejs. */
    private static String inferZip(Path file) {
        List<String> rootFiles = rootFiles(file);
        boolean python = rootFiles.contains("__main__.py");
        boolean node = rootFiles.contains("package.json") || rootFiles.stream().anyMatch(name -> name.endsWith(".js"));
        if (python && !node) {
            return "python";
        }
        if (node && !python) {
            return "nodejs";
        }
        String found = python ? "both __main__.py (python) and package.json or .js files (nodejs)"
                : "no package.json or .js file (nodejs) and no __main__.py (python)";
        throw new IllegalArgumentException("cannot tell the runtime of " + file.getFileName() + ": its root has "
                + found + " - pass --runtime");
    }

    private static List<String> rootFiles(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return Collections.list(zip.entries()).stream()
                    .filter(entry -> !entry.isDirectory())
                    .map(ZipEntry::getName)
                    .map(name -> name.startsWith("./") ? name.substring(2) : name)
                    .filter(name -> !name.contains("/"))
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(file.getFileName() + " is not a readable zip archive");
        }
    }
}
