package io.socktrace.scenario;

import java.net.Socket;

/**
 * One endpoint that churns ({@code CHURN} connect-request-close cycles back to back, each a reconnect) and one that
 * stays quiet (a single connection, used {@code QUIET} times), then waits {@code WAIT_MS} so that a report the
 * trigger asked for can be written before the exit.
 */
public final class ChurnAndQuiet {

    public static void main(String[] args) throws Exception {
        int churn = Integer.parseInt(args[0]);
        int quiet = Integer.parseInt(args[1]);
        long waitMillis = Long.parseLong(args[2]);
        try (LoopbackServer churning = new LoopbackServer(LoopbackServer.Behaviour.ANSWER);
             LoopbackServer calm = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("churnPort=" + churning.port());
            System.out.println("quietPort=" + calm.port());
            try (Socket kept = Client.connect(calm.port())) {
                for (int i = 0; i < quiet; i++) {
                    Client.request(kept);
                }
                for (int i = 0; i < churn; i++) {
                    try (Socket socket = Client.connect(churning.port())) {
                        Client.request(socket);
                    }
                }
                System.out.println("churned=" + churn);
                Thread.sleep(waitMillis);
            }
        }
    }
}
