package dev.spindle.core.spi;

import dev.spindle.core.Setting;
import java.util.List;

/**
 * Lists the settings a module understands. Found with {@link java.util.ServiceLoader}; the
 * union of all providers on the class path is what {@link dev.spindle.core.Config} accepts,
 * so a misspelt key fails start-up instead of being silently ignored.
 */
public interface SettingsProvider {

    /** The settings this module reads. */
    List<Setting<?>> settings();
}
