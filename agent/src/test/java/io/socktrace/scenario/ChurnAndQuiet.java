package io.socktrace.scenario;

import java.net.Socket;

/**
 * One endpoint that churns ({@code CHURN} connect-request-close cycles back to back, each a reconnect) and one that
 * stays quiet (a single connection, used {@code QUIET} times), then waits until the file {@code WAIT_FOR} exists
 * (a report the trigger asked for), at most 20 s, and a little longer in case a second one were on its way.
 */
public final class ChurnAndQuiet {

    public static void main(String[] args) throws Exception {
        int churn = Integer.parseInt(args[0]);
        int quiet = Integer.parseInt(args[1]);
        java.nio.file.Path waitFor = java.nio.file.Path.of(args[2]);
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
                for (int i = 0; i < 200 && !java.nio.file.Files.exists(waitFor); i++) {
                    Thread.sleep(100);
                }
                System.out.println("triggeredReportSeen=" + java.nio.file.Files.exists(waitFor));
                Thread.sleep(500);
            }
        }
    }
}
