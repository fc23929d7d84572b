package dev.workflowthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class WorkflowThreadConfigTest {

    @Test
    void theConfigBuilderRefusesNullsAsEveryOtherBadValueWithAnIllegalArgumentException() {
        WorkflowThreadConfig.Builder builder = WorkflowThreadConfig.builder();
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clock must not be null");
        assertThatThrownBy(() -> builder.pauseTimeoutOutcome(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pauseTimeoutOutcome must not be null");
        assertThatThrownBy(() -> builder.listenerExecutor(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listenerExecutor must not be null");
        assertThatThrownBy(() -> builder.redirectHandler(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redirectHandler must not be null");
        assertThatThrownBy(() -> builder.pausedCheckInterval(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pausedCheckInterval must not be null");
        assertThatThrownBy(() -> builder.sendPolicy(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sendPolicy must not be null");
        WorkflowThreadConfig defaults = WorkflowThreadConfig.defaults();
        assertThatThrownBy(() -> new WorkflowThreadConfig(null, defaults.maxContentBytes(), defaults.pausedCheckInterval(),
                defaults.pauseTimeout(), defaults.pauseTimeoutOutcome(), defaults.heartbeatInterval(),
                defaults.leaseDuration(), null, null, SendPolicy.allowAll(), WorkflowThreadObserver.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clock must not be null");
        assertThatThrownBy(() -> new WorkflowThreadConfig(Clock.systemUTC(), defaults.maxContentBytes(),
                defaults.pausedCheckInterval(), defaults.pauseTimeout(), defaults.pauseTimeoutOutcome(),
                defaults.heartbeatInterval(), defaults.leaseDuration(), null, null, null, WorkflowThreadObserver.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sendPolicy must not be null");
        assertThatThrownBy(() -> builder.observer(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("observer must not be null");
        assertThatThrownBy(() -> new WorkflowThreadConfig(Clock.systemUTC(), defaults.maxContentBytes(),
                defaults.pausedCheckInterval(), defaults.pauseTimeout(), defaults.pauseTimeoutOutcome(),
                defaults.heartbeatInterval(), defaults.leaseDuration(), null, null, SendPolicy.allowAll(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("observer must not be null");
        assertThat(builder.clock(Clock.systemUTC()).build().clock()).isEqualTo(Clock.systemUTC());
    }

    @Test
    void aServiceWithoutAStoreOrAConfigIsRefusedTheSameWay() {
        assertThatThrownBy(() -> WorkflowMessages.create(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store must not be null");
        assertThatThrownBy(() -> WorkflowMessages.create(null, WorkflowThreadConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("store must not be null");
    }
}
