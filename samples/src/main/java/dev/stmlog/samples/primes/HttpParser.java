package dev.stmlog.samples.primes;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A small, strict HTTP/1.x request parser for the event loop. It never throws on input: bytes
 * that are not a request become a {@link Request#malformed} request (answered with 400, then
 * the connection is closed, since the stream can no longer be trusted to be in sync).
 */
final class HttpParser {
    static final int MAX_HEAD = 8192;
    static final int MAX_BODY = 8192;

    /** One parsed request and the bytes it used. */
    record Parsed(Request request, int consumed) {
    }

    private HttpParser() {
    }

    /** Parses one request from {@code b[from, to)}; null if more bytes are needed. */
    static Parsed parse(byte[] b, int from, int to, Object conn) {
        int limit = Math.min(to, from + MAX_HEAD);
        int end = -1;
        for (int i = from; i + 3 < limit; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return to - from >= MAX_HEAD ? bad(conn, "request head larger than " + MAX_HEAD + " bytes", to - from) : null;
        }
        int headLength = end + 4 - from;
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f) {
                return bad(conn, "control character in request head", headLength);
            }
        }
        String[] lines = new String(b, from, end - from, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String[] parts = lines[0].split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || !parts[1].startsWith("/")) {
            return bad(conn, "bad request line", headLength);
        }
        String version = parts[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return bad(conn, "unsupported protocol version", headLength);
        }
        String connection = "";
        long contentLength = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return bad(conn, "bad header line", headLength);
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "connection" -> connection = value.toLowerCase(Locale.ROOT);
                case "transfer-encoding" -> {
                    return bad(conn, "request bodies with transfer-encoding are not supported", headLength);
                }
                case "content-length" -> {
                    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                        return bad(conn, "bad content-length", headLength);
                    }
                    contentLength = Long.parseLong(value);
                    if (contentLength > MAX_BODY) return bad(conn, "request body too large", headLength);
                }
                default -> {
                }
            }
        }
        if (to - from < headLength + contentLength) {
            return null; // the body (ignored, but consumed) is not all here yet
        }
        boolean keepAlive = version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
        return new Parsed(new Request(conn, parts[0], parts[1], null, keepAlive), headLength + (int) contentLength);
    }

    private static Parsed bad(Object conn, String why, int consumed) {
        return new Parsed(Request.malformed(conn, why), consumed);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) return false;
        }
        return true;
    }
}
