package dev.spindle.core;

/**
 * A configuration value that is unknown or malformed; start-up stops with this message, which
 * names the key, where the value came from and the form that was expected.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message meant for the operator who set the value. */
    public ConfigException(String message) {
        super(message);
    }
}
