package io.socktrace.agent.config;

/** An option the agent cannot accept; the message is one line that names the option and what it accepts. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
