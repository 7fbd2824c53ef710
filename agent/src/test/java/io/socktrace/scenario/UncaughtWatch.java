package io.socktrace.scenario;

import java.net.Socket;

/**
 * An application with a default uncaught-exception handler that says when it runs, as frameworks install: three
 * connections made and closed, then a pause so that the agent's threads have run. Nothing of the agent's may ever
 * reach the handler.
 */
public final class UncaughtWatch {

    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                System.out.println("uncaught=" + thread.getName() + " " + error));
        try (LoopbackServer server = new LoopbackServer(LoopbackServer.Behaviour.ANSWER)) {
            System.out.println("port=" + server.port());
            for (int i = 0; i < 3; i++) {
                try (Socket socket = Client.connect(server.port())) {
                    System.out.println("answer=" + Client.request(socket));
                }
            }
            Thread.sleep(500);
        }
        System.out.println("done");
    }
}
