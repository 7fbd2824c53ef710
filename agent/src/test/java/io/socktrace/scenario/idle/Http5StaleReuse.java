package io.socktrace.scenario.idle;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Apache HttpClient 5's classic API with its default pool against a server that closes connections idle
 * {@value IdlePeers#IDLE_MILLIS} ms: the pooled connection is reused after {@value IdlePeers#SHORT_MILLIS} ms
 * (answered) and after {@value IdlePeers#LONG_MILLIS} ms (closed meanwhile; HttpClient checks a pooled connection
 * only after 2 s idle, so it writes the request on it: stale reuse). A request that fails is counted and sent once
 * more, as an application would.
 */
public final class Http5StaleReuse {

    public static void main(String[] args) throws Exception {
        try (IdleClosingHttpServer server = new IdleClosingHttpServer(IdlePeers.IDLE_MILLIS);
             CloseableHttpClient client = HttpClients.createDefault()) {
            System.out.println("port=" + server.port());
            HttpGet get = new HttpGet("http://127.0.0.1:" + server.port() + "/");
            int answered = 0;
            int failed = 0;
            answered += get(client, get) ? 1 : 0;
            for (int round = 0; round < IdlePeers.ROUNDS; round++) {
                for (int pause : new int[] {IdlePeers.SHORT_MILLIS, IdlePeers.LONG_MILLIS}) {
                    Thread.sleep(pause);
                    if (get(client, get)) {
                        answered++;
                    } else {
                        failed++;
                        answered += get(client, get) ? 1 : 0;
                    }
                }
            }
            System.out.println("answered=" + answered);
            System.out.println("failed=" + failed);
        }
    }

    private static boolean get(CloseableHttpClient client, HttpGet get) {
        try {
            return client.execute(get, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode() == 200;
            });
        } catch (java.io.IOException e) {
            System.out.println("error=" + e);
            return false;
        }
    }
}
