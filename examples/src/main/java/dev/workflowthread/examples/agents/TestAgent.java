package dev.workflowthread.examples.agents;

import java.util.Map;

/** Writes tests for the page and the API module, then runs the whole suite. */
final class TestAgent extends SimulatedAgents.SimulatedAgent {

    TestAgent(Pace pace) {
        super(pace, "test", "Writing and running tests");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        if (bench.workspace().exists(feature.formFile())) {
            bench.read(feature.formFile());
        } else {
            bench.say(feature.formFile() + " is not written (the code agent did not run): its tests will fail");
        }
        String pageTest = bench.askModel("test generation", () -> Generated.pageTest(feature));
        bench.write("src/pages/__tests__/" + feature.page() + ".test.tsx", pageTest);
        bench.write("src/api/__tests__/" + feature.slug() + ".test.ts", Generated.apiTest(feature));
        if (feature.dropdown()) {
            bench.write("src/components/__tests__/" + feature.menu() + ".test.tsx", Generated.menuTest(feature));
        }
        int[] result = bench.test();
        return new AgentResult(result[0] + " passed, " + result[1] + " failed",
                Map.of("passed", result[0], "failed", result[1]));
    }
}
