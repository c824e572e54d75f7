package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README honest: its code and commands are the ones that are compiled and run. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void quotesTheCompiledHelloWorld() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/spindle/sample/HelloWorld.java"));
        String quoted = source.substring(source.indexOf("// README:start\n") + "// README:start\n".length(),
                source.indexOf("// README:end"));

        assertThat(readme()).contains("```java\n" + quoted + "```");
    }

    @Test
    void quotesEachCompiledMiddlewareExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/spindle/sample/MiddlewareExamples.java"));
        List<String> names = List.of("cors", "security-headers", "csrf", "rate-limit", "static-files", "trace-context",
                "validation", "tracing");
        for (String name : names) {
            int start = lines.indexOf("        // README:" + name + ":start");
            int end = lines.indexOf("        // README:" + name + ":end");
            assertThat(start).as("start marker of %s", name).isNotNegative();
            StringBuilder quoted = new StringBuilder();
            lines.subList(start + 1, end).forEach(line -> quoted.append(line.length() > 8 ? line.substring(8) : "")
                    .append('\n'));
            assertThat(readme()).as("README quotes the %s example", name).contains("```java\n" + quoted + "```");
        }
    }

    @Test
    void quotesTheCompiledJobsExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/spindle/sample/JobsExample.java"));
        int start = lines.indexOf("        // README:jobs:start");
        int end = lines.indexOf("        // README:jobs:end");
        assertThat(start).isNotNegative();
        StringBuilder quoted = new StringBuilder();
        lines.subList(start + 1, end).forEach(line -> quoted.append(line.length() > 8 ? line.substring(8) : "")
                .append('\n'));
        assertThat(readme()).contains("```java\n" + quoted + "```");
    }

    @Test
    void testCommandIsTheOneCiRuns() throws IOException {
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));

        assertThat(readme()).contains("```bash\nmvn -B verify\n```");
        assertThat(ci).contains("mvn -B verify");
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }
}
