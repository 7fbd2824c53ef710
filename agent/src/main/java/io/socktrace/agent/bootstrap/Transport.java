package io.socktrace.agent.bootstrap;

/** The JDK API a connection was made with. */
public enum Transport {
    /** {@code java.net.Socket} (including {@code SSLSocket} and {@code HttpURLConnection}): {@code NioSocketImpl}. */
    SOCKET("Socket"),
    /** {@code java.nio.channels.SocketChannel} and its {@code socket()} adaptor: {@code SocketChannelImpl}. */
    SOCKET_CHANNEL("SocketChannel"),
    /** {@code java.nio.channels.AsynchronousSocketChannel}. */
    ASYNC_CHANNEL("AsynchronousSocketChannel");

    private final String apiName;

    Transport(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
