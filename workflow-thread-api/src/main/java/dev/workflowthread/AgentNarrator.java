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

    /**
     * The agent type this narrator writes as.
     *
     * @return the {@code agent_type} of its messages, or null
     */
    String agentType();

    /**
     * Posts an agent comment with the given metadata.
     *
     * @param content  the text: not blank, at most the configured content limit in UTF-8 bytes
     * @param metadata a JSON object, or null
     * @return the stored message
     * @throws InvalidMessageException   naming {@code content} or {@code metadata} when it is refused
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
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
     *
     * @param content        the text: not blank, at most the configured content limit in UTF-8 bytes
     * @param metadata       a JSON object, or null
     * @param idempotencyKey the caller's key for this comment, or null
     * @return the stored message: the new one, or the one already stored under the key
     * @throws InvalidMessageException       naming {@code content}, {@code metadata} or
     *                                       {@code idempotency_key} when it is refused
     * @throws WorkflowNotFoundException     when the workflow has no thread
     * @throws UnsupportedOperationException from this default, for a key that is not null
     */
    default Message say(String content, Map<String, Object> metadata, String idempotencyKey) {
        if (idempotencyKey == null) {
            return say(content, metadata);
        }
        throw new UnsupportedOperationException(getClass().getName() + " does not keep idempotency keys");
    }

    /**
     * Posts an agent comment without metadata.
     *
     * @param content the text: not blank, at most the configured content limit in UTF-8 bytes
     * @return the stored message
     * @throws InvalidMessageException   naming {@code content} when it is refused
     * @throws WorkflowNotFoundException when the workflow has no thread
     */
    default Message say(String content) {
        return say(content, null);
    }

    /**
     * Posts "Reading file: {path}", with metadata {@code operation = read_file} and {@code path}.
     *
     * @param path the file read
     * @return the stored message
     * @throws InvalidMessageException naming {@code path} when it is null or blank
     */
    default Message readingFile(String path) {
        InvalidMessageException.requireText("path", path);
        return say("Reading file: " + path, metadata("read_file", "path", path));
    }

    /**
     * Posts "Writing file: {path} ({bytes} bytes)", with metadata {@code operation = write_file},
     * {@code path} and {@code bytes}.
     *
     * @param path  the file written
     * @param bytes its size in bytes, 0 or more
     * @return the stored message
     * @throws InvalidMessageException naming {@code path} when it is null or blank, or
     *                                 {@code bytes} when it is negative
     */
    default Message writingFile(String path, long bytes) {
        InvalidMessageException.requireText("path", path);
        InvalidMessageException.requireNotNegative("bytes", bytes);
        Map<String, Object> metadata = metadata("write_file", "path", path);
        metadata.put("bytes", bytes);
        return say("Writing file: " + path + " (" + bytes + " bytes)", metadata);
    }

    /**
     * Posts "Calling AI model for {purpose}...", with metadata {@code operation = model_call} and
     * {@code purpose}.
     *
     * @param purpose what the model is called for, e.g. {@code code generation}
     * @return the stored message
     * @throws InvalidMessageException naming {@code purpose} when it is null or blank
     */
    default Message callingModel(String purpose) {
        InvalidMessageException.requireText("purpose", purpose);
        return say("Calling AI model for " + purpose + "...", metadata("model_call", "purpose", purpose));
    }

    /**
     * Posts "Build verification: PASSED" or "Build verification: FAILED", with metadata
     * {@code operation = build} and {@code passed}.
     *
     * @param passed whether the build passed
     * @return the stored message
     */
    default Message buildResult(boolean passed) {
        Map<String, Object> metadata = metadata("build", "passed", passed);
        return say("Build verification: " + (passed ? "PASSED" : "FAILED"), metadata);
    }

    /**
     * Posts "Tests: {passed} passed, {failed} failed", with metadata {@code operation = tests},
     * {@code passed} and {@code failed}.
     *
     * @param passed how many tests passed, 0 or more
     * @param failed how many tests failed, 0 or more
     * @return the stored message
     * @throws InvalidMessageException naming {@code passed} or {@code failed} when it is negative
     */
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
