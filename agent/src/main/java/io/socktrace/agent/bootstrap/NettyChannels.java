package io.socktrace.agent.bootstrap;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;

/**
 * The little the recorder reads from Netty's epoll channels, which live in application class loaders under any
 * package prefix (a shaded copy is {@code io.grpc.netty.shaded.io.netty...}), so they are known by simple class
 * name and read reflectively, once per channel class. Only on connect and accept, never on reads or writes.
 */
final class NettyChannels {

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

    /** The channel's local address ({@code AbstractEpollChannel.local}), or {@code null}. */
    static InetSocketAddress localAddress(Object channel) {
        Field local = SHAPES.get(channel.getClass()).local;
        if (local == null) {
            return null;
        }
        try {
            Object address = local.get(channel);
            return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** What one channel class offers. */
    private static final class Shape {
        final boolean tcpStream;
        final Field local;

        Shape(Class<?> type) {
            boolean stream = false;
            Field found = null;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                String name = c.getSimpleName();
                stream |= name.equals("AbstractEpollStreamChannel");
                if (name.equals("AbstractEpollChannel")) {
                    try {
                        found = c.getDeclaredField("local");
                        found.setAccessible(true);
                    } catch (ReflectiveOperationException | RuntimeException unreadable) {
                        AgentHealth.unavailable(c.getName() + ".local", "the listening address of Netty epoll "
                                + "servers; their accepted connections are grouped under the port alone", unreadable);
                        found = null;
                    }
                }
            }
            this.tcpStream = stream && !type.getSimpleName().contains("Domain");
            this.local = found;
        }
    }
}
