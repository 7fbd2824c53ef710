package io.socktrace.scenario.pools;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Pools that close their own idle connections: Apache HttpClient's idle-connection evictor
 * ({@code evictIdleConnections(300 ms)}) and OkHttp's connection pool (keep-alive 300 ms), each against its own
 * keep-alive JDK HTTP server in this JVM. Two requests each, 1 s apart: the pool closes the idle connection in
 * between and opens a new one for the second.
 */
public final class IdleEvictors {

    public static void main(String[] args) throws Exception {
        HttpServer apacheServer = server();
        HttpServer okHttpServer = server();
        System.out.println("apachePort=" + apacheServer.getAddress().getPort());
        System.out.println("okHttpPort=" + okHttpServer.getAddress().getPort());
        try {
            apache(apacheServer.getAddress().getPort());
            okHttp(okHttpServer.getAddress().getPort());
        } finally {
            apacheServer.stop(0);
            okHttpServer.stop(0);
        }
    }

    private static HttpServer server() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void apache(int port) throws Exception {
        try (CloseableHttpClient client = HttpClients.custom()
                .evictIdleConnections(300, TimeUnit.MILLISECONDS).build()) {
            for (int i = 0; i < 2; i++) {
                try (CloseableHttpResponse response = client.execute(new HttpGet("http://127.0.0.1:" + port + "/"))) {
                    System.out.println("apache=" + EntityUtils.toString(response.getEntity()));
                }
                Thread.sleep(1_000); // the evictor closes the idle connection
            }
        }
    }

    private static void okHttp(int port) throws Exception {
        OkHttpClient client = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(5, 300, TimeUnit.MILLISECONDS)).build();
        for (int i = 0; i < 2; i++) {
            try (Response response = client.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/").build())
                    .execute()) {
                System.out.println("okHttp=" + response.body().string());
            }
            Thread.sleep(1_000); // the pool's cleanup closes the idle connection
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
