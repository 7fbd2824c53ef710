package io.socktrace.demo.protocol;

import java.io.IOException;

/** The peer sent something the memcached text protocol does not allow. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
