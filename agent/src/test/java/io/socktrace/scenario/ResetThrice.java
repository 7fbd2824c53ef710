package io.socktrace.scenario;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A recording reset three times through socktrace's MBean, between two connections made before and five made
 * after (each to a server in this JVM, so each is a connect and an accept): what the trace and Flight Recorder
 * get must be each event once, with its own stack, although the stack ids of the new recording start again.
 */
public final class ResetThrice {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < 2; i++) {
                beforeResets(server.port());
            }
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("socktrace:type=Recorder");
            for (int i = 0; i < 200 && !beans.isRegistered(name); i++) {
                Thread.sleep(50); // registered in the background
            }
            Thread.sleep(200); // the server's closes of the first two
            for (int i = 0; i < 3; i++) {
                beans.invoke(name, "reset", new Object[0], new String[0]);
            }
            for (int i = 0; i < 5; i++) {
                afterResets(server.port());
            }
            Thread.sleep(300); // the server sees the closes
            System.out.println("openedAfterResets=" + beans.getAttribute(name, "Opened"));
        }
    }

    private static void beforeResets(int port) throws Exception {
        try (Socket socket = Client.connect(port)) {
            Client.request(socket);
        }
    }

    private static void afterResets(int port) throws Exception {
        try (Socket socket = Client.connect(port)) {
            Client.request(socket);
        }
    }
}
