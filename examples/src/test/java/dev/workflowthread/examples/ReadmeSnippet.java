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
        String text = Files.readString(Path.of(path));
        String snippet = text.substring(text.indexOf("// README-BEGIN") + "// README-BEGIN".length(),
                text.indexOf("// README-END"));
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
