package dev.workflowthread.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The lines of a source file between its {@code // README-BEGIN} and {@code // README-END}, as the README shows them. */
final class ReadmeSnippet {
    private ReadmeSnippet() {
    }

    /** The snippet of {@code source} (under {@code src/main/java/dev/workflowthread/examples/}), {@code indent} spaces taken off, blank lines dropped. */
    static String of(String source, int indent) throws IOException {
        return in("src/main/java/dev/workflowthread/examples/" + source, indent);
    }

    /** The snippet of the file at {@code path} (from the examples module's folder), {@code indent} spaces taken off, blank lines dropped. */
    static String in(String path, int indent) throws IOException {
        return between(path, "// README-BEGIN", "// README-END", indent);
    }

    /**
     * The lines of the file at {@code path} between the first {@code begin} and the {@code end}
     * after it, {@code indent} spaces taken off, blank lines dropped.
     *
     * @throws IllegalArgumentException when the file has no such pair of markers
     */
    static String between(String path, String begin, String end, int indent) throws IOException {
        String text = Files.readString(Path.of(path));
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from + begin.length());
        if (to < 0) {
            throw new IllegalArgumentException(path + " has no " + begin + " ... " + end);
        }
        String snippet = text.substring(from + begin.length(), to);
        String margin = " ".repeat(indent);
        return snippet.lines().filter(line -> !line.isBlank())
                .map(line -> line.startsWith(margin) ? line.substring(indent) : line)
                .collect(Collectors.joining("\n"));
    }

    /** The README, at the repository's root. */
    static String readme() throws IOException {
        return Files.readString(Path.of("../README.md"));
    }
}
