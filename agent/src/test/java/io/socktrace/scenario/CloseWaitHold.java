package io.socktrace.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A CLOSE_WAIT leak: the server answers and closes; one client reads to end of stream and closes (the control),
 * another reads to end of stream on a thread of its own and is then kept open, past the test's short
 * {@code closeWait}, until the JVM exits; a third reads to end of stream and is closed only after the hold (a leak
 * that ended). Prints whether the kernel has the kept socket in CLOSE_WAIT, and socktrace's JMX leak counts; with a
 * second argument, then prints {@code holding=true} and waits (30 s at most) for the file it names to exist.
 */
public final class CloseWaitHold {

    /** Kept open on purpose: the leak. */
    private static Socket kept;

    public static void main(String[] args) throws Exception {
        long holdMillis = Long.parseLong(args[0]);
        try (LoopbackServer closedServer = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE);
             LoopbackServer keptServer = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE)) {
            System.out.println("closedPort=" + closedServer.port());
            System.out.println("keptPort=" + keptServer.port());

            Socket control = Client.connect(closedServer.port());
            System.out.println("controlAnswer=" + Client.request(control));
            System.out.println("controlEof=" + (control.getInputStream().read() == -1));
            control.close();

            kept = openForLater(keptServer.port());
            System.out.println("keptLocalPort=" + kept.getLocalPort());
            Thread reader = new Thread(CloseWaitHold::readToEnd, "leak-reader");
            reader.start();
            reader.join(10_000);
            Socket late = Client.connect(keptServer.port());
            System.out.println("lateAnswer=" + Client.request(late));
            System.out.println("lateEof=" + (late.getInputStream().read() == -1));
            Thread.sleep(holdMillis); // the kept socket stays open past closeWait: that is the leak
            System.out.println("keptInCloseWait=" + inCloseWait(kept.getLocalPort(), keptServer.port()));
            late.close(); // closeWait after its end of stream: closed late
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("socktrace:type=Recorder");
            for (int i = 0; i < 200 && !beans.isRegistered(name); i++) { // registered in the background
                Thread.sleep(50);
            }
            System.out.println("jmxCloseWaitLeaks=" + beans.getAttribute(name, "CloseWaitLeaks"));
            System.out.println("jmxCloseWaitLeaksSeen=" + beans.getAttribute(name, "CloseWaitLeaksSeen"));
            if (args.length > 1) {
                System.out.println("holding=true");
                for (int i = 0; i < 600 && !Files.exists(Path.of(args[1])); i++) {
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Opens the connection that will be leaked (the stack the report should name). */
    static Socket openForLater(int port) throws IOException {
        return Client.connect(port);
    }

    /** The last reader: reads the answer, then end of stream, and leaves the socket as it is. */
    static void readToEnd() {
        try {
            System.out.println("keptAnswer=" + Client.request(kept));
            System.out.println("keptEof=" + (kept.getInputStream().read() == -1));
        } catch (IOException e) {
            System.out.println("reader failed: " + e);
        }
    }

    /**
     * Whether the kernel has the connection from {@code localPort} to {@code remotePort} in CLOSE_WAIT (state 08):
     * /proc/net/tcp6 for the JDK's dual-stack sockets, /proc/net/tcp for IPv4-only ones. Both ports, since other
     * connections on the machine (a TIME_WAIT left by an earlier test) may have the same local port.
     */
    static boolean inCloseWait(int localPort, int remotePort) throws IOException {
        String port = String.format(":%04X ", localPort);
        String remote = String.format(":%04X ", remotePort);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (Files.exists(tcp6)) {
            lines.addAll(Files.readAllLines(tcp6));
        }
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 3 && (fields[1] + " ").endsWith(port) && (fields[2] + " ").endsWith(remote)) {
                return fields[3].equals("08");
            }
        }
        return false;
    }
}
