package dev.workflowthread;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one agent's comments into its workflow's thread, one short call per action, each with
 * structured metadata a UI can use ({@code operation} plus the action's own keys). Get one from
 * {@link CheckpointGuard#narrator(String, Long)} or
 * {@link WorkflowMessages#narrator(long, String, Long)}.
 *
 * <pre>{@code
 * AgentNarrator code = guard.narrator("code", executionId);
 * code.readingFile("src/index.ts");             // Reading file: src/index.ts
 * code.writingFile("Button.tsx", 1234);         // Writing file: Button.tsx (1234 bytes)
 * code.callingModel("code generation");         // Calling AI model for code generation...
 * code.buildResult(true);                       // Build verification: PASSED
 * }</pre>
 *
 * <p>Every method refuses bad arguments (a null or blank path or purpose, a negative count, and
 * what {@link WorkflowMessages#addMessage} refuses) with {@link InvalidMessageException} naming
 * the argument, and stores nothing then.
 */
public interface AgentNarrator {

    /** The metadata key naming the kind of action narrated. */
    String OPERATION = "operation";

    /** The agent type this narrator writes as. */
    String agentType();

    /** Posts an agent comment with the given metadata (a JSON object, or null). */
    Message say(String content, Map<String, Object> metadata);

    /**
     * Posts an agent comment under an idempotency key: when the workflow's thread already holds a
     * message with this key (a retry after an {@link OutcomeUnknownException}), nothing is stored
     * and that message is returned. The key is 1 to {@value SendRequest#MAX_IDEMPOTENCY_KEY_LENGTH}
     * visible ASCII characters, or null for none; the same key with other content or metadata is
     * refused with an {@link InvalidMessageException} naming {@code idempotency_key}.
     *
     * <p>The library's narrators implement it; a narrator that wraps another passes it on. This
     * default serves narrators that do not: without a key it is {@link #say(String, Map)}, and a
     * key it cannot keep is refused rather than dropped.
     */
    default Message say(String content, Map<String, Object> metadata, String idempotencyKey) {
        if (idempotencyKey == null) {
            return say(content, metadata);
        }
        throw new UnsupportedOperationException(getClass().getName() + " does not keep idempotency keys");
    }

    /** Posts an agent comment. */
    default Message say(String content) {
        return say(content, null);
    }

    /** "Reading file: {path}". */
    default Message readingFile(String path) {
        InvalidMessageException.requireText("path", path);
        return say("Reading file: " + path, metadata("read_file", "path", path));
    }

    /** "Writing file: {path} ({bytes} bytes)". */
    default Message writingFile(String path, long bytes) {
        InvalidMessageException.requireText("path", path);
        InvalidMessageException.requireNotNegative("bytes", bytes);
        Map<String, Object> metadata = metadata("write_file", "path", path);
        metadata.put("bytes", bytes);
        return say("Writing file: " + path + " (" + bytes + " bytes)", metadata);
    }

    /** "Calling AI model for {purpose}...". */
    default Message callingModel(String purpose) {
        InvalidMessageException.requireText("purpose", purpose);
        return say("Calling AI model for " + purpose + "...", metadata("model_call", "purpose", purpose));
    }

    /** "Build verification: PASSED" or "FAILED". */
    default Message buildResult(boolean passed) {
        Map<String, Object> metadata = metadata("build", "passed", passed);
        return say("Build verification: " + (passed ? "PASSED" : "FAILED"), metadata);
    }

    /** "Tests: {passed} passed, {failed} failed". */
    default Message testResult(int passed, int failed) {
        InvalidMessageException.requireNotNegative("passed", passed);
        InvalidMessageException.requireNotNegative("failed", failed);
        Map<String, Object> metadata = metadata("tests", "passed", passed);
        metadata.put("failed", failed);
        return say("Tests: " + passed + " passed, " + failed + " failed", metadata);
    }

    private static Map<String, Object> metadata(String operation, String key, Object value) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(OPERATION, operation);
        metadata.put(key, value);
        return metadata;
    }
}
