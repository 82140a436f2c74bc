package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's and docs' {@code cove deploy} commands, read as a reader runs them one after another:
 * none deploys a second function under a name an earlier one took, which would replace it.
 */
class TourTest {
    private static final Path ROOT = Path.of("..");
    /** {@code ./cove deploy FILE [options]}, in a console block or inline code, up to a comment or the code's end. */
    private static final Pattern DEPLOY = Pattern.compile("\\./cove deploy ([^`#\\n]+)");

    @Test
    void noPageDeploysTwoFunctionsUnderOneName() throws IOException {
        for (Path page : pages()) {
            Map<String, TreeSet<String>> filesByName = new TreeMap<>();
            for (List<String> command : deployCommands(Files.readString(page))) {
                filesByName.computeIfAbsent(name(command), n -> new TreeSet<>()).add(command.get(0));
            }
            filesByName.forEach((name, files) -> assertThat(files)
                    .as("%s deploys these files all as the function %s", page, name).hasSize(1));
        }
    }

    @Test
    void theReadmeDeploysTheKubelessExampleUnderANameOfItsOwn() throws IOException {
        List<List<String>> commands = deployCommands(Files.readString(ROOT.resolve("README.md")));
        assertThat(commands).anySatisfy(c -> assertThat(c.get(0)).isEqualTo("examples/kubeless/hello.py"));
        assertThat(commands).anySatisfy(c -> assertThat(c.get(0)).isEqualTo("examples/hello.js"));
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Each command's words after {@code deploy}: the file first. */
    static List<List<String>> deployCommands(String page) {
        List<List<String>> commands = new ArrayList<>();
        Matcher m = DEPLOY.matcher(page);
        while (m.find()) {
            commands.add(List.of(m.group(1).strip().split("\\s+")));
        }
        return commands;
    }

    /** The function's name as cove deploy gives it: {@code --name}'s, else the file's base name. */
    static String name(List<String> command) {
        int option = command.indexOf("--name");
        return option >= 0 ? command.get(option + 1) : Runtimes.baseName(Path.of(command.get(0)));
    }
}
