package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's cluster section quotes the compiled {@link ClusterExamples}. */
class ClusterReadmeTest {

    @Test
    void quotesEachCompiledClusterExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/spindle/sample/ClusterExamples.java"));
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String name : List.of("cluster-launch", "coordination")) {
            int start = indexOfMarker(lines, name + ":start");
            int end = indexOfMarker(lines, name + ":end");
            assertThat(start).as("start marker of %s", name).isNotNegative();
            int indent = lines.get(start).indexOf("//");
            StringBuilder quoted = new StringBuilder();
            lines.subList(start + 1, end).forEach(line -> quoted.append(line.length() > indent ? line.substring(indent) : "")
                    .append('\n'));
            assertThat(readme).as("README quotes the %s example", name).contains("```java\n" + quoted + "```");
        }
    }

    private static int indexOfMarker(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("// README:" + marker)) {
                return i;
            }
        }
        return -1;
    }
}
