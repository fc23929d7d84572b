package dev.workflowthread.examples.agents;

import java.util.Map;

/** Writes the API module, the form and the page, and the way into the page; then builds. */
final class CodeAgent extends SimulatedAgents.SimulatedAgent {

    CodeAgent(Pace pace) {
        super(pace, "code", "Implementing code changes");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        bench.read("src/api/client.ts");
        generate(bench, feature.apiFile(), () -> Generated.api(feature, bench.notes()));
        generate(bench, feature.formFile(), () -> Generated.form(feature, bench.notes()));
        bench.read(feature.pageFile());
        generate(bench, feature.pageFile(), () -> Generated.page(feature, bench.notes()));
        bench.say(feature.page() + " loads its data with load" + feature.name() + " and shows " + feature.form());
        int written = 3;
        if (feature.dropdown()) {
            String header = bench.read("src/components/Header.tsx");
            generate(bench, feature.menuFile(), () -> Generated.menu(feature));
            bench.write("src/components/Header.tsx", Generated.headerWithMenu(header, feature));
            written += 2;
        } else {
            bench.read("src/components/Sidebar.tsx");
            bench.say("The sidebar lists every route, so " + feature.page() + " appears there without a change");
        }
        boolean passed = bench.build();
        return new AgentResult(written + " files written, build " + (passed ? "passing" : "failing"),
                Map.of("filesWritten", written, "buildPassed", passed));
    }

    private static void generate(Bench bench, String path, java.util.function.Supplier<String> code)
            throws InterruptedException {
        String file = path.substring(path.lastIndexOf('/') + 1);
        String text = bench.askModel("code generation (" + file + ")", code);
        bench.say("Model answered: " + text.lines().count() + " lines of TypeScript for " + file);
        bench.write(path, text);
    }
}
