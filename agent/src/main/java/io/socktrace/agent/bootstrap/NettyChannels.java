package io.socktrace.agent.bootstrap;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;

/**
 * The little the recorder reads from Netty's native channels (epoll, io_uring), which live in application class
 * loaders under any package prefix (a shaded copy is {@code io.grpc.netty.shaded.io.netty...}), so they are known
 * by simple class name and read reflectively, once per channel class. Only on connect, accept and close, never on
 * reads or writes.
 */
final class NettyChannels {

    /** The base class of each transport's channels, which declares the fields read here. */
    private static final String[] BASES = {"AbstractEpollChannel", "AbstractIoUringChannel", "AbstractIOUringChannel"};
    /** The base class of each transport's stream (TCP or Unix domain) channels. */
    private static final String[] STREAM_BASES = {
        "AbstractEpollStreamChannel", "AbstractIoUringStreamChannel", "AbstractIOUringStreamChannel"};

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    private NettyChannels() {
    }

    /** Whether {@code channel} is a TCP stream channel (not a datagram or a Unix domain one). */
    static boolean isTcpStream(Object channel) {
        return SHAPES.get(channel.getClass()).tcpStream;
    }

    /** The channel's local address (its base class's {@code local}), or {@code null}. */
    static InetSocketAddress localAddress(Object channel) {
        Object address = read(SHAPES.get(channel.getClass()).local, channel);
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

    /** The channel's remote address (io_uring's {@code remote}), or {@code null}. */
    static InetSocketAddress remoteAddress(Object channel) {
        Object address = read(SHAPES.get(channel.getClass()).remote, channel);
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

    /** The channel's pending connect promise (io_uring's {@code connectPromise}), or {@code null}. */
    static Object connectPromise(Object channel) {
        return read(SHAPES.get(channel.getClass()).connectPromise, channel);
    }

    private static Object read(Field field, Object channel) {
        if (field == null) {
            return null;
        }
        try {
            return field.get(channel);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** What one channel class offers. */
    private static final class Shape {
        final boolean tcpStream;
        final Field local;
        final Field remote;
        final Field connectPromise;

        Shape(Class<?> type) {
            boolean stream = false;
            Class<?> base = null;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                String name = c.getSimpleName();
                stream |= isOneOf(name, STREAM_BASES);
                if (base == null && isOneOf(name, BASES)) {
                    base = c;
                }
            }
            this.tcpStream = stream && !type.getSimpleName().contains("Domain");
            this.local = field(base, "local", "the listening address of Netty's native servers; their accepted "
                    + "connections are grouped under the port alone");
            boolean ioUring = base != null && !base.getSimpleName().equals("AbstractEpollChannel");
            this.remote = ioUring ? field(base, "remote", "the peers of connections Netty io_uring servers accepted; "
                    + "those connections are not recorded") : null;
            this.connectPromise = ioUring ? field(base, "connectPromise", "Netty io_uring's connect promise; its "
                    + "connect timeouts are reported as closed while connecting") : null;
        }

        private static boolean isOneOf(String name, String[] names) {
            for (String candidate : names) {
                if (candidate.equals(name)) {
                    return true;
                }
            }
            return false;
        }

        private static Field field(Class<?> base, String name, String without) {
            if (base == null) {
                return null;
            }
            try {
                Field found = base.getDeclaredField(name);
                found.setAccessible(true);
                return found;
            } catch (ReflectiveOperationException | RuntimeException unreadable) {
                AgentHealth.unavailable(base.getName() + "." + name, without, unreadable);
                return null;
            }
        }
    }
}
