package dev.workflowthread;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The immutable configuration of a {@link WorkflowMessages}. Build one with {@link #builder()};
 * every setter checks its argument and says what it got when it refuses it.
 *
 * @param clock               the source of every timestamp and timeout
 * @param maxContentBytes     the most UTF-8 bytes a message's content (and its metadata as JSON) may have
 * @param pausedCheckInterval how often a paused checkpoint looks at the store besides being woken;
 *                            and, with a store that cannot tell this JVM about every change
 *                            ({@code notifiesAllChanges()} false), the staleness bound: how long
 *                            {@code check()} may go on answering from memory
 * @param pauseTimeout        how long a checkpoint stays paused before {@code pauseTimeoutOutcome}
 * @param pauseTimeoutOutcome what happens when the pause times out
 * @param heartbeatInterval   how often a paused checkpoint logs that it is alive and waiting
 * @param leaseDuration       how long a checkpoint holds a message it took; after that another
 *                            checkpoint may take it again
 * @param listenerExecutor    where listeners are called; null to let the library own a pool
 * @param redirectHandler     creates the workflow that replaces a redirected one; null disables redirect
 * @param sendPolicy          decides who may send what to which workflow; {@link SendPolicy#allowAll()} by default
 * @param observer            told what the service does, for meters; {@link WorkflowThreadObserver#none()} by default
 */
public record WorkflowThreadConfig(
        Clock clock,
        int maxContentBytes,
        Duration pausedCheckInterval,
        Duration pauseTimeout,
        PauseTimeoutOutcome pauseTimeoutOutcome,
        Duration heartbeatInterval,
        Duration leaseDuration,
        Executor listenerExecutor,
        RedirectHandler redirectHandler,
        SendPolicy sendPolicy,
        WorkflowThreadObserver observer) {

    /** 64 KiB of UTF-8. */
    public static final int DEFAULT_MAX_CONTENT_BYTES = 64 * 1024;
    /**
     * The largest {@code maxContentBytes}: 4 MiB, so that a message's content and metadata
     * together stay within what every supported database takes in one statement (MariaDB's
     * default {@code max_allowed_packet} is 16 MiB, and MySQL's {@code MEDIUMTEXT} holds 16 MiB).
     */
    public static final int MAX_CONTENT_BYTES = 4 * 1024 * 1024;
    /**
     * 250 ms: a paused checkpoint looks at the store at least this often, and with a store that
     * cannot tell this JVM about every change, {@code check()} answers from memory for no longer.
     */
    public static final Duration DEFAULT_PAUSED_CHECK_INTERVAL = Duration.ofMillis(250);
    /** 30 minutes: how long a checkpoint stays paused, by default, before the pause times out. */
    public static final Duration DEFAULT_PAUSE_TIMEOUT = Duration.ofMinutes(30);
    /** Cancel the workflow when a pause times out. */
    public static final PauseTimeoutOutcome DEFAULT_PAUSE_TIMEOUT_OUTCOME = PauseTimeoutOutcome.CANCEL;
    /** One log line a minute while paused. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(1);
    /** Five minutes for an agent to answer an instruction, or for a crashed checkpoint's message to be taken again. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(5);
    /** The longest duration any setting takes: ten years (enough to mean "never", and safe to add to any time). */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    /**
     * Checks every value, as the builder does, so a config made with the constructor is valid too.
     *
     * @param clock               the source of every timestamp and timeout
     * @param maxContentBytes     1 to {@value #MAX_CONTENT_BYTES}
     * @param pausedCheckInterval positive, at most {@link #MAX_DURATION}
     * @param pauseTimeout        positive, at most {@link #MAX_DURATION}
     * @param pauseTimeoutOutcome what happens when the pause times out
     * @param heartbeatInterval   positive, at most {@link #MAX_DURATION}
     * @param leaseDuration       positive, at most {@link #MAX_DURATION}
     * @param listenerExecutor    where listeners are called, or null for a pool of the library's own
     * @param redirectHandler     creates the workflow that replaces a redirected one, or null
     * @param sendPolicy          decides who may send what to which workflow
     * @param observer            told what the service does
     * @throws IllegalArgumentException naming the setting: a null {@code clock},
     *                                  {@code pauseTimeoutOutcome}, {@code sendPolicy} or
     *                                  {@code observer}, a {@code maxContentBytes} out of range, or a
     *                                  duration that is null, not positive or longer than
     *                                  {@link #MAX_DURATION}
     */
    public WorkflowThreadConfig {
        Builder.required("clock", clock);
        Builder.contentLimit(maxContentBytes);
        Builder.positive("pausedCheckInterval", pausedCheckInterval);
        Builder.positive("pauseTimeout", pauseTimeout);
        Builder.required("pauseTimeoutOutcome", pauseTimeoutOutcome);
        Builder.positive("heartbeatInterval", heartbeatInterval);
        Builder.positive("leaseDuration", leaseDuration);
        Builder.required("sendPolicy", sendPolicy);
        Builder.required("observer", observer);
    }

    /**
     * The defaults: system UTC clock, the {@code DEFAULT_*} values, no redirect handler, a listener
     * pool of the library's own, every send allowed, no observer.
     *
     * @return the default configuration
     */
    public static WorkflowThreadConfig defaults() {
        return builder().build();
    }

    /**
     * A builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this configuration, to change some of it.
     *
     * @return a new builder holding every value of this configuration
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.clock = clock;
        builder.maxContentBytes = maxContentBytes;
        builder.pausedCheckInterval = pausedCheckInterval;
        builder.pauseTimeout = pauseTimeout;
        builder.pauseTimeoutOutcome = pauseTimeoutOutcome;
        builder.heartbeatInterval = heartbeatInterval;
        builder.leaseDuration = leaseDuration;
        builder.listenerExecutor = listenerExecutor;
        builder.redirectHandler = redirectHandler;
        builder.sendPolicy = sendPolicy;
        builder.observer = observer;
        return builder;
    }

    /** Builds a {@link WorkflowThreadConfig}; not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maxContentBytes = DEFAULT_MAX_CONTENT_BYTES;
        private Duration pausedCheckInterval = DEFAULT_PAUSED_CHECK_INTERVAL;
        private Duration pauseTimeout = DEFAULT_PAUSE_TIMEOUT;
        private PauseTimeoutOutcome pauseTimeoutOutcome = DEFAULT_PAUSE_TIMEOUT_OUTCOME;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Executor listenerExecutor;
        private RedirectHandler redirectHandler;
        private SendPolicy sendPolicy = SendPolicy.allowAll();
        private WorkflowThreadObserver observer = WorkflowThreadObserver.none();

        private Builder() {
        }

        /**
         * The source of every timestamp and timeout; a settable clock makes tests of timeouts
         * quick. Default {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalArgumentException when {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Builder.required("clock", clock);
            return this;
        }

        /**
         * The most UTF-8 bytes a message's content (and its metadata as JSON) may have. Default
         * {@value WorkflowThreadConfig#DEFAULT_MAX_CONTENT_BYTES}.
         *
         * @param maxContentBytes 1 to {@value WorkflowThreadConfig#MAX_CONTENT_BYTES}
         * @return this builder
         * @throws IllegalArgumentException when {@code maxContentBytes} is out of range
         */
        public Builder maxContentBytes(int maxContentBytes) {
            this.maxContentBytes = contentLimit(maxContentBytes);
            return this;
        }

        static int contentLimit(int maxContentBytes) {
            if (maxContentBytes < 1 || maxContentBytes > MAX_CONTENT_BYTES) {
                throw new IllegalArgumentException("maxContentBytes must be between 1 and " + MAX_CONTENT_BYTES
                        + ", but was " + maxContentBytes);
            }
            return maxContentBytes;
        }

        /**
         * How often a paused checkpoint looks at the store besides being woken (and the staleness
         * bound of a store that cannot tell this JVM about every change); default 250 ms.
         *
         * @param pausedCheckInterval positive, at most {@link WorkflowThreadConfig#MAX_DURATION}
         * @return this builder
         * @throws IllegalArgumentException when it is null, not positive or too long
         */
        public Builder pausedCheckInterval(Duration pausedCheckInterval) {
            this.pausedCheckInterval = positive("pausedCheckInterval", pausedCheckInterval);
            return this;
        }

        /**
         * How long a checkpoint stays paused before the {@linkplain #pauseTimeoutOutcome outcome}
         * applies. Default 30 minutes.
         *
         * @param pauseTimeout positive, at most {@link WorkflowThreadConfig#MAX_DURATION}
         * @return this builder
         * @throws IllegalArgumentException when it is null, not positive or too long
         */
        public Builder pauseTimeout(Duration pauseTimeout) {
            this.pauseTimeout = positive("pauseTimeout", pauseTimeout);
            return this;
        }

        /**
         * What happens when a pause times out. Default {@link PauseTimeoutOutcome#CANCEL}.
         *
         * @param outcome cancel, fail or resume
         * @return this builder
         * @throws IllegalArgumentException when {@code outcome} is null
         */
        public Builder pauseTimeoutOutcome(PauseTimeoutOutcome outcome) {
            this.pauseTimeoutOutcome = Builder.required("pauseTimeoutOutcome", outcome);
            return this;
        }

        /**
         * How often a paused checkpoint logs that it is alive and waiting. Default one minute.
         *
         * @param heartbeatInterval positive, at most {@link WorkflowThreadConfig#MAX_DURATION}
         * @return this builder
         * @throws IllegalArgumentException when it is null, not positive or too long
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = positive("heartbeatInterval", heartbeatInterval);
            return this;
        }

        /**
         * How long a checkpoint holds a message it took: an instruction awaiting the agent's reply,
         * or a control message being applied. After that another checkpoint may take it again.
         * Default five minutes.
         *
         * @param leaseDuration positive, at most {@link WorkflowThreadConfig#MAX_DURATION}
         * @return this builder
         * @throws IllegalArgumentException when it is null, not positive or too long
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = positive("leaseDuration", leaseDuration);
            return this;
        }

        /**
         * Where listeners run. It must hand tasks to other threads (a pool), not run them on the
         * caller: deliveries are scheduled while a store commits. The library does not shut down
         * an executor it was given. Default: a pool of daemon threads the library makes and shuts
         * down on {@link WorkflowMessages#close()}.
         *
         * @param listenerExecutor the executor
         * @return this builder
         * @throws IllegalArgumentException when {@code listenerExecutor} is null
         */
        public Builder listenerExecutor(Executor listenerExecutor) {
            this.listenerExecutor = Builder.required("listenerExecutor", listenerExecutor);
            return this;
        }

        /**
         * Creates the workflow that replaces a redirected one. Without one (the default) a
         * redirect is refused at send time with {@link RedirectNotConfiguredException}.
         *
         * @param redirectHandler the host's handler
         * @return this builder
         * @throws IllegalArgumentException when {@code redirectHandler} is null
         */
        public Builder redirectHandler(RedirectHandler redirectHandler) {
            this.redirectHandler = Builder.required("redirectHandler", redirectHandler);
            return this;
        }

        /**
         * Who may send what to which workflow: consulted by every send of a person's message before
         * anything is stored (see {@link SendPolicy}). Default {@link SendPolicy#allowAll()}.
         *
         * @param sendPolicy the policy
         * @return this builder
         * @throws IllegalArgumentException when {@code sendPolicy} is null
         */
        public Builder sendPolicy(SendPolicy sendPolicy) {
            this.sendPolicy = required("sendPolicy", sendPolicy);
            return this;
        }

        /**
         * Told what the service does: sends, what checkpoints apply, pauses, listener deliveries,
         * store failures (see {@link WorkflowThreadObserver}); several are combined with
         * {@link WorkflowThreadObserver#all}. Default {@link WorkflowThreadObserver#none()}.
         *
         * @param observer the observer
         * @return this builder
         * @throws IllegalArgumentException when {@code observer} is null
         */
        public Builder observer(WorkflowThreadObserver observer) {
            this.observer = required("observer", observer);
            return this;
        }

        /**
         * The configuration with the values set so far, the defaults for the others.
         *
         * @return a new immutable configuration
         */
        public WorkflowThreadConfig build() {
            return new WorkflowThreadConfig(clock, maxContentBytes, pausedCheckInterval, pauseTimeout, pauseTimeoutOutcome,
                    heartbeatInterval, leaseDuration, listenerExecutor, redirectHandler, sendPolicy,
                    observer);
        }

        /** The builder's null check: an {@link IllegalArgumentException} naming the setting, as for every other bad value. */
        private static <T> T required(String name, T value) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            required(name, value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, but was " + value);
            }
            if (value.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ", but was " + value);
            }
            return value;
        }
    }
}
