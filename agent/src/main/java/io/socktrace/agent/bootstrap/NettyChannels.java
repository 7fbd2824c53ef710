package io.socktrace.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * The little the recorder reads from Netty's native channels (epoll, io_uring) and sockets, which live in
 * application class loaders under any package prefix (a shaded copy is {@code io.grpc.netty.shaded.io.netty...}),
 * so they are known by simple class name and read reflectively, once per class. Only on connect, accept and close,
 * and on the first use of a connection that was open before recording, never on reads or writes of a tracked one.
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
