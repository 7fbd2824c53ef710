package io.socktrace.demo.tyrant;

import io.socktrace.demo.protocol.CrlfLineReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves one client connection on its own daemon thread until the client quits or the server stops. */
final class ConnectionHandler implements Runnable {

    /** Far more than a demo run sends; only there so the loop is bounded. */
    private static final long MAX_COMMANDS_PER_CONNECTION = 10_000_000;
    private static final int MAX_LINE_LENGTH = 2048;

    private static final Logger log = LoggerFactory.getLogger(SlowMemcachedServer.class);

    private final Socket socket;
    private final MemcachedCommands commands;
    private final String name;
    private final Consumer<ConnectionHandler> onEnd;
    private volatile Thread thread;
    private volatile boolean stopping;

    ConnectionHandler(Socket socket, MemcachedCommands commands, String name, Consumer<ConnectionHandler> onEnd) {
        this.socket = socket;
        this.commands = commands;
        this.name = name;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        boolean lastReplyWasLate = false;
        try {
            CrlfLineReader in = new CrlfLineReader(socket.getInputStream(), MAX_LINE_LENGTH);
            OutputStream out = socket.getOutputStream();
            for (long count = 0; count < MAX_COMMANDS_PER_CONNECTION && !stopping; count++) {
                String line = in.readLine();
                if (line == null) {
                    log.debug("{}: client closed the connection{}", name,
                            lastReplyWasLate ? " (it had given up waiting for the late reply)" : "");
                    return;
                }
                Reply reply = commands.execute(line, in, name);
                if (reply.isLate()) {
                    Thread.sleep(reply.delayMillis());
                }
                lastReplyWasLate = reply.isLate();
                if (reply.bytes().length > 0) {
                    out.write(reply.bytes());
                    out.flush();
                }
                if (reply.closeConnection()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts a late reply that is still being held back.
            log.debug("{}: server stopping, late reply dropped", name);
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Expected after a late reply: the client had timed out and closed, so the reply
            // drew a RST. Also what a stop() looks like from this thread.
            log.debug("{}: connection ended{}: {}", name,
                    lastReplyWasLate ? " after a late reply to a client that had gone" : "", e.toString());
        } finally {
            close();
            onEnd.accept(this);
        }
    }

    /** Closes the connection; also wakes a thread that is holding back a late reply. */
    void close() {
        stopping = true;
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("{}: closing: {}", name, e.toString());
        }
        Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            current.interrupt();
        }
    }
}
