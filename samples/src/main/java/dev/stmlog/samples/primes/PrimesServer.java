package dev.stmlog.samples.primes;

import dev.stmlog.runtime.TransactionQueue;
import dev.stmlog.samples.Marks;
import dev.stmlog.samples.Mode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 server on a single-threaded, non-blocking event loop (a {@link Selector}), in the
 * style of Tornado. The loop does all the I/O: it accepts, reads and parses requests, and
 * writes responses. What it does <em>not</em> do itself is run the application's callbacks:
 * each loop iteration gathers the requests that became ready and hands them over as one batch:
 * <ul>
 *   <li>stm: {@code queue.add(callback)} for each, then {@code queue.run()}: the callbacks run
 *       as transactions on the queue's worker threads, like {@code transaction.add()} /
 *       {@code transaction.run()} in the PyPy-STM experiment;</li>
 *   <li>serial: the loop runs them itself, one after another (plain Tornado);</li>
 *   <li>lock: N pool threads run them, each under the one global lock.</li>
 * </ul>
 * Then the loop writes the responses, in request order per connection (keep-alive and
 * pipelining work). A malformed request gets a 400 and its connection is closed after the
 * answer; the server itself carries on.
 */
public final class PrimesServer implements AutoCloseable {

    private final PrimesApp app;
    private final Mode mode;
    private final int threads;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Thread loop;
    private final TransactionQueue queue;   // stm
    private final ExecutorService pool;     // lock
    private volatile boolean running = true;
    private volatile boolean counting;
    private volatile long completed;        // written by the loop only
    private volatile long batches, batched; // batches dispatched while counting, and their requests
    private volatile long dispatchNanos;    // time the loop spent waiting for batches (while counting)
    private volatile long iterations;       // loop iterations finished (written by the loop only)
    private volatile Throwable failure;

    public PrimesServer(PrimesApp app, Mode mode, int threads, int port) throws IOException {
        this.app = app;
        this.mode = mode;
        this.threads = mode == Mode.SERIAL ? 1 : threads;
        this.queue = mode == Mode.STM ? new TransactionQueue(threads) : null;
        this.pool = mode == Mode.LOCK ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lock-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 512);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::runLoop, "primes-event-loop");
    }

    public PrimesServer start() {
        loop.start();
        return this;
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    /**
     * Count (and mark) completed requests from now on, or stop counting. Stopping returns once the
     * loop has finished the iteration under way, which may have read the flag before it changed
     * and still be marking its batch (up to 16 responses, a few percent of a one-second run):
     * after it returns, no request is counted or marked any more, so the end of the measured
     * window can be marked after the last counted one.
     */
    public void counting(boolean on) throws InterruptedException {
        counting = on;
        if (on) return;
        long seen = iterations;
        selector.wakeup();
        while (iterations == seen && loop.isAlive()) Thread.sleep(1);
    }

    /** Requests answered while counting (each one was also marked as an "op"). */
    public long completed() {
        return completed;
    }

    /** Mean number of requests per dispatched batch (while counting). */
    public double meanBatch() {
        long b = batches;
        return b == 0 ? 0 : batched / (double) b;
    }

    /** Seconds the loop spent inside dispatch (running callbacks), while counting. */
    public double dispatchSeconds() {
        return dispatchNanos / 1e9;
    }

    public int threads() {
        return threads;
    }

    /** The loop's failure, if it died (it should not: tests check this). */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) closeQuietly(k);
        selector.close();
        server.close();
        if (queue != null) queue.close();
        if (pool != null) pool.shutdownNow();
    }

    // ---------------------------------------------------------------- the event loop

    private void runLoop() {
        List<Request> batch = new ArrayList<>();
        Set<Connection> touched = new LinkedHashSet<>();
        try {
            while (running) {
                selector.select(100);
                handleReady(batch, touched);
                // Gather: requests of other clients often arrive a few microseconds apart;
                // one more non-blocking look puts them in this batch instead of the next one,
                // so that the workers get a full batch (queue.run() is a barrier).
                for (int pass = 0, before = -1; pass < 4 && batch.size() > before && !batch.isEmpty(); pass++) {
                    before = batch.size();
                    selector.selectNow();
                    handleReady(batch, touched);
                }
                if (!batch.isEmpty()) {
                    // Tuned: the clock is read here, once per batch, outside the transactions.
                    long now = System.currentTimeMillis();
                    for (Request r : batch) r.clock = now;
                    long t0 = System.nanoTime();
                    dispatch(batch);
                    long took = System.nanoTime() - t0;
                    boolean count = counting;
                    if (count) {
                        batches++;
                        batched += batch.size();
                        dispatchNanos += took;
                    }
                    for (Request r : batch) {
                        Request.Response resp = r.response;
                        ((Connection) r.connection).send(resp.bytes(), !r.keepAlive);
                        if (count) {
                            completed++;   // only this thread writes it
                            Marks.op();    // outside any transaction: exactly once per response
                        }
                    }
                    batch.clear();
                }
                for (Connection c : touched) c.flush();
                touched.clear();
                iterations++;
            }
        } catch (Throwable t) {
            failure = t;
            t.printStackTrace();
        }
    }

    /** Accepts, reads and parses what the last select found ready. */
    private void handleReady(List<Request> batch, Set<Connection> touched) throws IOException {
        for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) continue;
            if (key.isAcceptable()) {
                accept();
                continue;
            }
            Connection c = (Connection) key.attachment();
            if (key.isWritable()) touched.add(c);
            if (key.isReadable()) {
                c.read(batch);
                touched.add(c);
            }
        }
        selector.selectedKeys().clear();
    }

    /** Runs the batch's callbacks according to the mode; returns when all have answered. */
    private void dispatch(List<Request> batch) throws InterruptedException {
        switch (mode) {
            case STM -> {
                for (Request r : batch) queue.add(() -> r.response = app.handle(r));
                queue.run();
            }
            case SERIAL -> {
                for (Request r : batch) r.response = app.handle(r);
            }
            case LOCK -> {
                CountDownLatch done = new CountDownLatch(batch.size());
                for (Request r : batch) {
                    pool.execute(() -> {
                        try {
                            r.response = Mode.LOCK.tx().atomic(() -> app.handle(r));
                        } finally {
                            done.countDown();
                        }
                    });
                }
                done.await();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        }
    }

    private static void closeQuietly(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One client connection: its input buffer and its queue of responses to write. */
    private static final class Connection {
        private static final int MAX_QUEUED = 64; // stop reading while this many answers wait

        final SocketChannel ch;
        SelectionKey key;
        byte[] in = new byte[4096];
        int inLength;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        int pendingRequests;  // parsed, not yet answered
        boolean inputDone;    // peer closed its side, or input is no longer trusted
        boolean closeAfterWrite;

        Connection(SocketChannel ch) {
            this.ch = ch;
        }

        void read(List<Request> batch) {
            if (inputDone) return;
            try {
                while (true) {
                    if (inLength == in.length) {
                        if (in.length >= 2 * (HttpParser.MAX_HEAD + HttpParser.MAX_BODY)) break; // parse first
                        in = Arrays.copyOf(in, in.length * 2);
                    }
                    int n = ch.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
                    if (n < 0) {
                        inputDone = true;
                        break;
                    }
                    if (n == 0) break;
                    inLength += n;
                }
            } catch (IOException e) { // reset by peer...
                inputDone = true;
                closeAfterWrite = true;
            }
            int pos = 0;
            while (!closeAfterWrite) {
                HttpParser.Parsed p = HttpParser.parse(in, pos, inLength, this);
                if (p == null) break;
                pos += p.consumed();
                batch.add(p.request());
                pendingRequests++;
                if (p.request().error != null || !p.request().keepAlive) {
                    closeAfterWrite = true; // nothing after it will be read
                    inputDone = true;
                }
            }
            System.arraycopy(in, pos, in, 0, inLength - pos);
            inLength -= pos;
            if (inputDone && !closeAfterWrite && inLength > 0) {
                // the peer closed in the middle of a request: answer 400, then close
                batch.add(Request.malformed(this, "incomplete request"));
                pendingRequests++;
                inLength = 0;
                closeAfterWrite = true;
            }
        }

        void send(byte[] bytes, boolean thenClose) {
            out.add(ByteBuffer.wrap(bytes));
            pendingRequests--;
            if (thenClose) closeAfterWrite = true;
        }

        /** Writes what it can; arranges to be woken to write more or read more; closes when done. */
        void flush() {
            if (!key.isValid()) return;
            try {
                while (!out.isEmpty()) {
                    ByteBuffer b = out.peek();
                    ch.write(b);
                    if (b.hasRemaining()) break;
                    out.poll();
                }
            } catch (IOException e) {
                closeQuietly(key);
                return;
            }
            boolean finished = pendingRequests == 0 && out.isEmpty();
            if (finished && (closeAfterWrite || inputDone)) {
                closeQuietly(key);
                return;
            }
            int ops = 0;
            if (!out.isEmpty()) ops |= SelectionKey.OP_WRITE;
            if (!inputDone && out.size() < MAX_QUEUED) ops |= SelectionKey.OP_READ;
            key.interestOps(ops);
        }
    }
}
