package io.socktrace.bench.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A larger application's start-up: {@code main} loads (without initializing) every class named in the list file,
 * from the class path, as an application's start-up loads its framework's, then opens and closes one loopback
 * connection, and prints how many loaded. With an AppCDS archive those classes come from the archive instead of
 * being parsed and verified, unless class data sharing is off for the application's loader.
 *
 * <p>Usage: {@code ClassPathApp CLASS_LIST_FILE}
 */
public final class ClassPathApp {

    public static final String DONE = "class-path-app: loaded ";

    private ClassPathApp() {
    }

    public static void main(String[] args) throws IOException {
        List<String> names = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        ClassLoader loader = ClassPathApp.class.getClassLoader();
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (LinkageError | ClassNotFoundException optionalDependencyMissing) {
                // a class of the list that needs a library the bench jar does not carry: not loaded, not counted
            }
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept();
             InputStream in = accepted.getInputStream()) {
            client.getOutputStream().write(1);
            in.read();
        }
        System.out.println(DONE + loaded + " of " + names.size() + " classes");
    }
}
