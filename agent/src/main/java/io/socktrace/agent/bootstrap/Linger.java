package io.socktrace.agent.bootstrap;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * Whether a JDK connection is about to be closed with {@code SO_LINGER} 0, which makes the kernel send an RST
 * instead of a FIN (an abortive close). Read from the socket itself when the close starts (one
 * {@code getsockopt}, on the close path only): whoever set the option ({@code Socket.setSoLinger},
 * {@code setOption}, before or after the connect), the socket knows. Covers {@code NioSocketImpl},
 * {@code SocketChannelImpl} and the asynchronous channel, through their descriptors and the JDK's own
 * {@code Net.getSocketOption}; anything else (Netty's native sockets) answers false, not known.
 */
final class Linger {

    private static volatile Handles handles;
    private static volatile boolean unavailable;

    private Linger() {
    }

    /** True if {@code connection} is a JDK socket whose {@code SO_LINGER} is 0 now; false if not, or unknown. */
    static boolean zero(Object connection) {
        Handles h = handles();
        if (h == null) {
            return false;
        }
        try {
            FileDescriptor fd = h.fdOf(connection);
            if (fd == null || !fd.valid()) {
                return false;
            }
            Object linger = h.getSocketOption.invokeExact(fd, (SocketOption<?>) StandardSocketOptions.SO_LINGER);
            return linger instanceof Integer && (Integer) linger == 0;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable closedAlready) { // the IOException of a descriptor closed meanwhile
            return false;
        }
    }

    private static Handles handles() {
        Handles h = handles;
        if (h != null || unavailable) {
            return h;
        }
        synchronized (Linger.class) {
            if (handles == null && !unavailable) {
                try {
                    handles = new Handles();
                } catch (Throwable e) {
                    unavailable = true;
                    AgentHealth.unavailable("the JDK's SO_LINGER", "a close with SO_LINGER 0 (an RST sent by this "
                            + "JVM) is reported as a plain close", e);
                }
            }
            return handles;
        }
    }

    private static final class Handles {

        final Class<?> nioSocketImpl = Class.forName("sun.nio.ch.NioSocketImpl", false, null);
        final Class<?> socketChannelImpl = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
        final Class<?> asyncChannel = Class.forName("sun.nio.ch.AsynchronousSocketChannelImpl", false, null);
        final VarHandle implFd;
        final VarHandle channelFd;
        final VarHandle asyncFd;
        /** {@code Net.getSocketOption(FileDescriptor, SocketOption)}, package-private in 17 and 25. */
        final MethodHandle getSocketOption;

        Handles() throws ReflectiveOperationException {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            implFd = MethodHandles.privateLookupIn(java.net.SocketImpl.class, lookup)
                    .findVarHandle(java.net.SocketImpl.class, "fd", FileDescriptor.class);
            channelFd = MethodHandles.privateLookupIn(socketChannelImpl, lookup)
                    .findVarHandle(socketChannelImpl, "fd", FileDescriptor.class);
            asyncFd = MethodHandles.privateLookupIn(asyncChannel, lookup)
                    .findVarHandle(asyncChannel, "fd", FileDescriptor.class);
            Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
            getSocketOption = MethodHandles.privateLookupIn(net, lookup).findStatic(net, "getSocketOption",
                    MethodType.methodType(Object.class, FileDescriptor.class, SocketOption.class));
        }

        FileDescriptor fdOf(Object connection) {
            if (nioSocketImpl.isInstance(connection)) {
                return (FileDescriptor) implFd.get((java.net.SocketImpl) connection);
            }
            if (socketChannelImpl.isInstance(connection)) {
                return (FileDescriptor) channelFd.get(connection);
            }
            if (asyncChannel.isInstance(connection)) {
                return (FileDescriptor) asyncFd.get(connection);
            }
            return null;
        }
    }
}
