package dev.workflowthread.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a tool call reads in the thread: {@code readFile(path=src/index.ts)}, redacted and truncated. */
final class ToolCallFormat {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    private final ArgumentRedactor redactor;
    private final int maxArgumentLength;

    ToolCallFormat(ArgumentRedactor redactor, int maxArgumentLength) {
        this.redactor = redactor;
        this.maxArgumentLength = maxArgumentLength;
    }

    /** The arguments as the thread shows them, in the model's order; unparsable JSON as one "arguments" value. */
    Map<String, String> arguments(ToolExecutionRequest request) {
        Map<String, String> shown = new LinkedHashMap<>();
        String raw = request.arguments();
        if (raw == null || raw.isBlank()) {
            return shown;
        }
        Map<String, Object> parsed;
        try {
            parsed = JSON.readValue(raw, OBJECT);
        } catch (JsonProcessingException notAnObject) {
            parsed = Map.of("arguments", raw);
        }
        parsed.forEach((name, value) -> shown.put(name, truncate(String.valueOf(redactor.redact(name, value)))));
        return shown;
    }

    /** {@code name(a=1, b=two)}. */
    String call(ToolExecutionRequest request, Map<String, String> arguments) {
        StringBuilder text = new StringBuilder(request.name()).append('(');
        String separator = "";
        for (Map.Entry<String, String> argument : arguments.entrySet()) {
            text.append(separator).append(argument.getKey()).append('=').append(argument.getValue());
            separator = ", ";
        }
        return text.append(')').toString();
    }

    String truncate(String value) {
        if (value.length() <= maxArgumentLength) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(maxArgumentLength - 1)) ? maxArgumentLength - 1 : maxArgumentLength;
        return value.substring(0, end) + "…";
    }
}
