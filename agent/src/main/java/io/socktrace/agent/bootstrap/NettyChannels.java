package io.socktrace.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * The little the recorder reads from Netty's epoll channels, which live in application class loaders under any
 * package prefix (a shaded copy is {@code io.grpc.netty.shaded.io.netty...}), so they are known by simple class
 * name and read reflectively, once per class. Only on connect and accept, and on the first use of a connection
 * that was open before recording, never on reads or writes of a tracked one.
 */
final class NettyChannels {

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    private static final ClassValue<SocketShape> SOCKETS = new ClassValue<>() {
        @Override
        protected SocketShape computeValue(Class<?> type) {
            return new SocketShape(type);
        }
    };

    private NettyChannels() {
    }

    /**
     * {@code socket}'s connection if it is a Netty native socket that was open when recording started (found by
     * its descriptor in {@code atStart}, and its peer checked), else {@code null}. Allocates nothing unless found.
     */
    static OpenConnection openConnection(Object socket, DescriptorsAtStart atStart) {
        if (atStart.isEmpty()) {
            return null;
        }
        SocketShape shape = SOCKETS.get(socket.getClass());
        if (shape.transport == null) {
            return null;
        }
        try {
            int entry = atStart.claim(shape.fd.getInt(socket));
            if (entry < 0) {
                return null;
            }
            InetSocketAddress remote = atStart.remote(entry);
            Object peer = shape.remoteAddress.invoke(socket);
            if (!remote.equals(peer)) {
                return null; // the descriptor number was reused since: not that connection
            }
            InetSocketAddress local = atStart.local(entry);
            return new OpenConnection(shape.transport, remote, local.getAddress(), local.getPort());
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null;
        }
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

    /**
     * What one native socket class offers: Netty's {@code unix.Socket} (the epoll {@code LinuxSocket} extends it)
     * holds its descriptor in {@code FileDescriptor.fd} and asks the kernel for its peer in {@code remoteAddress()}.
     */
    private static final class SocketShape {
        final Transport transport;
        final Field fd;
        final Method remoteAddress;

        SocketShape(Class<?> type) {
            Transport found = null;
            Field descriptor = null;
            Method peer = null;
            if (type.getName().endsWith(".channel.epoll.LinuxSocket")) {
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    try {
                        if (c.getName().endsWith(".channel.unix.Socket")) {
                            peer = c.getDeclaredMethod("remoteAddress");
                            peer.setAccessible(true);
                        } else if (c.getName().endsWith(".channel.unix.FileDescriptor")) {
                            descriptor = c.getDeclaredField("fd");
                            descriptor.setAccessible(true);
                        }
                    } catch (ReflectiveOperationException | RuntimeException unreadable) {
                        AgentHealth.unavailable(c.getName(), "Netty epoll connections open before recording are "
                                + "not taken in", unreadable);
                        peer = null;
                        break;
                    }
                }
                found = descriptor != null && peer != null ? Transport.NETTY_EPOLL : null;
            }
            this.transport = found;
            this.fd = descriptor;
            this.remoteAddress = peer;
        }
    }
}
