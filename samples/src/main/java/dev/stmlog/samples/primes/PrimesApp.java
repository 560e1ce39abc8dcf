package dev.stmlog.samples.primes;

import dev.stmlog.runtime.Stm;
import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Shared;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The web application: routes a request to its answer, then does what a web framework does
 * around every response (ETag, Date header, request statistics).
 *
 * <p>The default build does those three things the natural way, and each one is a shared-state
 * conflict that {@code stmlog top} reveals (the numbers match the README):
 * <ol>
 *   <li><b>ETag cache</b>: the ETag of a body comes from a shared cache ({@code TMap} labelled
 *       {@code etag.cache}) keyed by the body's hash, whose entries count their uses (for LRU
 *       eviction). Two requests answering the same body write the same entry: conflict.</li>
 *   <li><b>request statistics</b>: every request adds itself to one shared record
 *       ({@code Ref} labelled {@code stats}). Every pair of concurrent requests conflicts on it,
 *       and the loser re-runs the whole request, primes included.</li>
 *   <li><b>the clock</b>: the Date header reads the time through an inevitable call
 *       ({@code Stm.inevitable()} then {@code System.currentTimeMillis()}, as PyPy-STM did for
 *       {@code time.time()}): one inevitable transaction at a time, and writers wait for it.</li>
 * </ol>
 * {@code --tuned} removes them the way {@code stmlog top}'s hints suggest: the ETag is computed
 * from the hash alone (no shared cache); statistics are a commutative update
 * ({@code Ref.commute}: applied at commit to the then-current record, so concurrent requests
 * never conflict on it); the clock is read before the transactions, once per batch by the
 * loop, and handed to them ({@link Request#clock()}).
 */
public final class PrimesApp {

    /** Largest n accepted by /primes/n: bounds the work one request can ask for. */
    public static final int MAX_N = 200_000;

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO_JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    /** Request statistics: immutable, so a Ref holds a consistent whole. */
    public record Stats(long requests, long ok, long errors, long bytes) {
        static final Stats ZERO = new Stats(0, 0, 0, 0);

        Stats plus(int status, long size) {
            return new Stats(requests + 1, ok + (status < 400 ? 1 : 0), errors + (status >= 400 ? 1 : 0), bytes + size);
        }
    }

    /** An ETag cache entry; {@code uses} feeds the (not shown) eviction policy. */
    record CachedTag(String tag, long uses) {
        CachedTag used() {
            return new CachedTag(tag, uses + 1);
        }
    }

    private final boolean tuned;
    private final Shared.Cell<Stats> stats;
    private final Shared.Table<Integer, CachedTag> etags;

    public PrimesApp(Mode mode, boolean tuned) {
        this.tuned = tuned;
        this.stats = Shared.cell(mode, Stats.ZERO, "stats");
        this.etags = Shared.table(mode, "etag.cache");
    }

    public boolean tuned() {
        return tuned;
    }

    /**
     * Handles one request: the callback the event loop dispatches. In stm mode it runs as one
     * transaction of a {@code TransactionQueue} batch and may run several times.
     */
    public Request.Response handle(Request req) {
        Body body = route(req);
        int hash = hash(body.bytes);
        String etag;
        String date;
        if (!tuned) {
            // (1) The ETag from a shared cache, whose entry is written on every use.
            CachedTag cached = etags.lookup().apply(hash);
            CachedTag entry = cached == null ? new CachedTag(tagOf(hash), 1) : cached.used();
            etags.store().accept(hash, entry);
            etag = entry.tag();
            // (2) Request statistics in one shared record.
            stats.update(s -> s.plus(body.status, body.bytes.length));
            // (3) The clock, through an inevitable call (a no-op outside a transaction).
            Stm.inevitable();
            date = HTTP_DATE.format(Instant.ofEpochMilli(System.currentTimeMillis()));
        } else {
            etag = tagOf(hash);                                      // (1) no shared cache
            stats.commute(s -> s.plus(body.status, body.bytes.length)); // (2) never conflicts
            date = HTTP_DATE.format(Instant.ofEpochMilli(req.clock)); // (3) clock read before
        }
        return new Request.Response(body.status, message(body, etag, date, req.keepAlive));
    }

    public Stats stats() {
        return stats.get();
    }

    private record Body(int status, String type, byte[] bytes) {
    }

    /** The application proper: pure functions of the request. */
    private static Body route(Request req) {
        if (req.error != null) return error(400, req.error);
        if (!req.method.equals("GET")) return error(405, "method not allowed");
        String path = req.target;
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        if (path.equals("/plaintext")) return new Body(200, "text/plain", HELLO);
        if (path.equals("/json")) return new Body(200, "application/json", HELLO_JSON);
        if (path.startsWith("/primes/")) {
            String arg = path.substring("/primes/".length());
            if (arg.isEmpty() || arg.length() > 7 || !arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return error(400, "n must be an integer 0.." + MAX_N);
            }
            int n = Integer.parseInt(arg);
            if (n > MAX_N) return error(400, "n must be an integer 0.." + MAX_N);
            return new Body(200, "application/json", Primes.json(n, Primes.upTo(n)).getBytes(StandardCharsets.US_ASCII));
        }
        return error(404, "not found");
    }

    private static Body error(int status, String message) {
        String json = "{\"error\":\"" + message.replace("\"", "'") + "\"}";
        return new Body(status, "application/json", json.getBytes(StandardCharsets.US_ASCII));
    }

    private static int hash(byte[] b) {
        int h = 0x811C9DC5; // FNV-1a
        for (byte x : b) h = (h ^ (x & 0xff)) * 0x01000193;
        return h;
    }

    private static String tagOf(int hash) {
        return "\"" + Integer.toHexString(hash) + "\"";
    }

    private static byte[] message(Body body, String etag, String date, boolean keepAlive) {
        String head = "HTTP/1.1 " + body.status + " " + reason(body.status) + "\r\n"
                + "Server: stmlog-primes\r\n"
                + "Date: " + date + "\r\n"
                + "Content-Type: " + body.type + "\r\n"
                + "Content-Length: " + body.bytes.length + "\r\n"
                + "ETag: " + etag + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.bytes.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body.bytes, 0, out, h.length, body.bytes.length);
        return out;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Error";
        };
    }
}
