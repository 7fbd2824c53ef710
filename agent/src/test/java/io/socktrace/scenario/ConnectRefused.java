package io.socktrace.scenario;

import java.net.ConnectException;

/** Connects three times to a loopback port nobody listens on; the application must see every refusal. */
public final class ConnectRefused {

    public static void main(String[] args) throws Exception {
        int port = LoopbackPorts.unused();
        System.out.println("port=" + port);
        int refused = 0;
        for (int i = 0; i < 3; i++) {
            try {
                Client.connect(port).close();
            } catch (ConnectException expected) {
                refused++;
            }
        }
        System.out.println("refused=" + refused);
    }
}
