package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the source text of a frame's line under some directories: first at the path its
 * package names ({@code dev/x/Foo.java} under a directory), then anywhere under the directories
 * by file name. Files are read once and kept; a missing file or line gives null.
 */
public final class SourceLines {
    private static final int MAX_DEPTH = 32;

    private final List<Path> dirs;
    private final Map<Path, List<String>> files = new HashMap<>();
    private Map<String, Path> byName;

    public SourceLines(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** The text of {@code frame}'s line, or null when it cannot be found. */
    public String line(Frame frame) {
        if (frame.line() < 1 || dirs.isEmpty()) return null;
        String name = frame.file() != null ? frame.file() : outerClass(frame.className()) + ".java";
        if (name.contains("/") || name.contains("\\")) name = Path.of(name).getFileName().toString();
        Path file = find(packagePath(frame.className()), name);
        if (file == null) return null;
        List<String> lines = lines(file);
        return lines == null || frame.line() > lines.size() ? null : lines.get(frame.line() - 1).strip();
    }

    private Path find(String pkgPath, String name) {
        for (Path d : dirs) {
            Path p = pkgPath.isEmpty() ? d.resolve(name) : d.resolve(pkgPath).resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        if (byName == null) byName = index();
        return byName.get(name);
    }

    /** Every file under the directories by name; the first found (in sorted walk order) wins. */
    private Map<String, Path> index() {
        Map<String, Path> index = new HashMap<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> walk = Files.walk(d, MAX_DEPTH)) {
                walk.filter(Files::isRegularFile).sorted()
                        .forEach(p -> index.putIfAbsent(p.getFileName().toString(), p));
            } catch (IOException | UncheckedIOException e) {
                // an unreadable directory hides its files, nothing more
            }
        }
        return index;
    }

    private List<String> lines(Path file) {
        return files.computeIfAbsent(file, f -> {
            try {
                return Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                try {
                    return Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                } catch (IOException e2) {
                    return null;
                }
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static String packagePath(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot).replace('.', '/');
    }

    private static String outerClass(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int dollar = simple.indexOf('$');
        return dollar > 0 ? simple.substring(0, dollar) : simple;
    }

}
