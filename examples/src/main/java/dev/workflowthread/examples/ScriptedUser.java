package dev.workflowthread.examples;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.ThreadListener;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.examples.agents.DemoOrchestrator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The person watching the thread in the host's web app, scripted. It runs on its own thread and
 * sees the thread the way a browser would: through a {@link ThreadListener} (the host's WebSocket
 * in production). Each step of its script waits for an event, then sends one message.
 *
 * <p>So that the demo prints the same thread on every run, the agent whose narration triggers a
 * step waits, in {@link #beforeCheckpoint}, until the person has acted on it: the person's message is
 * then certainly stored before the agent's next checkpoint. (A real person is just faster or
 * slower; the library handles both.) No sleeps decide the order.
 */
final class ScriptedUser implements ThreadListener, DemoOrchestrator.CheckpointObserver, AutoCloseable {

    static final String AUTHOR = "alice@example.com";
    static final String PAUSE = "Please pause - I need to add something to the requirements";
    static final String CONTEXT = "Note: The authentication system uses JWT tokens stored in httpOnly cookies";
    static final String RESUME = "Resume - I've updated the requirements";
    static final String REDIRECT = "REDIRECT: Actually, make this a dropdown menu instead of a button";
    /** The narration the person redirects on: the code agent writing the form. */
    static final String REDIRECT_TRIGGER = "Writing file: src/components/SettingsForm.tsx";

    /** How long one step of the script may wait for its event; only a broken demo waits this long. */
    private static final long STEP_TIMEOUT_SECONDS = 10;

    /** One step of the script: when {@code trigger} arrives, send {@code request}. */
    private record Action(String name, Predicate<ThreadEvent> trigger, SendRequest request, CountDownLatch done) {
        Action(String name, Predicate<ThreadEvent> trigger, SendRequest request) {
            this(name, trigger, request, new CountDownLatch(1));
        }
    }

    private final WorkflowMessages messages;
    private final long workflowId;
    private final List<Action> script;
    private final BlockingQueue<ThreadEvent> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Throwable failure;

    ScriptedUser(WorkflowMessages messages, long workflowId, String newTask) {
        this.messages = messages;
        this.workflowId = workflowId;
        this.script = List.of(
                // Sees the plan agent open src/index.ts and realises a requirement is missing.
                new Action("pause", agentSaid("Reading file: src/index.ts"),
                        SendRequest.of(ActionType.PAUSE, PAUSE).withAuthor(AUTHOR)),
                // Once the workflow is really paused, adds the missing context.
                new Action("add context", event -> event instanceof ThreadEvent.WorkflowPaused,
                        SendRequest.of(ActionType.INSTRUCTION, CONTEXT).withAuthor(AUTHOR)),
                // Sees the note in the thread, and lets the workflow go on.
                new Action("resume", userSent(ActionType.INSTRUCTION),
                        SendRequest.of(ActionType.RESUME, RESUME).withAuthor(AUTHOR)),
                // Sees the code agent write the settings form and changes their mind.
                new Action("redirect", agentSaid(REDIRECT_TRIGGER),
                        SendRequest.redirect(REDIRECT, newTask).withAuthor(AUTHOR)));
        this.thread = new Thread(this::runScript, "scripted-user");
        this.thread.setDaemon(true);
    }

    /** Starts acting; subscribe this listener to the workflow first. */
    void start() {
        thread.start();
    }

    /** Called on the library's listener thread: hands the event over to the person's thread. */
    @Override
    public void onEvent(ThreadEvent event) {
        if (event.workflowId() == workflowId) {
            events.add(event);
        }
    }

    /** Waits for an action this narration triggers, so the order of the thread is the same every run. */
    @Override
    public void beforeCheckpoint(Message narrated) throws InterruptedException {
        if (narrated == null || narrated.workflowId() != workflowId) {
            return;
        }
        ThreadEvent asEvent = new ThreadEvent.MessageAdded(narrated);
        for (Action action : script) {
            if (action.trigger().test(asEvent) && !action.done().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the scripted user did not " + action.name() + " in time", failure);
            }
        }
    }

    /** Waits until the whole script ran; rethrows what went wrong on the person's thread. */
    void awaitFinished() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(STEP_TIMEOUT_SECONDS));
        if (thread.isAlive()) {
            throw new IllegalStateException("the scripted user did not finish its script");
        }
        if (failure != null) {
            throw new IllegalStateException("the scripted user failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }

    private void runScript() {
        try {
            for (Action action : script) {
                awaitEvent(action);
                SendResult result = messages.send(workflowId, action.request());
                if (result.ignored()) {
                    throw new IllegalStateException(action.name() + " was ignored: " + result.reason());
                }
                action.done().countDown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (RuntimeException e) {
            failure = e;
            try {
                // Do not leave the agent loop paused until the pause times out.
                messages.cancel(workflowId, "The scripted user failed: " + e.getMessage());
            } catch (RuntimeException cancelFailed) {
                e.addSuppressed(cancelFailed);
            }
        }
    }

    private void awaitEvent(Action action) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
        while (true) {
            ThreadEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new IllegalStateException("no event to " + action.name() + " on came within "
                        + STEP_TIMEOUT_SECONDS + " s");
            }
            if (action.trigger().test(event)) {
                return;
            }
        }
    }

    private static Predicate<ThreadEvent> agentSaid(String prefix) {
        return event -> event instanceof ThreadEvent.MessageAdded added
                && added.message().messageType() == MessageType.AGENT
                && added.message().content().startsWith(prefix);
    }

    private static Predicate<ThreadEvent> userSent(ActionType actionType) {
        return event -> event instanceof ThreadEvent.MessageAdded added
                && added.message().messageType() == MessageType.USER
                && added.message().actionType() == actionType;
    }
}
