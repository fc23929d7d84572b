package dev.workflowthread.examples.agents;

import java.util.Map;

/** Creates the page's skeleton and registers its route, then checks that the build still passes. */
final class ScaffoldAgent extends SimulatedAgents.SimulatedAgent {

    ScaffoldAgent(Pace pace) {
        super(pace, "scaffold", "Creating the skeleton of the new feature");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        String routes = bench.read("src/routes.ts");
        bench.read("src/pages/ProfilePage.tsx");
        bench.say("Using ProfilePage as the pattern for " + feature.page());
        int written = 0;
        if (bench.workspace().exists(feature.pageFile())) {
            bench.say(feature.pageFile() + " exists already: extending it");
        } else {
            bench.write(feature.pageFile(), Generated.pageSkeleton(feature));
            written++;
        }
        if (routes.contains("path: \"" + feature.route() + "\"")) {
            bench.say("Route " + feature.route() + " is registered already");
        } else {
            bench.write("src/routes.ts", Generated.withRoute(routes, feature));
            written++;
            bench.say("Registered route " + feature.route() + " in src/routes.ts");
        }
        boolean passed = bench.build();
        return new AgentResult(written + " files created or updated, build " + (passed ? "passing" : "failing"),
                Map.of("filesWritten", written, "buildPassed", passed));
    }
}
