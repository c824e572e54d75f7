package dev.spindle.test.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text, so
 * the tests need no promtool. It refuses what a scraper would: bad names, bad label syntax or
 * escapes, unparsable values, samples outside their declared family, a family declared twice,
 * duplicate series, and (OpenMetrics) a missing or misplaced {@code # EOF}.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE =
            Pattern.compile("[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?Inf|NaN");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");
    private static final Pattern DESCRIPTOR = Pattern.compile("# (HELP|TYPE|UNIT) (\\S+)(?: (.*))?");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, List<Sample> samples) {}

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final boolean openMetrics;
    private Family current;

    private PrometheusText(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /** Parses the Prometheus 0.0.4 text format; fails with the line number on the first violation. */
    static PrometheusText parse(String text) {
        return new PrometheusText(false).read(text);
    }

    /** Parses OpenMetrics 1.0 text; fails with the line number on the first violation. */
    static PrometheusText parseOpenMetrics(String text) {
        return new PrometheusText(true).read(text);
    }

    Map<String, Family> families() {
        return families;
    }

    /** Every sample named {@code name}, whatever its family. */
    List<Sample> samples(String name) {
        List<Sample> found = new ArrayList<>();
        families.values().forEach(family -> family.samples().stream()
                .filter(sample -> sample.name().equals(name)).forEach(found::add));
        return found;
    }

    private PrometheusText read(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("The exposition must end with a line feed");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        Set<String> series = new HashSet<>();
        boolean eof = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (eof) {
                throw fail(number, line, "content after # EOF");
            }
            try {
                if (openMetrics && line.equals("# EOF")) {
                    eof = true;
                } else if (line.startsWith("#")) {
                    descriptor(line);
                } else if (line.isEmpty()) {
                    if (openMetrics) {
                        throw new IllegalArgumentException("empty line");
                    }
                } else {
                    Sample sample = sample(line);
                    if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                        throw new IllegalArgumentException("duplicate series");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw fail(number, line, e.getMessage());
            }
        }
        if (openMetrics && !eof) {
            throw new IllegalArgumentException("OpenMetrics exposition must end with # EOF");
        }
        return this;
    }

    private void descriptor(String line) {
        Matcher matcher = DESCRIPTOR.matcher(line);
        if (!matcher.matches()) {
            if (openMetrics) {
                throw new IllegalArgumentException("unknown comment");
            }
            return;
        }
        String name = matcher.group(2);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        Family family = families.get(name);
        if (family != null && family != current) {
            throw new IllegalArgumentException("family " + name + " declared again after other families");
        }
        if (matcher.group(1).equals("TYPE")) {
            String type = matcher.group(3);
            Set<String> types = openMetrics
                    ? Set.of("counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset",
                            "unknown")
                    : Set.of("counter", "gauge", "histogram", "summary", "untyped");
            if (type == null || !types.contains(type)) {
                throw new IllegalArgumentException("bad type '" + type + "'");
            }
            if (family != null && family.type() != null) {
                throw new IllegalArgumentException("second TYPE for " + name);
            }
            if (family != null && !family.samples().isEmpty()) {
                throw new IllegalArgumentException("TYPE after samples of " + name);
            }
            family = new Family(name, type, new ArrayList<>());
        } else if (family == null) {
            family = new Family(name, null, new ArrayList<>());
        }
        families.put(name, family);
        current = family;
    }

    private Sample sample(String line) {
        int at = 0;
        while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
            at++;
        }
        String name = line.substring(0, at);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at = labels(line, at + 1, labels);
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException("expected a space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ", -1);
        if (rest.length > 2 || !VALUE.matcher(rest[0]).matches()) {
            throw new IllegalArgumentException("bad value '" + line.substring(at + 1) + "'");
        }
        if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            throw new IllegalArgumentException("bad timestamp '" + rest[1] + "'");
        }
        Sample sample = new Sample(name, labels, Double.parseDouble(rest[0].replace("Inf", "Infinity")));
        familyOf(sample).samples().add(sample);
        return sample;
    }

    private Family familyOf(Sample sample) {
        if (current == null || current.type() == null) {
            throw new IllegalArgumentException("sample without a preceding TYPE");
        }
        String suffix = sample.name().startsWith(current.name())
                ? sample.name().substring(current.name().length()) : null;
        Set<String> allowed = switch (current.type()) {
            case "counter" -> openMetrics ? Set.of("_total", "_created") : Set.of("");
            case "summary" -> Set.of("", "_sum", "_count", "_created");
            case "histogram", "gaugehistogram" -> Set.of("_bucket", "_sum", "_count", "_created", "_gcount", "_gsum");
            case "info" -> Set.of("_info");
            default -> Set.of("");
        };
        if (suffix == null || !allowed.contains(suffix)) {
            throw new IllegalArgumentException("sample " + sample.name() + " does not belong to the "
                    + current.type() + " family " + current.name());
        }
        if (suffix.equals("_bucket") && !sample.labels().containsKey("le")) {
            throw new IllegalArgumentException("bucket without an le label");
        }
        return current;
    }

    /** Reads {@code name="value",...}} from {@code at}, after the brace; returns the index past the closing one. */
    private static int labels(String line, int at, Map<String, String> labels) {
        if (at < line.length() && line.charAt(at) == '}') {
            return at + 1;
        }
        while (true) {
            int equals = line.indexOf('=', at);
            if (equals < 0) {
                throw new IllegalArgumentException("label without a value");
            }
            String name = line.substring(at, equals);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad label name '" + name + "'");
            }
            if (equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("label value of " + name + " is not quoted");
            }
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; ; i++) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unterminated label value of " + name);
                }
                char c = line.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char escaped = i + 1 < line.length() ? line.charAt(++i) : ' ';
                    switch (escaped) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new IllegalArgumentException("bad escape in label value of " + name);
                    }
                } else {
                    value.append(c);
                }
            }
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("label " + name + " repeated");
            }
            i++;
            if (i >= line.length()) {
                throw new IllegalArgumentException("unterminated label set");
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            if (line.charAt(i) != ',') {
                throw new IllegalArgumentException("expected , or } after label " + name);
            }
            at = i + 1;
        }
    }

    private static IllegalArgumentException fail(int number, String line, String problem) {
        return new IllegalArgumentException("Line " + number + ": " + problem + ": " + line);
    }
}
