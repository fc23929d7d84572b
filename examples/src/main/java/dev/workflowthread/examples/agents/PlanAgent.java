package dev.workflowthread.examples.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the project, asks the model for a plan, and writes it to {@code .workflow/plan.md}. */
final class PlanAgent extends SimulatedAgents.SimulatedAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROUTE = Pattern.compile("path: \"([^\"]+)\"");
    private static final Pattern EXPORTED_FUNCTION = Pattern.compile("export (?:async )?function (\\w+)");
    private static final Pattern TEST_CASE = Pattern.compile("\\bit\\(\"([^\"]+)\"");

    PlanAgent(Pace pace) {
        super(pace, "plan", "Analyzing codebase and creating implementation plan");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        List<String> files = bench.workspace().files("");
        bench.say("Scanning project: " + files.size() + " files, " + Toolchain.sources(bench.workspace()).size()
                + " of them TypeScript");
        bench.say("Stack: " + stack(bench.read("package.json")));
        bench.read("src/index.ts");
        bench.read("src/App.tsx");
        List<String> routes = matches(ROUTE, bench.read("src/routes.ts"));
        bench.say("Found " + routes.size() + " routes: " + String.join(", ", routes));
        List<String> api = matches(EXPORTED_FUNCTION, bench.read("src/api/client.ts"));
        bench.say("API calls go through src/api/client.ts (" + String.join(", ", api) + ")");
        bench.read("src/auth/session.ts");
        bench.read("src/components/Sidebar.tsx");
        String dashboard = bench.read("src/pages/DashboardPage.tsx");
        if (dashboard.contains("useEffect") && dashboard.contains("getJson")) {
            bench.say("Pages load their data with getJson in a useEffect, and show \"Loading...\" until then");
        }
        String headerTest = bench.read("src/components/__tests__/Header.test.tsx");
        bench.say("Tests use vitest and @testing-library/react (" + matches(TEST_CASE, headerTest).size()
                + " cases in Header.test.tsx)");

        List<String> subTasks = bench.askModel("implementation planning", () -> subTasks(feature));
        bench.say("Plan completed - " + subTasks.size() + " sub-tasks identified" + notesConsidered(bench.notes()));
        for (int i = 0; i < subTasks.size(); i++) {
            bench.say("Sub-task " + (i + 1) + ": " + subTasks.get(i));
        }
        bench.write(".workflow/plan.md", plan(bench.task(), feature, subTasks, bench.notes()));
        return new AgentResult(subTasks.size() + " sub-tasks identified", Map.of("subTasks", subTasks.size()));
    }

    private static String stack(String packageJson) {
        try {
            JsonNode root = JSON.readTree(packageJson);
            return "React " + root.path("dependencies").path("react").asText("?")
                    + ", TypeScript " + root.path("devDependencies").path("typescript").asText("?")
                    + ", tests with vitest " + root.path("devDependencies").path("vitest").asText("?");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("package.json is not valid JSON", e);
        }
    }

    private static List<String> subTasks(Feature feature) {
        List<String> tasks = new ArrayList<>();
        tasks.add("Scaffold " + feature.page() + " and register the route " + feature.route());
        tasks.add("Add " + feature.apiFile() + " on top of src/api/client.ts");
        tasks.add("Build " + feature.form() + " and wire it into " + feature.page());
        tasks.add(feature.dropdown()
                ? "Open the page from a new " + feature.menu() + " dropdown in the header"
                : "Link the page from the sidebar");
        tasks.add("Cover the page and the API module with tests, then document " + feature.route());
        return tasks;
    }

    private static String plan(String task, Feature feature, List<String> subTasks, List<String> notes) {
        StringBuilder plan = new StringBuilder("# Plan: ").append(task).append("\n\n")
                .append("Feature: ").append(feature.name()).append(" (").append(feature.route()).append(")\n\n");
        for (int i = 0; i < subTasks.size(); i++) {
            plan.append(i + 1).append(". ").append(subTasks.get(i)).append('\n');
        }
        if (!notes.isEmpty()) {
            plan.append("\n## Notes from the person steering this workflow\n\n");
            notes.forEach(note -> plan.append("- ").append(Generated.oneLine(note)).append('\n'));
        }
        return plan.toString();
    }

    private static String notesConsidered(List<String> notes) {
        return switch (notes.size()) {
            case 0 -> "";
            case 1 -> " (1 user note considered)";
            default -> " (" + notes.size() + " user notes considered)";
        };
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
