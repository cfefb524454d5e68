package org.mlflowharness.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every TCP connection accepted on one address to one target, and nowhere else: the only door out of a
 * {@link NetworkNamespace}. Bytes are relayed as they come (64 KiB buffers, two daemon threads per connection), so a
 * 600 MiB upload costs no memory. {@link #close()} stops accepting and closes every open connection.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    private TcpForwarder(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on {@code listen} and forwards to {@code target}. */
    public static TcpForwarder start(InetSocketAddress listen, InetSocketAddress target) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(listen);
            TcpForwarder f = new TcpForwarder(server, target);
            Thread t = new Thread(f::acceptLoop, "forward-" + listen.getPort());
            t.setDaemon(true);
            t.start();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listen + " to forward to " + target, e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                try {
                    out.connect(target, 5000);
                } catch (IOException e) {
                    in.close();
                    continue;
                }
                synchronized (open) {
                    if (closed) {
                        in.close();
                        out.close();
                        return;
                    }
                    open.add(in);
                    open.add(out);
                }
                relay(in, out);
                relay(out, in);
            } catch (IOException e) {
                if (!closed) {
                    Poll.sleep(50);
                }
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                        }
                        to.shutdownOutput();
                    } catch (IOException e) {
                        closeQuietly(to);
                    } finally {
                        closeQuietly(from);
                        synchronized (open) {
                            open.remove(from);
                        }
                    }
                },
                "relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        synchronized (open) {
            open.forEach(TcpForwarder::closeQuietly);
            open.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
