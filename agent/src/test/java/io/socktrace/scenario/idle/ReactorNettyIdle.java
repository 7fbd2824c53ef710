package io.socktrace.scenario.idle;

import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's HttpClient with its default pool (no idle limit) against a server that closes connections idle
 * {@value IdlePeers#IDLE_MILLIS} ms: each round a request after {@value IdlePeers#SHORT_MILLIS} ms reuses the pooled
 * connection, then the client waits {@value IdlePeers#LONG_MILLIS} ms, during which the server closes it; the event
 * loop reads the idle connection all along, so it sees that close as it comes. Run on Netty's native epoll.
 */
public final class ReactorNettyIdle {

    public static void main(String[] args) throws Exception {
        System.out.println("epollAvailable=" + Epoll.isAvailable());
        try (IdleClosingHttpServer server = new IdleClosingHttpServer(IdlePeers.IDLE_MILLIS)) {
            System.out.println("port=" + server.port());
            HttpClient client = HttpClient.create();
            String uri = "http://127.0.0.1:" + server.port() + "/";
            int answered = 0;
            for (int round = 0; round < IdlePeers.ROUNDS; round++) {
                answered += get(client, uri);
                Thread.sleep(IdlePeers.SHORT_MILLIS);
                answered += get(client, uri);
                Thread.sleep(IdlePeers.LONG_MILLIS); // the server closes the pooled connection meanwhile
            }
            System.out.println("answered=" + answered);
        }
    }

    private static int get(HttpClient client, String uri) {
        Integer status = client.get().uri(uri).responseSingle((response, body) -> body.asString()
                .map(text -> response.status().code())).block(Duration.ofSeconds(10));
        return status != null && status == 200 ? 1 : 0;
    }
}
