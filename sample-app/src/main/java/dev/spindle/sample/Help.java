package dev.spindle.sample;

import dev.spindle.core.Config;
import dev.spindle.core.Setting;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code java -jar sample-app.jar --help}: how to run the service, and every setting the jar
 * knows (the framework's modules' and the sample's own), each with its environment variable, its
 * system property, what it accepts, and the value it would run with now and where that comes
 * from. Values of secret-looking keys are not printed.
 */
final class Help {

    private static final Pattern SECRET = Pattern.compile("(?i).*(key|password|secret|token|redis\\.url).*");

    private Help() {}

    static void print(Config config, PrintStream out) {
        out.println("""
                Usage: java -jar sample-app.jar [--help | --train]

                The Spindle sample service: users, sessions, avatars, reputation lookups, exports and
                background reports on http://localhost:8080 (PORT). Runs alone with every state in
                memory; set REDIS_URL (redis://host:6379) to share sessions, caches, rate limits and
                the job queue across instances.

                  --help   print this and exit
                  --train  start on a free port, call a few routes, stop (writes a CDS archive
                           under -XX:ArchiveClassesAtExit=app.jsa)

                Settings, in rising precedence: defaults, spindle.properties in the jar, the file
                named by SPINDLE_CONFIG, environment variables, -Dspindle.<key>=<value>.
                """);
        List<Setting<?>> settings = new ArrayList<>(config.knownSettings());
        settings.sort(Comparator.comparing(Setting::key));
        for (Setting<?> setting : settings) {
            List<String> env = new ArrayList<>();
            env.add(setting.envName());
            env.addAll(setting.envAliases());
            out.printf("  %s = %s  (%s)%n", setting.key(), value(config, setting), config.sourceOf(setting));
            out.printf("      env %s; -D%s; %s%n", String.join(", ", env), setting.propertyName(), setting.expected());
        }
    }

    private static String value(Config config, Setting<?> setting) {
        Object value = config.get(setting);
        if (value instanceof Optional<?> optional) {
            if (optional.isEmpty()) {
                return "(unset)";
            }
            value = optional.get();
        }
        if (SECRET.matcher(setting.key()).matches() && config.isSet(setting)) {
            return "(set, not shown)";
        }
        if (value instanceof Duration duration) {
            return format(duration);
        }
        return String.valueOf(value);
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0 && !duration.isZero()) {
            return duration.toNanos() + "ns";
        }
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
