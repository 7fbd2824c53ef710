package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A socket-heavy workload whose application-visible results (bytes, exceptions and their messages, timeouts) are
 * printed as a transcript free of ports and times, so runs with and without the agent can be compared line by
 * line. Every payload carries a marker that must never appear in anything the agent writes.
 * Arguments: a PKCS12 key store (password "changeit") for the TLS part.
 */
public final class BehaviourProbe {

    /** Sent in every payload; the agent records counts and times, never bytes. */
    public static final String MARKER = "SOCKTRACE-PAYLOAD-MARKER-7f3a9c";

    public static void main(String[] args) throws Exception {
        try (LoopbackServer echo = new LoopbackServer(LoopbackServer.Behaviour.ECHO);
             LoopbackServer silent = new LoopbackServer(LoopbackServer.Behaviour.SILENT);
             LoopbackServer closing = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE);
             LoopbackServer resetting = new LoopbackServer(LoopbackServer.Behaviour.RESET)) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = Client.connect(echo.port())) {
                    print("socket.echo." + i, same(Client.request(socket, MARKER + i), MARKER + i));
                }
            }
            try (Socket socket = Client.connect(silent.port())) {
                socket.setSoTimeout(50);
                print("socket.timeout", outcome(() -> Client.request(socket, MARKER)));
                print("socket.afterTimeout.closed", socket.isClosed());
            }
            try (Socket socket = Client.connect(closing.port())) {
                print("socket.answer", Client.request(socket, MARKER));
                print("socket.eof", socket.getInputStream().read());
                print("socket.eofAgain", socket.getInputStream().read());
            }
            try (Socket socket = Client.connect(resetting.port())) {
                print("socket.reset", outcome(() -> Client.request(socket, MARKER)));
                print("socket.afterReset", outcome(() -> Client.request(socket, MARKER)));
            }
            int unused = LoopbackPorts.unused();
            print("socket.refused", outcome(() -> Client.connect(unused)));

            try (SocketChannel channel = SocketChannel.open(address(echo.port()))) {
                channel.write(ByteBuffer.wrap((MARKER + "\n").getBytes()));
                ByteBuffer answer = ByteBuffer.allocate(128);
                for (int reads = 0; reads < 100 && (answer.position() == 0 || answer.get(answer.position() - 1) != '\n'); reads++) {
                    channel.read(answer);
                }
                print("channel.echo", same(new String(answer.array(), 0, answer.position()).trim(), MARKER));
            }
            try (SocketChannel channel = SocketChannel.open()) {
                channel.configureBlocking(false);
                channel.connect(address(unused));
                print("channel.refused", outcome(() -> {
                    for (int i = 0; i < 200 && !channel.finishConnect(); i++) {
                        Thread.sleep(5);
                    }
                    return "connected";
                }));
            }
            Socket adaptor = SocketChannel.open(address(silent.port())).socket();
            adaptor.setSoTimeout(50);
            print("adaptor.timeout", outcome(() -> Client.request(adaptor, MARKER)));
            adaptor.close();
            try (AsynchronousSocketChannel async = AsynchronousSocketChannel.open()) {
                async.connect(address(silent.port())).get(5, TimeUnit.SECONDS);
                print("async.timeout", outcome(() -> {
                    java.util.concurrent.CompletableFuture<Integer> read = new java.util.concurrent.CompletableFuture<>();
                    async.read(ByteBuffer.allocate(16), 50, TimeUnit.MILLISECONDS, null,
                            new java.nio.channels.CompletionHandler<Integer, Void>() {
                                @Override
                                public void completed(Integer n, Void a) {
                                    read.complete(n);
                                }

                                @Override
                                public void failed(Throwable e, Void a) {
                                    read.completeExceptionally(e);
                                }
                            });
                    try {
                        return read.get(5, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw (Exception) e.getCause();
                    }
                }));
            }
            if (args.length > 0) {
                tls(args[0]);
            }
        }
    }

    private static void tls(String keyStorePath) throws Exception {
        SSLContext context = TestTls.context(keyStorePath);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket client = server.accept()) {
                    String line = Client.readLine(client.getInputStream());
                    client.getOutputStream().write((line + "\n").getBytes());
                    client.getOutputStream().flush();
                    client.getInputStream().read();
                } catch (Exception ignored) {
                    // the transcript shows what the client saw
                }
            }, "tls-echo");
            serving.setDaemon(true);
            serving.start();
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                print("tls.echo", same(Client.request(socket, MARKER), MARKER));
                print("tls.protocol", socket.getSession().getProtocol());
            }
        }
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static String same(String got, String expected) {
        return expected.equals(got) ? "ok " + got.length() + " bytes" : "MISMATCH " + (got == null ? "null" : got.length());
    }

    interface Action {
        Object run() throws Exception;
    }

    /** What the application saw: a value, or an exception's class and message. */
    private static String outcome(Action action) {
        try {
            Object value = action.run();
            return "returned " + (value == null ? "null" : value.toString().replace(MARKER, "<marker>"));
        } catch (Exception e) {
            return "threw " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
