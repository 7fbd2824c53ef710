package io.socktrace.scenario;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS both ways an application meets it: an {@code SSLSocket} that connects itself, and one layered over a plain
 * socket that is already connected ({@code createSocket(socket, host, port, autoClose)}), each making one request
 * to a TLS server and closing through the TLS layer. Argument: a PKCS12 key store (password "changeit") holding
 * the server's key, trusted by the client.
 */
public final class TlsLayers {

    public static void main(String[] args) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[0])) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            System.out.println("port=" + port);
            Thread serving = new Thread(() -> serve(server), "tls-server");
            serving.setDaemon(true);
            serving.start();

            SSLSocketFactory factory = context.getSocketFactory();
            SSLSocket direct = (SSLSocket) factory.createSocket(InetAddress.getLoopbackAddress(), port);
            System.out.println("direct=" + Client.request(direct) + " " + direct.getSession().getProtocol());
            closeDirect(direct);

            Socket plain = Client.connect(port);
            SSLSocket layered = (SSLSocket) factory.createSocket(plain, "localhost", port, true);
            System.out.println("layered=" + Client.request(layered) + " " + layered.getSession().getProtocol());
            closeLayered(layered);
            System.out.println("plainClosed=" + plain.isClosed());
        }
    }

    static void closeDirect(SSLSocket socket) throws IOException {
        socket.close();
    }

    static void closeLayered(SSLSocket socket) throws IOException {
        socket.close();
    }

    static void serve(SSLServerSocket server) {
        for (int i = 0; i < 10; i++) {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                Client.readLine(in);
                client.getOutputStream().write("ok\n".getBytes());
                client.getOutputStream().flush();
                in.read(); // until the client closes
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }
}
