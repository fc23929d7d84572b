package dev.workflowthread.examples.spring;

import dev.workflowthread.RedirectHandler;
import dev.workflowthread.RedirectRequest;
import dev.workflowthread.web.WorkflowHost;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.stereotype.Component;

/**
 * The application's own workflows table ({@code sample_workflows}, made by {@code schema.sql}):
 * what the REST API lists and creates, and where a redirect's new workflow is stored. The library
 * keeps each workflow's thread in its own tables beside it. Creating one starts its agents.
 */
@Component
class SampleWorkflows implements WorkflowHost, RedirectHandler {
    private final JdbcTemplate jdbc;
    private final SimpleJdbcInsert insert;
    /** Asked for when a workflow is created: the orchestrator needs the service, which needs this redirect handler. */
    private final ObjectProvider<SampleOrchestrator> orchestrator;
    private final Clock clock = Clock.systemUTC();

    SampleWorkflows(JdbcTemplate jdbc, ObjectProvider<SampleOrchestrator> orchestrator) {
        this.jdbc = jdbc;
        this.insert = new SimpleJdbcInsert(jdbc).withTableName("sample_workflows").usingGeneratedKeyColumns("id")
                .usingColumns("task_description", "created_at", "started_by", "redirected_from");
        this.orchestrator = orchestrator;
    }

    private long insert(String task, String startedBy, Long redirectedFrom) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("task_description", task);
        row.put("created_at", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        row.put("started_by", startedBy);
        row.put("redirected_from", redirectedFrom);
        return insert.executeAndReturnKey(row).longValue();
    }

    @Override
    public Optional<Map<String, Object>> find(long workflowId) {
        return jdbc.query("SELECT task_description, created_at, started_by, redirected_from FROM sample_workflows"
                + " WHERE id = ?", (rs, n) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("task_description", rs.getString(1));
                    fields.put("created_at", rs.getTimestamp(2).toInstant().toString());
                    fields.put("started_by", rs.getString(3));
                    long from = rs.getLong(4);
                    fields.put("redirected_from", rs.wasNull() ? null : from);
                    return fields;
                }, workflowId).stream().findFirst();
    }

    /** The task of a workflow, for the orchestrator. */
    String task(long workflowId) {
        return jdbc.queryForObject("SELECT task_description FROM sample_workflows WHERE id = ?", String.class,
                workflowId);
    }

    @Override
    public List<Long> newest(int limit) {
        return jdbc.queryForList("SELECT id FROM sample_workflows ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
                Long.class);
    }

    @Override
    public long create(String taskDescription, String startedBy) {
        long id = insert(taskDescription, startedBy, null);
        orchestrator.getObject().launch(id, taskDescription);
        return id;
    }

    /** A redirect's new workflow: stored here; the orchestrator runs it when the old run stops. */
    @Override
    public long createWorkflow(RedirectRequest request) {
        String startedBy = jdbc.query("SELECT started_by FROM sample_workflows WHERE id = ?",
                (rs, n) -> rs.getString(1), request.originalWorkflowId()).stream().findFirst().orElse(null);
        return insert(request.newTaskDescription(), startedBy, request.originalWorkflowId());
    }
}
