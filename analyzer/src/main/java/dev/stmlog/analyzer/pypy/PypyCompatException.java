package dev.stmlog.analyzer.pypy;

/**
 * A condition on which the original script stops (a Python exception), or on which stmlog
 * cannot go on either (a file that is not a PyPy-STM log, an empty one). The message is the last
 * line of the traceback Python would print, for example {@code AssertionError} or
 * {@code ValueError: wrong format in file 'x.stmlog'}; the CLI prints it and exits with status 1.
 */
public final class PypyCompatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pythonType;
    private final String detail;
    private final long offset;

    /**
     * @param pythonType the Python exception class name, e.g. {@code ValueError}
     * @param detail     the Python message, or empty (a bare {@code assert})
     * @param offset     byte offset of the record that caused it, or -1
     */
    public PypyCompatException(String pythonType, String detail, long offset) {
        super(detail.isEmpty() ? pythonType : pythonType + ": " + detail);
        this.pythonType = pythonType;
        this.detail = detail;
        this.offset = offset;
    }

    public String pythonType() {
        return pythonType;
    }

    public String detail() {
        return detail;
    }

    /** Byte offset of the offending record, or -1 when not tied to one. */
    public long offset() {
        return offset;
    }
}
