package dev.workflowthread.examples.agents;

import dev.workflowthread.Answer;
import java.util.List;
import java.util.Map;

/**
 * Writes the API module, the form and the page, and the way into the page; then builds. For a task
 * that asks for a button, and when the run may ask, it first asks the person which component name
 * to give the button, and writes that component.
 */
final class CodeAgent extends SimulatedAgents.SimulatedAgent {

    CodeAgent(Pace pace) {
        super(pace, "code", "Implementing code changes");
    }

    /** The question the code agent asks, and its options; the first is the default. */
    static final String QUESTION = "Which component name should I use for the Save button?";
    static final List<String> BUTTON_NAMES = List.of("Button", "PrimaryButton");

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        int written = 3;
        String button = null;
        if (bench.asksQuestions() && Feature.asksForButton(bench.task())) {
            Answer answer = bench.ask(QUESTION, BUTTON_NAMES, BUTTON_NAMES.get(0));
            button = componentName(answer);
            bench.say(answer.timedOut() ? "Naming the button component " + button + ", the default"
                    : "Naming the button component " + button + ", as " + answer.author() + " chose");
        }
        bench.read("src/api/client.ts");
        generate(bench, feature.apiFile(), () -> Generated.api(feature, bench.notes()));
        if (button == null) {
            generate(bench, feature.formFile(), () -> Generated.form(feature, bench.notes()));
        } else {
            String name = button;
            bench.write("src/components/" + name + ".tsx", Generated.button(name));
            generate(bench, feature.formFile(), () -> Generated.form(feature, bench.notes(), name));
            written++;
        }
        if (bench.workspace().exists(feature.pageFile())) {
            bench.read(feature.pageFile());
        } else {
            bench.say(feature.pageFile() + " does not exist yet (the scaffold agent did not run): writing it whole");
        }
        generate(bench, feature.pageFile(), () -> Generated.page(feature, bench.notes()));
        bench.say(feature.page() + " loads its data with load" + feature.name() + " and shows " + feature.form());
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

    /** The chosen option, or the name a person wrote, made a TypeScript identifier; else the default. */
    static String componentName(Answer answer) {
        if (answer.choice() != null) {
            return answer.choice();
        }
        String letters = answer.text().replaceAll("[^A-Za-z0-9]", "");
        if (letters.isEmpty() || !Character.isLetter(letters.charAt(0))) {
            return BUTTON_NAMES.get(0);
        }
        letters = letters.substring(0, Math.min(letters.length(), Feature.MAX_SLUG_LENGTH));
        return Character.toUpperCase(letters.charAt(0)) + letters.substring(1);
    }

    private static void generate(Bench bench, String path, java.util.function.Supplier<String> code)
            throws InterruptedException {
        String file = path.substring(path.lastIndexOf('/') + 1);
        String text = bench.askModel("code generation (" + file + ")", code);
        bench.say("Model answered: " + text.lines().count() + " lines of TypeScript for " + file);
        bench.write(path, text);
    }
}
