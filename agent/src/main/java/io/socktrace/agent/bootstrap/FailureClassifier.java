package io.socktrace.agent.bootstrap;

import java.io.IOException;
import java.lang.StackWalker.StackFrame;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a failed read, write or connect means, decided from the exception's type wherever the JDK has one. The
 * JDK has no type for a reset or a broken pipe (a plain {@code SocketException} or {@code IOException} with the
 * kernel's words), so that knowledge is kept here and only here, checked on JDK 17 and 25 by the tests.
 */
final class FailureClassifier {

    /**
     * Messages of resets and broken pipes: {@code NioSocketImpl}'s "Connection reset", the kernel's ECONNRESET
     * ("Connection reset by peer") and EPIPE ("Broken pipe") as {@code SocketChannel} and Netty's
     * {@code Errors$NativeIoException} ("recvAddress(..) failed: Connection reset by peer") report them.
     */
    private static final String[] RESET_WORDS = {"Connection reset", "Broken pipe"};

    /**
     * Read timeouts the JDK provokes on purpose and swallows, which no application code ever sees: the 1 ms drain
     * of an {@code SSLSocket} close and {@code HttpURLConnection}'s 1 ms stale-connection probe. Found on the
     * reading thread's stack, within {@link #DELIBERATE_DEPTH} frames of the read.
     */
    private static final String[][] DELIBERATE_TIMEOUTS = {
        {"sun.security.ssl.SSLSocketImpl", "closeSocket"},
        {"sun.security.ssl.SSLSocketInputRecord", "deplete"},
        {"sun.net.www.http.HttpClient", "available"},
    };
    private static final int DELIBERATE_DEPTH = 24;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final DeliberateSearch DELIBERATE = new DeliberateSearch();

    /**
     * Linux's errno values (the same on x86-64 and arm64) and glibc's {@code strerror} words for the ones a TCP
     * read or write ends with; any other is reported by number.
     */
    private static final Map<Integer, String> ERRNO_WORDS = Map.ofEntries(
            Map.entry(4, "Interrupted system call"),
            Map.entry(9, "Bad file descriptor"),
            Map.entry(12, "Cannot allocate memory"),
            Map.entry(32, "Broken pipe"),
            Map.entry(100, "Network is down"),
            Map.entry(101, "Network is unreachable"),
            Map.entry(103, "Software caused connection abort"),
            Map.entry(104, "Connection reset by peer"),
            Map.entry(107, "Transport endpoint is not connected"),
            Map.entry(110, "Connection timed out"),
            Map.entry(113, "No route to host"));

    private FailureClassifier() {
    }

    /** A read that timed out: {@code SO_TIMEOUT} on a socket or stream, or an asynchronous read's timeout. */
    static boolean isTimeout(Throwable failure) {
        return failure instanceof SocketTimeoutException || failure instanceof InterruptedByTimeoutException;
    }

    /**
     * Whether the timeout that the current thread's read just got is one the JDK made on purpose. A short walk of
     * the live stack: the exception's own stack trace would cost a {@code getStackTrace()}.
     */
    static boolean isDeliberateTimeout() {
        return WALKER.walk(DELIBERATE);
    }

    /** The close cause a failed read or write points to: a reset (or broken pipe), or another I/O error. */
    static CloseCause ioFailure(Throwable failure) {
        return isReset(failure) ? CloseCause.RESET : CloseCause.IO_ERROR;
    }

    static boolean isReset(Throwable failure) {
        if (!(failure instanceof IOException)) {
            return false;
        }
        if (failure.getClass().getName().equals("sun.net.ConnectionResetException")) {
            return true;
        }
        return isResetMessage(failure.getMessage());
    }

    /** The close cause of an error described by {@link #describe(String, int)}: the same words decide. */
    static CloseCause ioFailure(String description) {
        return isResetMessage(description) ? CloseCause.RESET : CloseCause.IO_ERROR;
    }

    private static boolean isResetMessage(String message) {
        if (message == null) {
            return false;
        }
        for (String words : RESET_WORDS) {
            if (message.contains(words)) {
                return true;
            }
        }
        return false;
    }

    /** The report's words for an error on a connection: type and message. */
    static String describe(Throwable failure) {
        return failure.getClass().getName() + ": " + failure.getMessage();
    }

    /**
     * The report's words for an {@code errno} that an operation completed with (io_uring's completions carry
     * {@code -errno}, no exception): the kernel's words, as in the message of the {@code Errors$NativeIoException}
     * Netty makes of it (whose exact form differs between Netty versions), so that {@link #ioFailure(String)} reads
     * them as it reads an exception's message: {@code "io_uring read(..) failed: Connection reset by peer (errno
     * 104)"}.
     */
    static String describe(String operation, int errno) {
        String words = ERRNO_WORDS.get(errno);
        return operation + "(..) failed: " + (words != null ? words + " (errno " + errno + ")" : "errno " + errno);
    }

    /** Why a connect failed, in a few words the report groups by. */
    static String connectFailure(Throwable failure) {
        if (isTimeout(failure) || failure.getClass().getSimpleName().equals("ConnectTimeoutException")) {
            return "timed out"; // Netty's own connect timeout, under any package prefix, is a ConnectException
        }
        if (failure instanceof ConnectException) {
            String message = failure.getMessage();
            return message != null && message.contains("refused") ? "refused" : "ConnectException: " + message;
        }
        if (failure instanceof NoRouteToHostException) {
            return "unreachable";
        }
        if (failure instanceof UnknownHostException || failure instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (failure instanceof AsynchronousCloseException) {
            return "closed while connecting";
        }
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }

    /** A class rather than a lambda, so that no bootstrap method runs inside the JDK's socket code. */
    private static final class DeliberateSearch implements Function<Stream<StackFrame>, Boolean> {

        @Override
        public Boolean apply(Stream<StackFrame> frames) {
            Iterator<StackFrame> it = frames.iterator();
            for (int depth = 0; depth < DELIBERATE_DEPTH && it.hasNext(); depth++) {
                StackFrame frame = it.next();
                String className = frame.getClassName();
                for (String[] deliberate : DELIBERATE_TIMEOUTS) {
                    if (className.equals(deliberate[0]) && frame.getMethodName().equals(deliberate[1])) {
                        return Boolean.TRUE;
                    }
                }
            }
            return Boolean.FALSE;
        }
    }
}
