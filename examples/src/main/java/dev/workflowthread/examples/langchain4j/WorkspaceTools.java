package dev.workflowthread.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The coding assistant's file tools, over one folder: list, read and write, with paths relative to
 * the folder. A path that leads out of it is refused (the model gets the refusal as the tool's
 * error and the thread shows it).
 */
public final class WorkspaceTools {

    private final Path root;

    /**
     * Tools over {@code root}.
     *
     * @param root the folder the assistant works in
     */
    public WorkspaceTools(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The workspace's files.
     *
     * @return their paths relative to the workspace, one a line, sorted
     */
    @Tool("Lists the files of the project, one path a line")
    public String listFiles() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One file's text.
     *
     * @param path relative to the workspace
     * @return the file's text
     * @throws IOException when it cannot be read
     */
    @Tool("Reads a file of the project")
    public String readFile(@P(name = "path", description = "the file's path in the project, e.g. src/App.tsx") String path)
            throws IOException {
        return Files.readString(resolve(path), StandardCharsets.UTF_8);
    }

    /**
     * Writes one file, creating its folders.
     *
     * @param path    relative to the workspace
     * @param content the file's new text
     * @return what was written
     * @throws IOException when it cannot be written
     */
    @Tool("Writes a file of the project, replacing what it held")
    public String writeFile(@P(name = "path", description = "the file's path in the project") String path,
                            @P(name = "content", description = "the file's full new text") String content)
            throws IOException {
        Path file = resolve(path);
        Files.createDirectories(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return "Wrote " + bytes.length + " bytes to " + path;
    }

    private Path resolve(String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("path must name a file inside the project: " + path);
        }
        return file;
    }
}
