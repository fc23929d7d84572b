package dev.workflowthread.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The server's own documents, built on the library's {@link WireFormat} so that every name on the
 * wire is the plan's: a workflow is its thread state ({@link WireFormat#stateMap}) plus the
 * host's columns, and {@code workflow:updated} carries one.
 */
final class WorkflowJson {
    /** The event the server adds to the library's: a workflow's state changed. */
    static final String WORKFLOW_UPDATED = "workflow:updated";
    /** The same format as the library's {@code created_at}. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WorkflowJson() {
    }

    /** A workflow: {@code workflow_id}, {@code status}, {@code is_paused}, …, {@code task_description}, {@code started_by}. */
    static ObjectNode workflow(HostWorkflows.HostWorkflow host, WorkflowState state) {
        ObjectNode node = JsonBodies.MAPPER.valueToTree(WireFormat.stateMap(state));
        node.put("task_description", host.taskDescription());
        node.put("created_at", TIME.format(host.createdAt()));
        if (host.redirectedFrom() == null) {
            node.putNull("redirected_from");
        } else {
            node.put("redirected_from", host.redirectedFrom().longValue());
        }
        node.put("started_by", host.startedBy());
        return node;
    }

    /** {@code {"workflows":[…]}}. */
    static ObjectNode list(List<ObjectNode> workflows) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode();
        ArrayNode array = root.putArray("workflows");
        workflows.forEach(array::add);
        return root;
    }

    /** {@code {"event":"workflow:updated","workflowId":7,"seq":12,"workflow":{…}}}. */
    static String updated(long workflowId, long seq, ObjectNode workflow) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("event", WORKFLOW_UPDATED);
        node.put("workflowId", workflowId);
        node.put("seq", seq);
        node.set("workflow", workflow);
        return write(node);
    }

    /** {@code {"status":404,"error":"…","field":"id"}} ({@code field} null when no one field is at fault). */
    static ObjectNode error(int status, String field, String message) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("status", status);
        node.put("error", message);
        node.put("field", field);
        return node;
    }

    static String write(JsonNode node) {
        try {
            return JsonBodies.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
