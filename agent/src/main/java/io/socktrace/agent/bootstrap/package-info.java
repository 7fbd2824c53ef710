/**
 * What instrumented JDK code calls into: the recording side of socktrace.
 *
 * <p><b>Class-loader boundary.</b> The advice woven into {@code java.base} classes (defined by the bootstrap
 * class loader) can only resolve types the bootstrap loader sees. This package is therefore copied into a jar
 * that is appended to the bootstrap search path before any instrumentation is installed, and it must depend on
 * nothing but the JDK: no Byte Buddy, no other socktrace package. Everything else in the agent reads the
 * recorder through {@link io.socktrace.agent.bootstrap.SocketEvents#recorder()}.
 *
 * <p>Nothing here may throw into the caller, block on I/O, or hold a strong reference to an application
 * socket.
 */
package io.socktrace.agent.bootstrap;
