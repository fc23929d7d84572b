package dev.workflowthread.examples.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample project the simulated agents work on: a small React and TypeScript team dashboard,
 * copied from the classpath into a folder of its own for each workflow, where the agents read and
 * write real files.
 */
public final class Workspace {
    private static final String SAMPLE = "sample-project/";

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    /**
     * Copies the sample project into {@code folder} (made if missing) and returns it.
     *
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static Workspace createSampleProject(Path folder) {
        try {
            Files.createDirectories(folder);
            for (String file : resource("INDEX").lines().filter(line -> !line.isBlank()).toList()) {
                Path target = folder.resolve(file);
                Files.createDirectories(target.getParent());
                Files.writeString(target, resource(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the sample project into " + folder, e);
        }
        return new Workspace(folder);
    }

    /** A workspace over an existing folder. */
    static Workspace at(Path root) {
        return new Workspace(root);
    }

    public Path root() {
        return root;
    }

    /** The text of a file; {@code path} is relative to the project, with forward slashes. */
    String read(String path) {
        try {
            return Files.readString(resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Writes a file (and its folders); returns its size in bytes. */
    long write(String path, String content) {
        Path file = resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    boolean exists(String path) {
        return Files.isRegularFile(resolve(path));
    }

    /** Every file of the project below {@code folder} ("" for all), relative, sorted. */
    List<String> files(String folder) {
        Path start = folder.isEmpty() ? root : resolve(folder);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(start)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + start, e);
        }
    }

    /** Deletes the whole folder; quietly does nothing when it is gone already. */
    public static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    private Path resolve(String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException(path + " is outside the workspace");
        }
        return file;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Workspace.class.getResourceAsStream(SAMPLE + name)) {
            if (in == null) {
                throw new IOException("the sample project has no " + name + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
