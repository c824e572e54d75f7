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
    void testCommandIsTheOneCiRuns() throws IOException {
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));

        assertThat(readme()).contains("```bash\nmvn -B verify\n```");
        assertThat(ci).contains("mvn -B verify");
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }
}
