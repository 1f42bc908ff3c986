package dev.userpipeline.config;

/** A configuration value that cannot be used; the message names the key, the value and the fix. */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String message) {
        super(message);
    }
}
