package dev.workflowthread.examples.agents;

import java.util.Map;

/** Documents the feature: a page under docs/, a line in the README, an entry in the changelog. */
final class DocsAgent extends SimulatedAgents.SimulatedAgent {

    DocsAgent(Pace pace) {
        super(pace, "docs", "Updating the documentation");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        String readme = bench.read("README.md");
        long routes = bench.read("src/routes.ts").lines().filter(line -> line.contains("path: \"")).count();
        bench.say("The README lists " + (readme.lines().filter(line -> line.startsWith("- `/")).count())
                + " of the " + routes + " routes; adding " + feature.route());
        String page = bench.askModel("documentation", () -> Generated.docsPage(bench.task(), feature, bench.notes()));
        bench.say("Model answered: " + page.lines().count() + " lines of Markdown for docs/" + feature.slug() + ".md");
        bench.write("docs/" + feature.slug() + ".md", page);
        bench.write("README.md", Generated.readmeWithPage(readme, feature));
        String changelog = bench.workspace().exists("CHANGELOG.md") ? bench.read("CHANGELOG.md") : "# Changelog\n";
        bench.write("CHANGELOG.md", Generated.changelogWith(changelog, bench.task()));
        return new AgentResult("3 documents written", Map.of("filesWritten", 3));
    }
}
