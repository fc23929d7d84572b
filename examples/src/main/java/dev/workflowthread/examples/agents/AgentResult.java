package dev.workflowthread.examples.agents;

import java.util.Map;

/**
 * What an agent reports when it is done.
 *
 * @param summary  what "{type} agent completed: {summary}" says
 * @param metadata structured results stored with that message (a JSON object), or null
 */
public record AgentResult(String summary, Map<String, Object> metadata) {
}
