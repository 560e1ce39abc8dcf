package dev.stmlog.analyzer.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code record --agent}: where the stmlog agent's jar is, and the command with
 * {@code -javaagent:JAR} inserted after its {@code java}. The analyzer does not depend on the
 * agent module: the jar is found at run time, beside this tool's own jar (an installation), or
 * in the source tree's {@code agent/target} (a build), or where the {@code stmlog.agent.jar}
 * system property says (the tests'), or given as {@code --agent=PATH}.
 */
final class AgentJar {
    static final String NAME = "stmlog-agent.jar";
    static final String PROPERTY = "stmlog.agent.jar";

    private AgentJar() {
    }

    /** The jar: {@code explicit} when given (not empty), else the first that exists of {@link #candidates()}. */
    static Path locate(String explicit) {
        if (explicit != null && !explicit.isEmpty()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) throw new UsageException("--agent=" + explicit + ": no such file");
            return p.toAbsolutePath().normalize();
        }
        return locate(candidates());
    }

    /** The first of {@code tried} that exists; a usage error naming them when none does. */
    static Path locate(List<Path> tried) {
        for (Path p : tried) {
            if (Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        }
        throw new UsageException("--agent: no " + NAME + " found (looked for "
                + String.join(", ", tried.stream().map(Path::toString).toList())
                + "); build it with mvn -pl agent -am package, or give it with --agent=PATH");
    }

    /** Where the jar is looked for, in order. */
    static List<Path> candidates() {
        Set<Path> out = new LinkedHashSet<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) out.add(Path.of(property).toAbsolutePath().normalize());
        Path home = ownLocation();
        if (home != null) {
            // analyzer/target/stmlog.jar, or analyzer/target/classes: either way, target is the parent
            Path dir = home.getParent();
            if (dir != null) {
                out.add(dir.resolve(NAME).normalize());
                Path module = dir.getParent();
                if (module != null && module.getParent() != null) {
                    out.add(module.getParent().resolve("agent").resolve("target").resolve(NAME).normalize());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** This tool's jar (or classes directory); null when it cannot be told. */
    private static Path ownLocation() {
        try {
            var source = AgentJar.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code command} with {@code -javaagent:jar} after its first word, which must be a
     * {@code java} launcher ({@code java}, or a path ending in {@code /java}).
     */
    static List<String> insert(List<String> command, Path jar) {
        String launcher = command.get(0);
        String name = Path.of(launcher).getFileName() == null ? launcher : Path.of(launcher).getFileName().toString();
        if (!name.equals("java") && !name.equals("java.exe")) {
            throw new UsageException("--agent: COMMAND must start with java (it starts with " + launcher + ")");
        }
        List<String> out = new ArrayList<>(command.size() + 1);
        out.add(launcher);
        out.add("-javaagent:" + jar);
        out.addAll(command.subList(1, command.size()));
        return out;
    }
}
