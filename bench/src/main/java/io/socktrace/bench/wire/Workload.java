package io.socktrace.bench.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The client side of each throughput workload: what one thread repeats, against the echo or the silent port. */
public enum Workload {

    /** Request/response on one long-lived {@code java.net.Socket}. */
    SOCKET_REQUEST_RESPONSE("requests/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
            Socket socket = connectedSocket(echo);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] request = Message.request();
            byte[] response = new byte[Message.SIZE];
            return new Operation() {
                @Override
                public void run() throws IOException {
                    out.write(request);
                    Message.readFully(in, response);
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        }
    },

    /** Request/response on one long-lived blocking {@code SocketChannel}. */
    CHANNEL_REQUEST_RESPONSE("requests/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
            SocketChannel channel = SocketChannel.open(echo);
            channel.socket().setTcpNoDelay(true);
            ByteBuffer request = ByteBuffer.allocateDirect(Message.SIZE).put(Message.request());
            ByteBuffer response = ByteBuffer.allocateDirect(Message.SIZE);
            return new Operation() {
                @Override
                public void run() throws IOException {
                    Message.writeFully(channel, request);
                    Message.readFully(channel, response);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }
    },

    /** Connect, one request/response, close, with {@code java.net.Socket}. */
    SOCKET_CHURN("connections/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) {
            byte[] request = Message.request();
            byte[] response = new byte[Message.SIZE];
            return new Operation() {
                @Override
                public void run() throws IOException {
                    try (Socket socket = connectedSocket(echo)) {
                        socket.getOutputStream().write(request);
                        Message.readFully(socket.getInputStream(), response);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    },

    /**
     * {@link #SOCKET_REQUEST_RESPONSE} against a server thread in the client JVM ({@link LocalEchoServer}): both ends
     * of the connection recorded, twice the hooked calls per round trip.
     */
    SOCKET_REQUEST_RESPONSE_ONE_JVM("requests/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
            return SOCKET_REQUEST_RESPONSE.open(LocalEchoServer.address(), silent);
        }
    },

    /**
     * {@link #SOCKET_CHURN} against the accept loop in the client JVM that starts a thread per connection
     * ({@link LocalEchoServer}): the connect, the accept and both closes recorded.
     */
    SOCKET_CHURN_ONE_JVM("connections/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
            return SOCKET_CHURN.open(LocalEchoServer.address(), silent);
        }
    },

    /** Connect, one request/response, close, with a blocking {@code SocketChannel}. */
    CHANNEL_CHURN("connections/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) {
            ByteBuffer request = ByteBuffer.allocateDirect(Message.SIZE).put(Message.request());
            ByteBuffer response = ByteBuffer.allocateDirect(Message.SIZE);
            return new Operation() {
                @Override
                public void run() throws IOException {
                    try (SocketChannel channel = SocketChannel.open(echo)) {
                        channel.socket().setTcpNoDelay(true);
                        Message.writeFully(channel, request);
                        Message.readFully(channel, response);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    },

    /**
     * Request/response on one long-lived Netty epoll channel against the echo server JVM, one request in flight: the
     * client's event loop sends the next 64 bytes when the answer is in ({@link NettyEpoll}).
     */
    NETTY_EPOLL_REQUEST_RESPONSE("requests/s") {
        @Override
        ClientMain.Worker worker(String name, InetSocketAddress echo, InetSocketAddress silent,
                                ClientMain.Window window) {
            return NettyEpoll.client(name, echo, window);
        }
    },

    /** The same, against a Netty epoll echo server in the client's JVM: both ends of the connection recorded. */
    NETTY_EPOLL_REQUEST_RESPONSE_ONE_JVM("requests/s") {
        @Override
        ClientMain.Worker worker(String name, InetSocketAddress echo, InetSocketAddress silent,
                                ClientMain.Window window) throws IOException {
            return NettyEpoll.client(name, NettyEpoll.localEchoServer(), window);
        }
    },

    /** A read with {@code SO_TIMEOUT} 1 ms on one connection to a server that never answers: one timeout per run. */
    SOCKET_READ_TIMEOUT("timeouts/s") {
        @Override
        Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
            Socket socket = connectedSocket(silent);
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[Message.SIZE];
            return new Operation() {
                @Override
                public void run() throws IOException {
                    try {
                        int n = in.read(buffer);
                        throw new IOException("the silent server answered (" + n + ")");
                    } catch (SocketTimeoutException expected) {
                        // the operation being measured
                    }
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        }
    };

    private final String unit;

    Workload(String unit) {
        this.unit = unit;
    }

    /** What the workload's rate counts. */
    public String unit() {
        return unit;
    }

    /**
     * Opens what one client thread needs (its connection, for the long-lived workloads); the workloads driven by an
     * event loop have no such operation.
     */
    Operation open(InetSocketAddress echo, InetSocketAddress silent) throws IOException {
        throw new UnsupportedOperationException(name() + " is driven by its event loop");
    }

    /** One client connection's worker, not started yet: by default a thread repeating {@link #open}'s operation. */
    ClientMain.Worker worker(String name, InetSocketAddress echo, InetSocketAddress silent, ClientMain.Window window)
            throws IOException {
        return ClientMain.thread(name, open(echo, silent), window);
    }

    private static Socket connectedSocket(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address);
        return socket;
    }
}
