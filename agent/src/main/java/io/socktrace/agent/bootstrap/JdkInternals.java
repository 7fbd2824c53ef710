package io.socktrace.agent.bootstrap;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Reads the few private JDK fields that tie the layers of one connection together: a {@code Socket} to its
 * {@code SocketImpl}, a wrapping impl to its delegate, a layered {@code SSLSocket} to the socket under it, a
 * channel's socket adaptor to its channel, an accepted impl to its peer address, a connected impl to its local
 * address. The agent opens the packages concerned to this (bootstrap) module when it installs; the handles are
 * resolved then in a running JVM, on first use at start-up (earlier would load the socket classes early), and if
 * that fails every lookup answers {@code null} and the connection is simply not resolved.
 */
public final class JdkInternals {

    private static volatile Handles handles;
    private static volatile boolean unavailable;

    private JdkInternals() {
    }

    /** Resolves the handles now, once the packages are open: for a recording that starts in a running JVM. */
    public static void resolve() {
        handles();
    }

    /** The handles, resolved once; {@code null} if they cannot be (and then never tried again). */
    private static Handles handles() {
        Handles h = handles;
        if (h != null || unavailable) {
            return h;
        }
        synchronized (JdkInternals.class) {
            if (handles == null && !unavailable) {
                try {
                    handles = new Handles();
                } catch (Throwable e) {
                    unavailable = true;
                    AgentHealth.unavailable("the JDK's socket fields", "TLS sockets and channel adaptors are not tied "
                            + "to their connection, accepted peers and connections opened before recording are not "
                            + "seen", e);
                }
            }
            return handles;
        }
    }

    /**
     * The object that carries a connection's I/O, given any layer of it: an {@code NioSocketImpl} or a
     * {@code SocketChannelImpl}; {@code null} if it cannot be resolved.
     */
    static Object connectionOf(Object layer) {
        Handles h = handles();
        if (h == null) {
            return null;
        }
        Object current = layer;
        for (int depth = 0; depth < 8 && current != null; depth++) { // layers never nest this deep
            if (h.nioSocketImpl.isInstance(current) || h.socketChannelImpl.isInstance(current)) {
                return current;
            } else if (h.baseSslSocket != null && h.baseSslSocket.isInstance(current)) {
                Object self = h.sslSelf.get(current);
                current = self == current ? h.socketImpl.get(current) : self;
            } else if (h.socketAdaptor.isInstance(current)) {
                current = h.adaptorChannel.get(current);
            } else if (h.delegatingImpl.isInstance(current)) {
                current = h.delegate.get(current);
            } else if (current instanceof java.net.Socket) {
                current = h.socketImpl.get(current);
            } else {
                return null;
            }
        }
        return null;
    }

    /** The peer of an accepted {@code SocketImpl}, from its protected fields; {@code null} if unavailable. */
    static InetSocketAddress peerOf(Object socketImpl) {
        Handles h = handles();
        if (h == null || !(socketImpl instanceof java.net.SocketImpl)) {
            return null;
        }
        java.net.SocketImpl impl = (java.net.SocketImpl) socketImpl;
        InetAddress address = (InetAddress) h.address.get(impl); // exact signatures: no conversion per call
        return address == null ? null : new InetSocketAddress(address, (int) h.port.get(impl));
    }

    /**
     * The local address of a connected {@code NioSocketImpl} with one {@code getsockname}, where
     * {@code getOption(SO_BINDADDR)} takes the impl's lock and makes two; {@code null} if unavailable (the impl is
     * closed, or the JDK has no such method).
     */
    static InetAddress localAddressOf(Object socketImpl) {
        Handles h = handles();
        if (h == null || h.localInetAddress == null || !h.nioSocketImpl.isInstance(socketImpl)) {
            return null;
        }
        try {
            FileDescriptor fd = (FileDescriptor) h.fd.get((java.net.SocketImpl) socketImpl);
            return fd == null ? null : (InetAddress) h.localInetAddress.invokeExact(fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable closedAlready) { // the IOException of a closed descriptor
            return null;
        }
    }

    /**
     * What an open TCP connection not seen opening (opened before recording) says about itself: its transport and
     * addresses, read from the connection object ({@code NioSocketImpl}, {@code SocketChannelImpl}, an asynchronous
     * channel); {@code null} if it is not a connected, open TCP connection or cannot be read. Allocates only when
     * it answers.
     */
    static OpenConnection openConnection(Object connection) {
        Handles h = handles();
        if (h == null || connection == null) {
            return null;
        }
        try {
            if (h.nioSocketImpl.isInstance(connection)) {
                java.net.SocketImpl impl = (java.net.SocketImpl) connection;
                if ((int) h.implState.get(connection) != h.implConnected) {
                    return null;
                }
                InetAddress remote = (InetAddress) h.address.get(impl);
                if (remote == null) {
                    return null;
                }
                InetAddress local = localAddressOf(connection);
                int localPort = (int) h.localPort.get(impl);
                return new OpenConnection(Transport.SOCKET, new InetSocketAddress(remote, (int) h.port.get(impl)),
                        local, localPort);
            }
            if (h.socketChannelImpl.isInstance(connection)) {
                if ((int) h.channelState.get(connection) != h.channelConnected) {
                    return null;
                }
                return inet(Transport.SOCKET_CHANNEL, h.channelRemote.get(connection), h.channelLocal.get(connection));
            }
            if (h.asyncChannel != null && h.asyncChannel.isInstance(connection)) {
                if ((int) h.asyncState.get(connection) != h.asyncConnected
                        || !((java.nio.channels.Channel) connection).isOpen()) {
                    return null;
                }
                return inet(Transport.ASYNC_CHANNEL, h.asyncRemote.get(connection), h.asyncLocal.get(connection));
            }
            return null;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable unreadable) {
            return null;
        }
    }

    private static OpenConnection inet(Transport transport, Object remote, Object local) {
        if (!(remote instanceof InetSocketAddress)) {
            return null; // a Unix domain channel: socktrace records TCP
        }
        InetSocketAddress bound = local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
        return new OpenConnection(transport, (InetSocketAddress) remote, bound == null ? null : bound.getAddress(),
                bound == null ? 0 : bound.getPort());
    }

    private static final class Handles {

        final Class<?> nioSocketImpl = Class.forName("sun.nio.ch.NioSocketImpl", false, null);
        final Class<?> socketChannelImpl = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
        final Class<?> socketAdaptor = Class.forName("sun.nio.ch.SocketAdaptor", false, null);
        final Class<?> delegatingImpl = Class.forName("java.net.DelegatingSocketImpl", false, null);
        final Class<?> baseSslSocket = optional("sun.security.ssl.BaseSSLSocketImpl");
        final VarHandle socketImpl;
        final VarHandle delegate;
        final VarHandle adaptorChannel;
        final VarHandle sslSelf;
        final VarHandle address;
        final VarHandle port;
        final VarHandle fd;
        /** {@code Net.localInetAddress(FileDescriptor)}, private; {@code null} if this JDK has none. */
        final MethodHandle localInetAddress;
        final VarHandle localPort;
        final VarHandle implState;
        final int implConnected;
        final VarHandle channelState;
        final int channelConnected;
        final VarHandle channelRemote;
        final VarHandle channelLocal;
        final Class<?> asyncChannel = optional("sun.nio.ch.AsynchronousSocketChannelImpl");
        final VarHandle asyncState;
        final int asyncConnected;
        final VarHandle asyncRemote;
        final VarHandle asyncLocal;

        Handles() throws ReflectiveOperationException {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            socketImpl = field(lookup, java.net.Socket.class, "impl", java.net.SocketImpl.class);
            delegate = field(lookup, delegatingImpl, "delegate", java.net.SocketImpl.class);
            adaptorChannel = field(lookup, socketAdaptor, "sc", socketChannelImpl);
            sslSelf = baseSslSocket == null ? null : field(lookup, baseSslSocket, "self", java.net.Socket.class);
            address = field(lookup, java.net.SocketImpl.class, "address", InetAddress.class);
            port = field(lookup, java.net.SocketImpl.class, "port", int.class);
            fd = field(lookup, java.net.SocketImpl.class, "fd", FileDescriptor.class);
            localInetAddress = optionalStatic(lookup, "sun.nio.ch.Net", "localInetAddress",
                    MethodType.methodType(InetAddress.class, FileDescriptor.class));
            localPort = field(lookup, java.net.SocketImpl.class, "localport", int.class);
            implState = field(lookup, nioSocketImpl, "state", int.class);
            implConnected = constant(lookup, nioSocketImpl, "ST_CONNECTED");
            channelState = field(lookup, socketChannelImpl, "state", int.class);
            channelConnected = constant(lookup, socketChannelImpl, "ST_CONNECTED");
            channelRemote = field(lookup, socketChannelImpl, "remoteAddress", java.net.SocketAddress.class);
            channelLocal = field(lookup, socketChannelImpl, "localAddress", java.net.SocketAddress.class);
            asyncState = asyncChannel == null ? null : field(lookup, asyncChannel, "state", int.class);
            asyncConnected = asyncChannel == null ? -1 : constant(lookup, asyncChannel, "ST_CONNECTED");
            asyncRemote = asyncChannel == null ? null : field(lookup, asyncChannel, "remoteAddress",
                    InetSocketAddress.class);
            asyncLocal = asyncChannel == null ? null : field(lookup, asyncChannel, "localAddress",
                    InetSocketAddress.class);
        }

        /** A class's {@code static final int} state constant, read rather than copied, in case a JDK renumbers. */
        private static int constant(MethodHandles.Lookup lookup, Class<?> owner, String name)
                throws ReflectiveOperationException {
            return (int) MethodHandles.privateLookupIn(owner, lookup).findStaticVarHandle(owner, name, int.class).get();
        }

        private static MethodHandle optionalStatic(MethodHandles.Lookup lookup, String owner, String name,
                                                   MethodType type) {
            try {
                Class<?> c = Class.forName(owner, false, null);
                return MethodHandles.privateLookupIn(c, lookup).findStatic(c, name, type);
            } catch (ReflectiveOperationException | RuntimeException absent) {
                return null;
            }
        }

        private static VarHandle field(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type)
                throws ReflectiveOperationException {
            return MethodHandles.privateLookupIn(owner, lookup).findVarHandle(owner, name, type);
        }

        private static Class<?> optional(String name) {
            try {
                return Class.forName(name, false, null);
            } catch (ClassNotFoundException absent) {
                return null;
            }
        }
    }
}
