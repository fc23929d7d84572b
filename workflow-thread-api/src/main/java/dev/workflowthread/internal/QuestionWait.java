package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Answer;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.QuestionTimeoutException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CheckpointGuard#ask} of a guard: posts the question, waits for the answer as a pause
 * waits, and closes the question once (see {@link Questions}). It applies controls through its
 * guard, so a cancel or redirect during the wait does what it does at a checkpoint.
 */
final class QuestionWait {
    private static final Logger LOG = LoggerFactory.getLogger(QuestionWait.class);

    private final DefaultCheckpointGuard guard;
    private final ThreadCore core;
    private final ThreadStore store;
    private final WorkflowThreadConfig config;
    private final WorkflowSignal signal;
    private final long workflowId;

    QuestionWait(DefaultCheckpointGuard guard, ThreadCore core, WorkflowSignal signal) {
        this.guard = guard;
        this.core = core;
        this.store = core.store();
        this.config = core.config();
        this.signal = signal;
        this.workflowId = guard.workflowId();
    }

    /** Posts the question as {@code agentType} and waits for its answer: {@link CheckpointGuard#ask}. */
    Answer ask(String agentType, String question, List<String> options, Duration timeout, QuestionTimeout onTimeout)
            throws InterruptedException {
        Validation validation = core.validation();
        String text = validation.text("question", question);
        List<String> choices = validation.options(options);
        Duration wait = Validation.timeout("timeout", timeout);
        InvalidMessageException.requireNonNull("onTimeout", onTimeout);
        if (onTimeout.outcome() == QuestionTimeout.Outcome.DEFAULT_ANSWER && !choices.isEmpty()
                && !choices.contains(onTimeout.defaultAnswer())) {
            throw new InvalidMessageException("onTimeout", InvalidMessageException.Reason.NOT_APPLICABLE,
                    "the default answer '" + onTimeout.defaultAnswer() + "' must be one of the options " + choices);
        }
        WorkflowState state = core.requireState(workflowId);
        if (state.isFinished()) {
            throw guard.stopped(state);
        }
        Instant now = core.now();
        Instant deadline = now.plus(wait);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Message.QUESTION, true);
        metadata.put(Message.OPTIONS, choices);
        metadata.put(Message.DEADLINE, deadline.toString());
        Message asked = core.append(workflowId, new NewMessage(null, MessageType.AGENT, agentType, text, metadata,
                ActionType.COMMENT, ActionStatus.PROCESSED, now, null));
        LOG.info("workflow {} asks the person (question {}): {}", workflowId, asked.id(), SystemMessages.abbreviate(text));
        boolean closed = false;
        try {
            Answer answer = awaitAnswer(asked, choices, deadline, wait, onTimeout);
            closed = true;
            return answer;
        } catch (WorkflowStoppedException | QuestionTimeoutException e) {
            closed = true; // the workflow is finished, or the deadline's notice closed the question
            throw e;
        } finally {
            if (!closed) {
                withdraw(asked);
            }
        }
    }

    /**
     * Closes a question the asker stopped waiting for (interrupted, the guard or the service
     * closed, a failing store), so that a later answer is stored as ignored instead of waiting for
     * an asker that is gone. A failure here is only logged: the wait's own failure is the news.
     */
    private void withdraw(Message asked) {
        try {
            store.commit(Commit.append(workflowId, Questions.timedOutNotice(asked,
                    "Question withdrawn: the agent stopped waiting for an answer", core.now())));
        } catch (RuntimeException e) {
            LOG.warn("workflow {}: question {} could not be withdrawn; a later answer to it waits for no one",
                    workflowId, asked.id(), e);
        }
    }

    /**
     * Waits as a pause waits: on this JVM's signal of the workflow, looking at the store when it
     * moves, at least every paused-check interval, and at the deadline. A cancel or redirect is
     * applied (and throws) as at a checkpoint; so is a pause or resume, while the wait goes on.
     */
    private Answer awaitAnswer(Message asked, List<String> options, Instant deadline, Duration wait,
                               QuestionTimeout onTimeout) throws InterruptedException {
        Instant heartbeat = null;
        boolean closedByAnother = false;
        while (true) {
            core.ensureOpen();
            guard.ensureNotClosed();
            long signalBefore = signal.version();
            WorkflowState state = core.requireState(workflowId);
            if (state.isFinished()) {
                throw guard.stopped(state);
            }
            List<OpenMessage> open = core.allOpen(workflowId);
            guard.applyControls(state, open);
            for (OpenMessage candidate : open) {
                Message answer = candidate.message();
                if (Long.valueOf(asked.id()).equals(answer.inReplyTo())) {
                    boolean taken = store.commit(new Commit(workflowId, Commit.ANY_VERSION, null,
                            List.of(Resolution.ofOpen(answer.id(), ActionStatus.PROCESSED)), List.of())).committed();
                    if (taken) {
                        core.observer().messageApplied(workflowId, answer.actionType(), ActionStatus.PROCESSED,
                                core.since(answer.createdAt()));
                        Object choice = answer.metadata() == null ? null : answer.metadata().get(Message.CHOICE);
                        return new Answer(Questions.answerText(answer.content(), answer.metadata()),
                                choice instanceof String c ? c : null, answer.author(), answer.createdAt(), answer.id(), false);
                    }
                }
            }
            Instant now = core.now();
            if (closedByAnother) {
                // Closed, and no answer is open to take: nothing will come; the deadline's outcome.
                LOG.warn("workflow {}: question {} was closed without an answer this guard could take", workflowId,
                        asked.id());
                return timedOut(asked, options, wait, onTimeout, now);
            }
            if (!now.isBefore(deadline)) {
                Optional<Answer> closed = closeUnanswered(asked, options, wait, onTimeout, now);
                if (closed.isPresent()) {
                    return closed.get();
                }
                closedByAnother = true; // an answer closed it first: it is in the store now
                continue;
            }
            if (heartbeat == null || !now.isBefore(heartbeat)) {
                LOG.info("workflow {} waits for an answer to question {} until {}", workflowId, asked.id(), deadline);
                heartbeat = now.plus(config.heartbeatInterval());
            }
            long nanos = Math.min(config.pausedCheckInterval().toNanos(),
                    Math.min(DefaultCheckpointGuard.nanosUntil(now, deadline), DefaultCheckpointGuard.nanosUntil(now, heartbeat)));
            signal.await(signalBefore, Math.max(DefaultCheckpointGuard.MIN_WAIT_NANOS, nanos), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Closes a question nobody answered in time, unless an answer closed it first (then empty):
     * returns the default answer, cancels the workflow (and throws), or throws the timeout.
     */
    private Optional<Answer> closeUnanswered(Message asked, List<String> options, Duration wait,
                                             QuestionTimeout onTimeout, Instant now) {
        String inWords = SystemMessages.inWords(wait);
        String content = switch (onTimeout.outcome()) {
            case DEFAULT_ANSWER -> "No answer within " + inWords + ": going on with '"
                    + SystemMessages.abbreviate(onTimeout.defaultAnswer()) + "'";
            case CANCEL -> "No answer within " + inWords + ": cancelling the workflow";
            case FAIL -> "No answer within " + inWords;
        };
        CommitResult closed = store.commit(Commit.append(workflowId, Questions.timedOutNotice(asked, content, now)));
        if (closed.replayed()) {
            return Optional.empty();
        }
        LOG.info("workflow {}: {} (question {})", workflowId, content, asked.id());
        return Optional.of(timedOut(asked, options, wait, onTimeout, now));
    }

    /** The deadline's outcome, the question closed: the default answer, or the cancel or failure thrown. */
    private Answer timedOut(Message asked, List<String> options, Duration wait, QuestionTimeout onTimeout,
                            Instant now) {
        String inWords = SystemMessages.inWords(wait);
        switch (onTimeout.outcome()) {
            case DEFAULT_ANSWER -> {
                String answer = onTimeout.defaultAnswer();
                return new Answer(answer, options.contains(answer) ? answer : null, null, now, null, true);
            }
            case CANCEL -> {
                String reason = "No answer to question " + asked.id() + " within " + inWords;
                WorkflowState end = core.retry("cancelling workflow " + workflowId, core.requireState(workflowId),
                        state -> state.isFinished() ? null : Transitions.finish(state, Transitions.Ending.cancelled(reason),
                                null, null, core.allOpen(workflowId), core.now())).state();
                throw guard.stopped(end.isFinished() ? end : core.requireState(workflowId));
            }
            default -> throw new QuestionTimeoutException(workflowId, asked.id(), inWords);
        }
    }
}
