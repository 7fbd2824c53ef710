package io.socktrace.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS both ways an application meets it: an {@code SSLSocket} that connects itself, and one layered over a plain
 * socket that is already connected ({@code createSocket(socket, host, port, autoClose)}), each making one request
 * to a TLS server and closing through the TLS layer. The layered one speaks TLS 1.2, whose client reads the last
 * handshake record (the server's Finished) before it writes its request, and the direct one TLS 1.3. Argument: a
 * PKCS12 key store (password "changeit") holding the server's key, trusted by the client.
 */
public final class TlsLayers {

    public static void main(String[] args) throws Exception {
        SSLContext context = TestTls.context(args[0]);

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
            layered.setEnabledProtocols(new String[] {"TLSv1.2"});
            System.out.println("layered=" + Client.request(layered) + " " + layered.getSession().getProtocol());
            closeLayered(layered);
            System.out.println("plainClosed=" + plain.isClosed());
            serving.join(10_000); // the server side has closed both before the report at exit
        }
    }

    static void closeDirect(SSLSocket socket) throws IOException {
        socket.close();
    }

    static void closeLayered(SSLSocket socket) throws IOException {
        socket.close();
    }

    /** Serves the two connections of the scenario, each until its client closes. */
    static void serve(SSLServerSocket server) {
        for (int i = 0; i < 2; i++) {
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
