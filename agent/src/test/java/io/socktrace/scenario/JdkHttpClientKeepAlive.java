package io.socktrace.scenario;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java.net.http.HttpClient} (HTTP/1.1) against a keep-alive server that drops idle connections: two GETs
 * share one connection, the server drops it while idle, the third GET opens a new one, which the server drops
 * too. The client's selector thread sees each end of stream and closes its side.
 */
public final class JdkHttpClientKeepAlive {

    public static void main(String[] args) throws Exception {
        try (KeepAliveHttpServer server = new KeepAliveHttpServer()) {
            System.out.println("port=" + server.port());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
            List<Integer> statuses = new ArrayList<>();
            statuses.add(get(client, uri));
            statuses.add(get(client, uri));
            awaitIdleDrop(server, 1);
            statuses.add(get(client, uri));
            awaitIdleDrop(server, 2);
            System.out.println("statuses=" + statuses);
        }
    }

    static int get(HttpClient client, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Waits for the server to drop the idle connection, then a little for the client to see end of stream. */
    static void awaitIdleDrop(KeepAliveHttpServer server, int dropped) throws InterruptedException {
        if (!server.awaitDropped(dropped, 5_000)) {
            System.out.println("error: server did not drop connection " + dropped);
        }
        Thread.sleep(300);
    }
}
