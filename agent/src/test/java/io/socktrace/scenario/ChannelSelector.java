package io.socktrace.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Non-blocking {@code SocketChannel}s driven by a {@code Selector}: connect, {@code finishConnect}, one
 * request and answer, then the selector loop closes the key's channel; twice. Then a non-blocking connect to a
 * port nobody listens on, which fails in {@code finishConnect}.
 */
public final class ChannelSelector {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER);
             Selector selector = Selector.open()) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < 2; i++) {
                System.out.println("answer=" + exchange(selector, server.port()));
            }
            int refusedPort = LoopbackPorts.unused();
            System.out.println("refusedPort=" + refusedPort);
            System.out.println("refused=" + connectRefused(refusedPort));
        }
    }

    static String exchange(Selector selector, int port) throws Exception {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        boolean connected = channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
        ByteBuffer answer = ByteBuffer.allocate(64);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) key.channel();
                if (key.isConnectable() && ch.finishConnect()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                } else if (key.isWritable()) {
                    ch.write(ByteBuffer.wrap("request\n".getBytes()));
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    ch.read(answer);
                    if (answer.position() > 0 && answer.get(answer.position() - 1) == '\n') {
                        closeKey(key);
                        selector.selectedKeys().clear();
                        return new String(answer.array(), 0, answer.position() - 1);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        throw new IllegalStateException("no answer in time");
    }

    static void closeKey(SelectionKey key) throws Exception {
        key.channel().close();
    }

    static boolean connectRefused(int port) throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            for (int i = 0; i < 100; i++) {
                if (channel.finishConnect()) {
                    return false;
                }
                Thread.sleep(10);
            }
            return false;
        } catch (java.net.ConnectException expected) {
            return true;
        }
    }
}
