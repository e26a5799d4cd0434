package dev.stockroom.platform.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards a fixed local port to the embedded broker's own, so that tools can bootstrap from a documented address.
 *
 * <p>Why: the test kit binds the broker to a port of its choosing (it pre-binds its sockets and ignores the port in
 * {@code listeners}). A Kafka client only bootstraps through this port; the metadata it receives names the broker's
 * real address on the same host, which it then connects to directly.
 */
final class PortForwarder {

    private PortForwarder() {
    }

    static void start(int port, String target) throws IOException {
        String[] hostPort = target.split(",")[0].split(":");
        InetSocketAddress broker = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        daemon("embedded-kafka-forward-" + port, () -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(broker.getHostString(), broker.getPort());
                    daemon("embedded-kafka-forward-in", () -> pipe(client, upstream));
                    daemon("embedded-kafka-forward-out", () -> pipe(upstream, client));
                } catch (IOException e) {
                    // One failed connection does not stop the forwarder; a closed server socket does.
                }
            }
        });
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The other side closed.
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
