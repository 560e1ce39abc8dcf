package dev.stmlog.samples.primes;

import dev.stmlog.samples.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PrimesServerTest {
    /** Requests the load generator's test waits for (4 clients, one in flight each). */
    private static final int REQUESTS = 200;

    /** The oracle: a sieve of Eratosthenes, rendered as the expected JSON. */
    static String expected(int n) {
        boolean[] composite = new boolean[n + 1];
        List<Integer> primes = new ArrayList<>();
        for (int i = 2; i <= n; i++) {
            if (composite[i]) continue;
            primes.add(i);
            for (long j = (long) i * i; j <= n; j += i) composite[(int) j] = true;
        }
        StringBuilder sb = new StringBuilder("{\"n\":" + n + ",\"primes\":[");
        for (int i = 0; i < primes.size(); i++) sb.append(i == 0 ? "" : ",").append(primes.get(i));
        return sb.append("]}").toString();
    }

    @ParameterizedTest
    @CsvSource({"STM,2,false", "STM,2,true", "STM,1,false", "SERIAL,1,false", "LOCK,2,false", "LOCK,2,true"})
    void answersAreCorrect(Mode mode, int threads, boolean tuned) throws Exception {
        PrimesApp app = new PrimesApp(mode, tuned);
        try (PrimesServer server = new PrimesServer(app, mode, threads, 0).start();
             RawHttp c = new RawHttp(server.port())) {
            SplittableRandom r = new SplittableRandom(7);
            int[] ns = {0, 1, 2, 3, 4, 10, 97, 100, 1000, 7919, 20000, 1 + r.nextInt(5000), 1 + r.nextInt(50000)};
            for (int n : ns) { // keep-alive: all on one connection
                RawHttp.Response resp = c.get("/primes/" + n);
                assertEquals(200, resp.status(), resp.head());
                assertEquals(expected(n), resp.body(), "n=" + n);
                assertTrue(resp.head().contains("\r\nDate: "), resp.head());
                assertTrue(resp.head().contains("\r\nETag: \""), resp.head());
            }
            assertEquals("{\"message\":\"Hello, World!\"}", c.get("/json").body());
            assertEquals("Hello, World!", c.get("/plaintext").body());
            assertEquals(200, c.get("/primes/10?x=1").status());
            // pipelining: three requests in one write, answered in order
            c.send("GET /primes/10 HTTP/1.1\r\n\r\nGET /plaintext HTTP/1.1\r\n\r\nGET /primes/30 HTTP/1.1\r\n\r\n");
            assertEquals(expected(10), c.read().body());
            assertEquals("Hello, World!", c.read().body());
            assertEquals(expected(30), c.read().body());
            assertNull(server.failure());
            assertEquals(ns.length + 6, app.stats().requests(), "every request is counted once in the statistics");
        }
    }

    @Test
    void survivesMalformedRequests() throws Exception {
        PrimesApp app = new PrimesApp(Mode.STM, false);
        try (PrimesServer server = new PrimesServer(app, Mode.STM, 2, 0).start()) {
            int port = server.port();
            // bad paths and bad n: 404 / 400, connection stays usable
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(404, c.get("/nothing/here").status());
                assertEquals(404, c.get("/primes").status());
                assertEquals(400, c.get("/primes/-5").status());
                assertEquals(400, c.get("/primes/abc").status());
                assertEquals(400, c.get("/primes/").status());
                assertEquals(400, c.get("/primes/99999999999999999999").status());
                assertEquals(400, c.get("/primes/" + (PrimesApp.MAX_N + 1)).status());
                c.send("POST /primes/10 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
                assertEquals(405, c.read().status());
                assertEquals(expected(50), c.get("/primes/50").body());
            }
            // garbage that ends like a head: 400, then the server closes that connection
            String[] garbage = {
                    "\r\n\r\n",
                    "HELLO\r\n\r\n",
                    "GET /primes/10 HTTP/9.9\r\n\r\n",
                    "GET  /primes/10 HTTP/1.1\r\n\r\n",
                    "GET /primes/10 HTTP/1.1\r\nno colon here\r\n\r\n",
                    "GET /primes/10 HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                    "GET /primes/10 HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
                    "GET /primes/10 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "GET /\u0001 HTTP/1.1\r\n\r\n",
            };
            for (String g : garbage) {
                try (RawHttp c = new RawHttp(port)) {
                    c.send(g);
                    RawHttp.Response resp = c.read();
                    assertNotNull(resp, g);
                    assertEquals(400, resp.status(), g);
                    assertTrue(c.closedByServer(), "closed after a malformed request: " + g);
                }
            }
            // random binary garbage, then the peer half-closes: 400 (or nothing), never a crash
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 5; i++) {
                byte[] junk = new byte[1 + r.nextInt(3000)];
                for (int j = 0; j < junk.length; j++) junk[j] = (byte) r.nextInt(256);
                try (RawHttp c = new RawHttp(port)) {
                    c.send(junk);
                    c.socket.shutdownOutput();
                    RawHttp.Response resp = c.read();
                    if (resp != null) assertEquals(400, resp.status());
                    assertTrue(c.closedByServer());
                }
            }
            // a head larger than the limit, without an end: 400
            try (RawHttp c = new RawHttp(port)) {
                c.send("GET /" + "a".repeat(HttpParser.MAX_HEAD + 100));
                assertEquals(400, c.read().status());
            }
            // half-closed after a complete request: still answered, then closed
            try (RawHttp c = new RawHttp(port)) {
                c.send("GET /primes/100 HTTP/1.1\r\n\r\n");
                c.socket.shutdownOutput();
                assertEquals(expected(100), c.read().body());
                assertTrue(c.closedByServer());
            }
            // half-closed in the middle of a request: 400, closed
            try (RawHttp c = new RawHttp(port)) {
                c.send("GET /primes/100 HTTP/1.1\r\nHost: x");
                c.socket.shutdownOutput();
                assertEquals(400, c.read().status());
            }
            // connections opened and dropped without a word
            for (int i = 0; i < 5; i++) new RawHttp(port).close();
            // HTTP/1.0 without keep-alive: answered and closed
            try (RawHttp c = new RawHttp(port)) {
                c.send("GET /json HTTP/1.0\r\n\r\n");
                assertEquals(200, c.read().status());
                assertTrue(c.closedByServer());
            }
            // ... and the server still answers correctly
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(expected(1000), c.get("/primes/1000").body());
                assertEquals("Hello, World!", c.get("/plaintext").body());
            }
            assertNull(server.failure());
        }
    }

    @Test
    void loadGeneratorMeasuresWithoutErrors() throws Exception {
        PrimesApp app = new PrimesApp(Mode.STM, true);
        try (PrimesServer server = new PrimesServer(app, Mode.STM, 2, 0).start()) {
            LoadGenerator gen = new LoadGenerator(server.port(), 4, 2000);
            Thread t = new Thread(gen);
            t.start();
            gen.counting(true);
            server.counting(true);
            // Not a fixed time: until the server has answered REQUESTS requests while counting.
            // Each client has at most one request in flight, so the generator has read (and
            // counted) all but at most one answer per client by then.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.completed() < REQUESTS && gen.failure() == null && server.failure() == null) {
                assertTrue(System.nanoTime() - deadline < 0, "the server answered " + server.completed() + " requests in 60 s");
                Thread.yield();
            }
            server.counting(false);
            gen.counting(false);
            gen.stop();
            t.join(10_000);
            assertFalse(t.isAlive(), "the load generator stopped");
            assertNull(gen.failure());
            assertNull(server.failure());
            LoadGenerator.Report rep = gen.report();
            assertTrue(rep.requests() >= REQUESTS - 4, rep.line());
            assertEquals(0, rep.errors(), rep.line());
            assertTrue(rep.p50ms() <= rep.p99ms() && rep.p99ms() <= rep.p999ms(), rep.line());
            Matcher m = Pattern.compile("^load: clients=4 requests=\\d+ errors=0 req_per_s=[\\d.]+ p50_ms=[\\d.]+ p99_ms=[\\d.]+ p99.9_ms=[\\d.]+$").matcher(rep.line());
            assertTrue(m.matches(), rep.line());
            assertTrue(server.completed() >= REQUESTS, "answered " + server.completed());
        }
    }
}
