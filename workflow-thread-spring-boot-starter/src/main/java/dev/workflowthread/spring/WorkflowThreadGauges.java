package dev.workflowthread.spring;

import dev.workflowthread.WorkflowThreadObserver;
import java.util.Optional;

/**
 * Keeps the {@link WorkflowThreadObserver.Gauges} of the auto-configured service, for the health
 * indicator: an observer bean like any other, told {@link #attached} when the service is built.
 * Empty when the application made its own {@code WorkflowMessages} bean.
 */
final class WorkflowThreadGauges implements WorkflowThreadObserver {
    private volatile Gauges gauges;

    @Override
    public void attached(Gauges gauges) {
        this.gauges = gauges;
    }

    Optional<Gauges> gauges() {
        return Optional.ofNullable(gauges);
    }

    @Override
    public String toString() {
        return "WorkflowThreadGauges";
    }
}
