package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** File tools over a map, which keep the calls they ran and can run a test's action inside one. */
final class FileTools {

    final Map<String, String> files = new ConcurrentHashMap<>();
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Consumer<String>> during = new ConcurrentHashMap<>();

    /** Runs {@code action} (given the path) inside the tool call on {@code path}. */
    FileTools during(String path, Consumer<String> action) {
        during.put(path, action);
        return this;
    }

    @Tool("Reads a file")
    public String readFile(@P(name = "path", description = "the file") String path) {
        ran.add("readFile " + path);
        during.getOrDefault(path, p -> { }).accept(path);
        String content = files.get(path);
        if (content == null) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        return content;
    }

    @Tool("Writes a file")
    public String writeFile(@P(name = "path", description = "the file") String path,
                            @P(name = "content", description = "what to write") String content) {
        ran.add("writeFile " + path);
        during.getOrDefault(path, p -> { }).accept(path);
        files.put(path, content);
        return "wrote " + content.length() + " characters to " + path;
    }

    @Tool("Logs in to the package registry")
    public String login(@P(name = "user", description = "the user") String user,
                        @P(name = "password", description = "the password") String password) {
        ran.add("login " + user);
        return "logged in";
    }

    List<String> ran() {
        synchronized (ran) {
            return List.copyOf(ran);
        }
    }
}
