package dev.stmlog.analyzer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the tool needs to know about where it runs: the environment variables, and whether
 * stdout and stderr are terminals. Tests make their own.
 */
public record Environment(Map<String, String> variables, boolean stdoutTerminal, boolean stderrTerminal) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** The real one. */
    public static Environment system() {
        return new Environment(System.getenv(), isTerminal(1), isTerminal(2));
    }

    /** No terminals: what tests and pipes see. */
    public static Environment plain(Map<String, String> variables) {
        return new Environment(variables, false, false);
    }

    public String get(String name) {
        return variables.get(name);
    }

    /** Colour only for a terminal, and never when {@code NO_COLOR} is set (https://no-color.org). */
    public boolean color() {
        String noColor = variables.get("NO_COLOR");
        return stdoutTerminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(variables.get("TERM"));
    }

    /**
     * Whether file descriptor {@code fd} is a terminal. Java has no isatty: on Linux the
     * descriptor's link names the device; elsewhere a console means stdin and stdout are
     * terminals, which is the best guess there is.
     */
    private static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (Exception e) {
            // fall through
        }
        return System.console() != null;
    }
}
