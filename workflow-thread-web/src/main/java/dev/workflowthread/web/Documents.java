package dev.workflowthread.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web layer's own documents, built on the library's {@link WireFormat} so that every name on
 * the wire is the library's: a workflow is its thread state ({@link WireFormat#stateMap}) followed
 * by the host's fields, and {@code workflow:updated} carries one.
 */
final class Documents {
    /** The event the web layer adds to the library's: a workflow's state changed. */
    static final String WORKFLOW_UPDATED = "workflow:updated";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Documents() {
    }

    /** A workflow: {@code workflow_id}, {@code status}, {@code is_paused}, …, then the host's fields. */
    static Map<String, Object> workflow(WorkflowState state, Map<String, Object> hostFields) {
        Map<String, Object> document = new LinkedHashMap<>(WireFormat.stateMap(state));
        hostFields.forEach(document::putIfAbsent);
        return document;
    }

    /** {@code {"workflows":[…]}}. */
    static Map<String, Object> list(List<Map<String, Object>> workflows) {
        return Map.of("workflows", workflows);
    }

    /** {@code {"event":"workflow:updated","workflowId":7,"seq":12,"workflow":{…}}}. */
    static String updated(long workflowId, long seq, Map<String, Object> workflow) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("event", WORKFLOW_UPDATED);
        node.put("workflowId", workflowId);
        node.put("seq", seq);
        node.put("workflow", workflow);
        return write(node);
    }

    /** {@code {"status":404,"error":"…","field":"id"}} ({@code field} null when no one field is at fault). */
    static Map<String, Object> error(int status, String field, String message) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("status", status);
        node.put("error", message);
        node.put("field", field);
        return node;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
