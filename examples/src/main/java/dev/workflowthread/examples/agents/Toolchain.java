package dev.workflowthread.examples.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pretend build and test runner. They do not run Node, but they look at the real files: the
 * build fails when a relative import names a file that does not exist, and the test runner finds
 * the {@code it("…")} cases of each test file, failing a file whose imports do not resolve.
 */
final class Toolchain {
    private static final Pattern RELATIVE_IMPORT = Pattern.compile("from \"(\\.{1,2}/[^\"]+)\"");
    private static final Pattern TEST_CASE = Pattern.compile("\\bit\\(\"([^\"]+)\"");

    /** One test file's run. */
    record TestFile(String path, List<String> cases, String error) {
        boolean passed() {
            return error == null;
        }
    }

    private Toolchain() {
    }

    /** The source files the build type-checks: every .ts and .tsx under src/, tests included. */
    static List<String> sources(Workspace workspace) {
        return workspace.files("src").stream()
                .filter(path -> path.endsWith(".ts") || path.endsWith(".tsx"))
                .toList();
    }

    /** What the build finds wrong: one line per import that does not resolve; empty when it passes. */
    static List<String> typeCheck(Workspace workspace) {
        List<String> problems = new ArrayList<>();
        for (String source : sources(workspace)) {
            String unresolved = unresolvedImport(workspace, source);
            if (unresolved != null) {
                problems.add(source + ": cannot find module '" + unresolved + "'");
            }
        }
        return problems;
    }

    /** Runs every test file under src/ ({@code __tests__/*.test.ts(x)}). */
    static List<TestFile> runTests(Workspace workspace) {
        List<TestFile> files = new ArrayList<>();
        for (String source : sources(workspace)) {
            if (!source.contains("/__tests__/") || !source.matches(".*\\.test\\.tsx?")) {
                continue;
            }
            String text = workspace.read(source);
            List<String> cases = new ArrayList<>();
            Matcher matcher = TEST_CASE.matcher(text);
            while (matcher.find()) {
                cases.add(matcher.group(1));
            }
            String unresolved = unresolvedImport(workspace, source);
            files.add(new TestFile(source, cases,
                    unresolved == null ? null : "Cannot find module '" + unresolved + "'"));
        }
        return files;
    }

    /** The first relative import of {@code source} that names no file, or null. */
    private static String unresolvedImport(Workspace workspace, String source) {
        String folder = source.substring(0, source.lastIndexOf('/') + 1);
        Matcher matcher = RELATIVE_IMPORT.matcher(workspace.read(source));
        while (matcher.find()) {
            String target = normalize(folder + matcher.group(1));
            if (!workspace.exists(target + ".ts") && !workspace.exists(target + ".tsx")
                    && !workspace.exists(target + "/index.ts")) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..") && !parts.isEmpty()) {
                parts.remove(parts.size() - 1);
            } else if (!part.equals(".") && !part.isEmpty()) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }
}
