package dev.workflowthread.examples.agents;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the simulated model makes of a task: the name of the thing to build, and whether the person
 * wants it opened from a dropdown menu. "Add a settings page to the dashboard" gives
 * {@code Settings}: {@code src/pages/SettingsPage.tsx}, {@code src/components/SettingsForm.tsx},
 * {@code src/api/settings.ts} and the route {@code /settings}.
 *
 * @param name     a TypeScript identifier, capitalised: {@code Settings}
 * @param slug     its lower-case form, for paths and routes: {@code settings}
 * @param dropdown true when the task asks for a dropdown menu (else a sidebar link)
 */
record Feature(String name, String slug, boolean dropdown) {
    private static final List<String> KINDS = List.of("page", "screen", "view", "form", "panel", "dialog",
            "widget", "report", "chart", "table", "list", "component");
    private static final Set<String> FILLER = Set.of("a", "an", "the", "to", "add", "make", "create", "build",
            "implement", "new", "for", "with", "our", "please", "and", "of", "on", "in", "from", "instead",
            "that", "this", "it", "we", "i", "should", "can", "be", "is", "into", "some", "my", "up", "set",
            "let", "lets", "users", "user", "dropdown", "menu", "button", "opened", "open", "via", "by", "as",
            "actually", "redirect", "then", "also", "all", "feature", "support", "simple");

    /** The longest slug: file names made from it stay well within any file system's limit. */
    static final int MAX_SLUG_LENGTH = 40;

    static Feature of(String task) {
        List<String> words = Arrays.stream(task.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(word -> !word.isEmpty())
                .toList();
        boolean dropdown = words.contains("dropdown") || words.contains("menu");
        String base = null;
        for (int i = 1; i < words.size() && base == null; i++) {
            if (KINDS.contains(words.get(i)) && usable(words.get(i - 1))) {
                base = words.get(i - 1);
            }
        }
        for (int i = 0; i < words.size() && base == null; i++) {
            if (usable(words.get(i)) && !KINDS.contains(words.get(i))) {
                base = words.get(i);
            }
        }
        if (base == null) {
            base = "feature";
        }
        // Short enough for every file name made from it.
        base = base.substring(0, Math.min(base.length(), MAX_SLUG_LENGTH));
        return new Feature(Character.toUpperCase(base.charAt(0)) + base.substring(1), base, dropdown);
    }

    /** Whether the task asks for a button ("… with a save button"): the code agent asks how to name it. */
    static boolean asksForButton(String task) {
        return Arrays.asList(task.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).contains("button");
    }

    private static boolean usable(String word) {
        return word.length() > 1 && Character.isLetter(word.charAt(0)) && !FILLER.contains(word);
    }

    String page() {
        return name + "Page";
    }

    String form() {
        return name + "Form";
    }

    String menu() {
        return name + "Menu";
    }

    String pageFile() {
        return "src/pages/" + page() + ".tsx";
    }

    String formFile() {
        return "src/components/" + form() + ".tsx";
    }

    String apiFile() {
        return "src/api/" + slug + ".ts";
    }

    String menuFile() {
        return "src/components/" + menu() + ".tsx";
    }

    String route() {
        return "/" + slug;
    }
}
