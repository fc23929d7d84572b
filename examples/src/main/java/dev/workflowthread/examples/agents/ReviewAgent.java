package dev.workflowthread.examples.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads every changed file, reports what a careful reviewer would, and writes the review down. */
final class ReviewAgent extends SimulatedAgents.SimulatedAgent {

    ReviewAgent(Pace pace) {
        super(pace, "review", "Reviewing the changes");
    }

    @Override
    AgentResult work(Bench bench) throws InterruptedException {
        Feature feature = bench.feature();
        List<String> changed = new ArrayList<>(List.of(feature.apiFile(), feature.formFile(), feature.pageFile(),
                "src/routes.ts"));
        if (feature.dropdown()) {
            changed.add(feature.menuFile());
        }
        List<String> findings = new ArrayList<>();
        List<String> withNotes = new ArrayList<>();
        List<String> clean = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String file : changed) {
            if (!bench.workspace().exists(file)) {
                missing.add(file);
                continue;
            }
            String text = bench.read(file);
            List<String> found = findings(file, text);
            findings.addAll(found);
            if (found.isEmpty()) {
                clean.add(file);
            }
            if (text.contains(Generated.NOTE_MARK)) {
                withNotes.add(file);
            }
        }
        bench.askModel("code review", () -> "");
        for (String file : clean) {
            bench.say("Review: " + file + " looks good");
        }
        for (String finding : findings) {
            bench.say("Review: " + finding);
        }
        for (String file : missing) {
            bench.say("Review: " + file + " was never written (the agents that write it did not run)");
        }
        if (!bench.notes().isEmpty()) {
            bench.say(withNotes.isEmpty()
                    ? "Review: the person's notes came after the code was written; they are in the plan and the docs"
                    : "Review: the person's notes are reflected in " + String.join(", ", withNotes));
        }
        String verdict = (missing.isEmpty() ? "no blocking issues, "
                : missing.size() + (missing.size() == 1 ? " file" : " files") + " missing, ") + findings.size() + (findings.size() == 1 ? " suggestion" : " suggestions");
        bench.say("Review: " + verdict);
        bench.write(".workflow/review.md", review(changed, findings, verdict));
        return new AgentResult("approved with " + findings.size() + (findings.size() == 1 ? " suggestion" : " suggestions"),
                Map.of("filesReviewed", changed.size(), "suggestions", findings.size()));
    }

    /** What the review notices in one file: the shortcuts the generated code takes. */
    static List<String> findings(String file, String text) {
        List<String> findings = new ArrayList<>();
        if (text.contains(".then(") && !text.contains(".catch(")) {
            findings.add(file + " - a failed request is not shown to the user (suggestion)");
        }
        if (text.contains("Loading...") && !text.contains("aria-busy")) {
            findings.add(file + " - the loading state should set aria-busy (suggestion)");
        }
        if (text.contains("aria-haspopup") && !text.contains("aria-expanded")) {
            findings.add(file + " - the menu button should say whether it is open (aria-expanded) (suggestion)");
        }
        return findings;
    }

    private static String review(List<String> files, List<String> findings, String verdict) {
        StringBuilder review = new StringBuilder("# Review\n\nFiles:\n\n");
        files.forEach(file -> review.append("- ").append(file).append('\n'));
        review.append("\nFindings:\n\n");
        findings.forEach(finding -> review.append("- ").append(finding).append('\n'));
        return review.append("\nVerdict: ").append(verdict).append('\n').toString();
    }
}
