package io.socktrace.scenario;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Two kinds of churn for the HTML report's browser test: read timeouts closed on a thread with a hostile name
 * (markup that would run script if the page ever parsed names as HTML), and a peer that closes after each answer.
 * Then, with one connection to the silent server still open (a request in flight, local port printed as
 * {@code port.open}), the JSON and the HTML report of the same recording, taken from the MBean one after the other,
 * to {@code args[0]} and {@code args[1]}.
 */
public final class HtmlTimeline {

    public static final String HOSTILE_THREAD = "<img src=x onerror=alert(1)></script>";

    public static void main(String[] args) throws Exception {
        try (LoopbackServer silent = new LoopbackServer(LoopbackServer.Behaviour.SILENT);
             LoopbackServer closing = new LoopbackServer(LoopbackServer.Behaviour.ANSWER_THEN_CLOSE)) {
            System.out.println("port.timeout=" + silent.port());
            System.out.println("port.closing=" + closing.port());
            for (int i = 0; i < 4; i++) {
                Socket socket = Client.connect(silent.port());
                socket.setSoTimeout(200);
                try {
                    Client.request(socket);
                } catch (SocketTimeoutException expected) {
                    giveUp(socket);
                }
            }
            for (int i = 0; i < 3; i++) {
                try (Socket socket = Client.connect(closing.port())) {
                    Client.request(socket);
                    Client.readLine(socket.getInputStream());
                }
                Thread.sleep(50);
            }
            Socket open = Client.connect(silent.port()); // no read timeout: open while the reports are taken
            open.getOutputStream().write("request\n".getBytes()); // not answered: in flight
            System.out.println("port.open=" + open.getLocalPort());
            Thread.sleep(300);
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("socktrace:type=Recorder");
            for (int i = 0; i < 200 && !beans.isRegistered(name); i++) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 2; i++) {
                String format = i == 0 ? "json" : "html";
                String report = (String) beans.invoke(name, "report", new Object[] {format},
                        new String[] {"java.lang.String"});
                Files.writeString(Path.of(args[i]), report);
            }
            open.close();
            System.out.println("reports=written");
        }
    }

    /** Closes on a thread whose name is markup, so that the name reaches every report. */
    static void giveUp(Socket socket) throws Exception {
        Thread closer = new Thread(() -> {
            try {
                socket.close();
            } catch (Exception ignored) {
                // the recording is what matters here
            }
        }, HOSTILE_THREAD);
        closer.start();
        closer.join();
    }
}
