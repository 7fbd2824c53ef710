package io.socktrace.scenario;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Makes three connections, then reads socktrace's MBean from inside the JVM, as JConsole would, and resets it. */
public final class JmxProbe {

    public static void main(String[] args) throws Exception {
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < 3; i++) {
                try (Socket socket = Client.connect(server.port())) {
                    Client.request(socket);
                }
            }
            MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("socktrace:type=Recorder");
            // the agent registers its bean in the background, off the start-up path: a JMX client may have to wait
            for (int i = 0; i < 200 && !beans.isRegistered(name); i++) {
                Thread.sleep(50);
            }
            System.out.println("recording=" + beans.getAttribute(name, "Recording"));
            System.out.println("opened=" + beans.getAttribute(name, "Opened"));
            System.out.println("accepted=" + beans.getAttribute(name, "Accepted"));
            System.out.println("reconnects=" + beans.getAttribute(name, "Reconnects"));
            String json = (String) beans.invoke(name, "report", new Object[] {"json"}, new String[] {"java.lang.String"});
            System.out.println("jsonStart=" + json.substring(0, 12));
            beans.invoke(name, "reset", new Object[0], new String[0]);
            System.out.println("openedAfterReset=" + beans.getAttribute(name, "Opened"));
        }
    }
}
