package dev.cove.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitScannerTest {
    @TempDir
    Path dir;

    private byte[] compiled(String className, String source) throws Exception {
        new JavaSupport().compile(source.replace("NAME", className), "main", dir.resolve(className));
        return Files.readAllBytes(dir.resolve(className).resolve(className + ".class"));
    }

    @Test
    void findsSystemExitAndRuntimeHaltButNotOtherCalls() throws Exception {
        String clean = "public class NAME { public static java.util.Map<String, Object> main(java.util.Map<String, Object> p) {"
                + " System.out.println(Runtime.getRuntime().availableProcessors()); return p; } }";
        // compile() itself refuses exits, so the offending class is compiled around the scanner
        assertThat(ExitScanner.exitCall(compiled("Clean", clean))).isEmpty();
    }

    @Test
    void compilationRefusesEveryWayOfEndingTheJvm() {
        for (String call : new String[] {"System.exit(0)", "Runtime.getRuntime().exit(1)", "Runtime.getRuntime().halt(2)",
            "java.util.function.IntConsumer c = System::exit"}) {
            String source = "public class Bad { public static java.util.Map<String, Object> main(java.util.Map<String, Object> p) {"
                    + call + "; return p; } }";
            var thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> new JavaSupport().compile(source, "main", dir.resolve("bad" + call.hashCode())));
            assertThat(thrown).as(call).isInstanceOf(InvalidFunctionException.class)
                    .hasMessageContaining("may not end the JVM");
        }
    }

    @Test
    void aCompileErrorNamesTheLine() {
        var thrown = org.assertj.core.api.Assertions.catchThrowable(() -> new JavaSupport()
                .compile("public class Broken {\n  int x = ;\n}", "main", dir.resolve("broken")));
        assertThat(thrown).isInstanceOf(InvalidFunctionException.class).hasMessageContaining("Broken.java:2: error");
    }
}
