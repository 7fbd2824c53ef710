package io.socktrace.bench.wire;

import java.io.IOException;

/** One unit of a workload (a request/response, a connection, a read timeout), run repeatedly by one thread. */
interface Operation extends AutoCloseable {

    void run() throws IOException;

    @Override
    void close() throws IOException;
}
