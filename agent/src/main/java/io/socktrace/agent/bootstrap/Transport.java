package io.socktrace.agent.bootstrap;

/** The JDK API a connection was made with. */
public enum Transport {
    /** {@code java.net.Socket} (including {@code SSLSocket} and {@code HttpURLConnection}): {@code NioSocketImpl}. */
    SOCKET("Socket"),
    /** {@code java.nio.channels.SocketChannel} and its {@code socket()} adaptor: {@code SocketChannelImpl}. */
    SOCKET_CHANNEL("SocketChannel"),
    /** {@code java.nio.channels.AsynchronousSocketChannel}. */
    ASYNC_CHANNEL("AsynchronousSocketChannel"),
    /**
     * Netty's native epoll transport ({@code EpollSocketChannel}, Netty 4.1 and 4.2, under any package prefix),
     * which never touches the JDK's sockets: identified by its {@code LinuxSocket}.
     */
    NETTY_EPOLL("Netty epoll"),
    /**
     * Netty's native io_uring transport ({@code IoUringSocketChannel} of 4.2, the 4.1 incubator's
     * {@code IOUringSocketChannel}), completion-based: identified by its channel.
     */
    NETTY_IO_URING("Netty io_uring");

    private final String apiName;

    Transport(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
