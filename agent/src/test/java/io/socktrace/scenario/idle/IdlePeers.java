package io.socktrace.scenario.idle;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Clients reusing keep-alive connections to servers that close them after {@value #IDLE_MILLIS} ms idle, one server
 * per client: a blocking socket reuses each connection after {@value #SHORT_MILLIS} and {@value #MIDDLE_MILLIS} ms
 * (answered), then after {@value #BEYOND_MILLIS} ms (the server closed it meanwhile: stale reuse); Apache HttpClient
 * 4 and OkHttp reuse connections after {@value #SHORT_MILLIS} ms (answered) and after {@value #LONG_MILLIS} ms (stale
 * reuse, which both libraries retry on a new connection); a selector-driven channel and the JDK HttpClient wait, reading, and see the server's
 * close as it comes.
 */
public final class IdlePeers {

    static final int IDLE_MILLIS = 600;
    static final int SHORT_MILLIS = 100;
    static final int LONG_MILLIS = 1_500;
    /** The blocking socket's gaps between: bounds closer to the server's timeout. */
    static final int MIDDLE_MILLIS = 300;
    static final int BEYOND_MILLIS = 900;
    static final int ROUNDS = 3;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String only = args.length > 0 ? args[0] : "all";
        for (String client : new String[] {"socket", "nio", "jdk", "apache", "okhttp"}) {
            if (!only.equals("all") && !only.contains(client)) {
                continue;
            }
            try (IdleClosingHttpServer server = new IdleClosingHttpServer(IDLE_MILLIS)) {
                System.out.println(client + "Port=" + server.port());
                int answered = run(client, server.port());
                System.out.println(client + "Answered=" + answered);
            }
        }
    }

    private static int run(String client, int port) throws Exception {
        switch (client) {
            case "socket": return socket(port);
            case "nio": return nio(port);
            case "jdk": return jdk(port);
            case "apache": return apache(port);
            default: return okHttp(port);
        }
    }

    /** Each round a connection: answered after a short gap, then its request after a long gap meets the close. */
    private static int socket(int port) throws Exception {
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.setSoTimeout(10_000);
                answered += exchange(socket) ? 1 : 0;
                Thread.sleep(SHORT_MILLIS);
                answered += exchange(socket) ? 1 : 0;
                Thread.sleep(MIDDLE_MILLIS);
                answered += exchange(socket) ? 1 : 0;
                Thread.sleep(BEYOND_MILLIS);
                answered += exchange(socket) ? 1 : 0; // the write succeeds; the read finds the close
            }
        }
        return answered;
    }

    private static boolean exchange(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(REQUEST);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] answer = new byte[4096];
        int total = 0;
        for (int i = 0; i < 100; i++) { // until the body "ok" or the end of stream
            int n = in.read(answer, total, answer.length - total);
            if (n < 0) {
                return false;
            }
            total += n;
            if (new String(answer, 0, total, StandardCharsets.US_ASCII).endsWith("\r\n\r\nok")) {
                return true;
            }
        }
        return false;
    }

    /** A selector-driven channel that keeps reading while idle, so that it sees the server's close at once. */
    private static int nio(int port) throws Exception {
        int answered = 0;
        try (Selector selector = Selector.open()) {
            for (int round = 0; round < ROUNDS; round++) {
                try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    channel.configureBlocking(false);
                    SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                    channel.write(ByteBuffer.wrap(REQUEST));
                    ByteBuffer buffer = ByteBuffer.allocate(4096);
                    for (int i = 0; i < 1_000; i++) { // answer, then the close, each seen when it comes
                        selector.select(10_000);
                        selector.selectedKeys().clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        if (n > 0 && buffer.position() >= 2) {
                            answered++;
                            buffer.clear();
                        }
                    }
                    key.cancel();
                }
                selector.selectNow();
            }
        }
        return answered;
    }

    /** The JDK HttpClient keeps reading its idle connections and drops each as the server closes it. */
    private static int jdk(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            answered += client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200 ? 1 : 0;
            Thread.sleep(SHORT_MILLIS);
            answered += client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200 ? 1 : 0;
            Thread.sleep(LONG_MILLIS);
        }
        return answered;
    }

    /** Apache HttpClient 4 checks idle connections only after 2 s (validateAfterInactivity): it reuses stale ones. */
    private static int apache(int port) throws Exception {
        int answered = 0;
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            HttpGet get = new HttpGet("http://127.0.0.1:" + port + "/");
            answered += apacheGet(client, get);
            for (int round = 0; round < ROUNDS; round++) {
                Thread.sleep(SHORT_MILLIS);
                answered += apacheGet(client, get);
                Thread.sleep(LONG_MILLIS);
                answered += apacheGet(client, get); // NoHttpResponseException inside, retried on a new connection
            }
        }
        return answered;
    }

    private static int apacheGet(CloseableHttpClient client, HttpGet get) throws Exception {
        try (CloseableHttpResponse response = client.execute(get)) {
            EntityUtils.consume(response.getEntity());
            return response.getStatusLine().getStatusCode() == 200 ? 1 : 0;
        }
    }

    /** OkHttp checks idle connections thoroughly only after 10 s: it reuses stale ones and retries. */
    private static int okHttp(int port) throws Exception {
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/").build();
        int answered = okHttpGet(client, request);
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(SHORT_MILLIS);
            answered += okHttpGet(client, request);
            Thread.sleep(LONG_MILLIS);
            answered += okHttpGet(client, request);
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        return answered;
    }

    private static int okHttpGet(OkHttpClient client, Request request) throws Exception {
        try (Response response = client.newCall(request).execute()) {
            response.body().string();
            return response.code() == 200 ? 1 : 0;
        }
    }
}
