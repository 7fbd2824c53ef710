package io.socktrace.scenario;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code HttpURLConnection} against a keep-alive server that drops idle connections: two GETs share one cached
 * connection; the server drops it while idle; the third GET is written on the stale connection, reads end of
 * stream, and the JDK closes it and retries on a new one, which the server later drops as well (the client's
 * keep-alive cache does not notice: that connection is still open at exit).
 */
public final class HttpUrlConnectionKeepAlive {

    public static void main(String[] args) throws Exception {
        try (KeepAliveHttpServer server = new KeepAliveHttpServer()) {
            System.out.println("port=" + server.port());
            URL url = new URL("http://127.0.0.1:" + server.port() + "/");
            List<String> answers = new ArrayList<>();
            answers.add(get(url));
            answers.add(get(url));
            JdkHttpClientKeepAlive.awaitIdleDrop(server, 1);
            answers.add(get(url));
            JdkHttpClientKeepAlive.awaitIdleDrop(server, 2);
            System.out.println("answers=" + answers);
        }
    }

    /** One GET, body read to the end and the stream closed, so the connection goes back to the keep-alive cache. */
    static String get(URL url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        int status = connection.getResponseCode();
        try (InputStream body = connection.getInputStream()) {
            return status + " " + new String(body.readAllBytes(), "US-ASCII");
        }
    }
}
