package dev.stmlog.samples.primes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A closed-loop HTTP load generator, like siege or wrk: C keep-alive connections, each sending
 * its next request as soon as the previous answer has arrived. All C connections are driven by
 * <em>one</em> thread on a non-blocking selector, so that on a small machine the generator takes
 * as little CPU as possible away from the server it measures.
 *
 * <p>Requests are {@code GET /primes/<n - k>} with k cycling through 0..15 (a few distinct
 * bodies, as a real site has a few popular pages). Latencies are recorded while
 * {@link #counting(boolean)} is on.
 */
public final class LoadGenerator implements Runnable {

    /** What a run measured. */
    public record Report(int clients, long requests, long errors, double seconds, double p50ms, double p99ms, double p999ms) {
        public String line() {
            return String.format(Locale.ROOT,
                    "load: clients=%d requests=%d errors=%d req_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p99.9_ms=%.3f",
                    clients, requests, errors, seconds > 0 ? requests / seconds : 0, p50ms, p99ms, p999ms);
        }
    }

    private final int port;
    private final int clients;
    private final int n;
    private volatile boolean running = true;
    private volatile boolean counting;
    private long countStart, countEnd;
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private long errors;
    private volatile Throwable failure;

    public LoadGenerator(int port, int clients, int n) {
        this.port = port;
        this.clients = clients;
        this.n = n;
    }

    public void counting(boolean on) {
        if (on) countStart = System.nanoTime();
        else countEnd = System.nanoTime();
        counting = on;
    }

    public void stop() {
        running = false;
    }

    public Throwable failure() {
        return failure;
    }

    /** Called after the generator's thread has ended. */
    public Report report() {
        long[] l = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(l);
        double seconds = (countEnd - countStart) / 1e9;
        return new Report(clients, latencyCount, errors, seconds, pct(l, 0.50), pct(l, 0.99), pct(l, 0.999));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    @Override
    public void run() {
        try (Selector selector = Selector.open()) {
            Client[] cs = new Client[clients];
            for (int i = 0; i < clients; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)); // blocking connect
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                cs[i] = new Client(ch, i);
                cs[i].key = ch.register(selector, SelectionKey.OP_READ, cs[i]);
                cs[i].send();
            }
            while (running) {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    Client c = (Client) k.attachment();
                    if (k.isValid() && k.isWritable()) c.writeMore();
                    if (k.isValid() && k.isReadable()) c.read();
                }
                selector.selectedKeys().clear();
            }
            for (Client c : cs) c.ch.close();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void record(long nanos, boolean ok) {
        if (!counting) return;
        if (!ok) errors++;
        if (latencyCount == latencies.length) latencies = Arrays.copyOf(latencies, latencyCount * 2);
        latencies[latencyCount++] = nanos;
    }

    /** One keep-alive connection: at most one request in flight. */
    private final class Client {
        final SocketChannel ch;
        SelectionKey key;
        int sequence;
        ByteBuffer request;
        long sentAt;
        byte[] in = new byte[64 << 10];
        int inLength;
        int headEnd = -1;   // offset just after the blank line, once seen
        int contentLength;

        Client(SocketChannel ch, int id) {
            this.ch = ch;
            this.sequence = id;
        }

        void send() throws IOException {
            int target = Math.max(0, n - (sequence++ & 15));
            request = ByteBuffer.wrap(("GET /primes/" + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            sentAt = System.nanoTime();
            writeMore();
        }

        void writeMore() throws IOException {
            ch.write(request);
            key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
        }

        void read() throws IOException {
            while (true) {
                if (inLength == in.length) in = Arrays.copyOf(in, in.length * 2);
                int r = ch.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
                if (r < 0) throw new IOException("server closed a keep-alive connection");
                if (r == 0) break;
                inLength += r;
            }
            if (headEnd < 0) findHead();
            if (headEnd >= 0 && inLength >= headEnd + contentLength) {
                boolean ok = in[9] == '2' && in[10] == '0' && in[11] == '0';
                record(System.nanoTime() - sentAt, ok);
                int used = headEnd + contentLength;
                System.arraycopy(in, used, in, 0, inLength - used);
                inLength -= used;
                headEnd = -1;
                if (running) send();
            }
        }

        private void findHead() throws IOException {
            for (int i = 0; i + 3 < inLength; i++) {
                if (in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\r' && in[i + 3] == '\n') {
                    headEnd = i + 4;
                    String head = new String(in, 0, i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                    int at = head.indexOf("\r\ncontent-length:");
                    if (at < 0) throw new IOException("response without content-length");
                    int eol = head.indexOf("\r\n", at + 2);
                    contentLength = Integer.parseInt(head.substring(at + 17, eol < 0 ? head.length() : eol).trim());
                    return;
                }
            }
        }
    }
}
