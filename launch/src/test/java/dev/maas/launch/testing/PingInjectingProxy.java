package dev.maas.launch.testing;

import io.grpc.stub.StreamObserver;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A loopback TCP relay in front of an HTTP/2 server that, once the client has opened its first
 * stream, slips a burst of PING frames into the client's byte stream: a client pinging far more
 * often than the server permits, as a misconfigured keepalive or a ping flood would. Everything
 * else passes through untouched. grpc-java clients cannot be made to ping this often themselves
 * (they clamp keepalive time to at least 10 s).
 */
public final class PingInjectingProxy implements AutoCloseable {

  private static final int PREFACE_BYTES = 24;
  private static final int FRAME_HEADER_BYTES = 9;
  private static final int HEADERS = 0x1;
  private static final int PING = 0x6;

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final int pings;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private PingInjectingProxy(InetSocketAddress upstream, int pings) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstream = upstream;
    this.pings = pings;
    Thread acceptor = new Thread(this::acceptLoop, "ping-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a relay to {@code 127.0.0.1:port} that injects {@code pings} PING frames. */
  public static PingInjectingProxy start(int port, int pings) throws IOException {
    return new PingInjectingProxy(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), pings);
  }

  /** The relay's port. */
  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(client);
        sockets.add(server);
        daemon(() -> copy(server.getInputStream(), client.getOutputStream()), client, server);
        daemon(
            () -> relayInjecting(client.getInputStream(), server.getOutputStream()),
            client,
            server);
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Copies the client's preface and frames, and after its first HEADERS frame sends the pings. */
  private void relayInjecting(InputStream fromClient, OutputStream toServer) throws IOException {
    DataInputStream in = new DataInputStream(fromClient);
    byte[] preface = new byte[PREFACE_BYTES];
    in.readFully(preface);
    toServer.write(preface);
    boolean injected = false;
    byte[] header = new byte[FRAME_HEADER_BYTES];
    while (true) {
      in.readFully(header);
      int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      toServer.write(header);
      toServer.write(payload);
      if (!injected && header[3] == HEADERS) {
        for (int i = 0; i < pings; i++) {
          toServer.write(pingFrame(i));
        }
        injected = true;
      }
      toServer.flush();
    }
  }

  /**
   * Opens a call with {@code open} (a streaming call through the proxy, say) and waits up to 30 s
   * until the server ends it.
   *
   * @return how it ended: its error, or null when it completed
   */
  public static <T> Throwable awaitEnd(Consumer<StreamObserver<T>> open) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    open.accept(
        new StreamObserver<T>() {
          @Override
          public void onNext(T value) {}

          @Override
          public void onError(Throwable t) {
            ended.complete(t);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        });
    return ended.get(30, TimeUnit.SECONDS);
  }

  private static byte[] pingFrame(long data) {
    byte[] frame = new byte[FRAME_HEADER_BYTES + 8];
    frame[2] = 8; // payload length
    frame[3] = PING;
    for (int i = 0; i < 8; i++) {
      frame[FRAME_HEADER_BYTES + i] = (byte) (data >>> (56 - 8 * i));
    }
    return frame;
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
      out.flush();
    }
    out.close();
  }

  /** Runs one direction of a connection; when it ends, both sockets of the connection close. */
  private static void daemon(IoTask task, Socket client, Socket server) {
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (IOException e) {
                // The connection closed: the relay ends with it.
              } finally {
                closeQuietly(client);
                closeQuietly(server);
              }
            },
            "ping-proxy-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(PingInjectingProxy::closeQuietly);
  }

  @FunctionalInterface
  private interface IoTask {
    void run() throws IOException;
  }
}
