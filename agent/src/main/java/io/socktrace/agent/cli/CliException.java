package io.socktrace.agent.cli;

/** A command-line failure: one line for the user, and a non-zero exit. */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message, null, false, false);
    }
}
