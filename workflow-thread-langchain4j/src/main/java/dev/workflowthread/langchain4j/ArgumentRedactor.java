package dev.workflowthread.langchain4j;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides what the thread shows of one argument of a tool call, before it is truncated: the value
 * itself, or something in its place. A host passes its own to keep secrets out of the thread.
 *
 * <pre>{@code
 * ArgumentRedactor redactor = (name, value) -> name.equals("query") ? "<hidden>" : value;
 * }</pre>
 */
@FunctionalInterface
public interface ArgumentRedactor {

    /** What stands in the thread for a hidden argument. */
    String HIDDEN = "***";

    /**
     * The default: hides the value of every argument whose name speaks of a secret (password,
     * secret, token, key, credential, authorization), and shows the others as they are.
     */
    ArgumentRedactor SECRETS = new ArgumentRedactor() {
        private final Pattern secretName =
                Pattern.compile(".*(password|passwd|secret|token|apikey|api_key|credential|authorization|key).*");

        @Override
        public Object redact(String name, Object value) {
            return secretName.matcher(name.toLowerCase(Locale.ROOT)).matches() ? HIDDEN : value;
        }
    };

    /** Shows every argument as it is. */
    ArgumentRedactor NONE = (name, value) -> value;

    /**
     * What to show for one argument.
     *
     * @param name  the argument's name, as the model sent it
     * @param value its value: a string, number, boolean, list, map, or null
     * @return what the thread shows instead (its {@code toString()}, truncated), or null for "null"
     */
    Object redact(String name, Object value);
}
