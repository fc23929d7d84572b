package dev.workflowthread;

import dev.workflowthread.internal.Implementation;

/**
 * The host's one place to say who may steer which workflow: consulted by every
 * {@link WorkflowMessages#send send} of a person's message (also by the shorthands
 * {@link WorkflowMessages#pause pause}, {@link WorkflowMessages#unpause unpause} and
 * {@link WorkflowMessages#cancel cancel}, and by {@link WorkflowMessages#addMessage addMessage}
 * with {@link MessageType#USER}), before anything is stored. A send it denies throws
 * {@link SendRefusedException} with the policy's reason, and nothing is stored.
 *
 * <p><b>The caller is the request's {@link SendRequest#author() author}.</b> The library has no
 * notion of a user of its own: the host sets the author from the user it authenticated (never
 * from what a client wrote), and the policy judges that author; the stored message then names
 * the author the policy allowed. The shorthands send no author (null), so a policy that requires
 * one refuses them; a host that authenticates its callers sends
 * {@code send(id, SendRequest.of(ActionType.PAUSE, reason).withAuthor(user))} instead.
 *
 * <pre>{@code
 * // anyone may comment or instruct; only the workflow's owner may pause, resume, cancel or redirect it
 * SendPolicy policy = (state, request) -> !request.actionType().isControl()
 *         || owners.isOwner(state.workflowId(), request.author())
 *         ? SendPolicy.Decision.allow()
 *         : SendPolicy.Decision.deny("only the owner of workflow " + state.workflowId() + " may "
 *                 + request.actionType().wireName() + " it");
 * WorkflowThreadConfig config = WorkflowThreadConfig.builder().sendPolicy(policy).build();
 * }</pre>
 *
 * <p>When it is called: after the request was validated (so it sees only valid requests; invalid
 * ones throw {@link InvalidMessageException} first) and after the workflow's state was read, on
 * the sender's thread, outside any lock of the library. It is called once for each attempt to
 * commit the message: when another writer changes the workflow between the read and the commit,
 * the state is read again and the policy asked again, so the decision always holds for the state
 * the message is stored against. It must therefore be quick and free of side effects, and
 * thread-safe. Agent and system messages (narration, the library's own notices) are not a
 * person's steering and never reach it.
 *
 * <p>A policy that throws fails closed: nothing is stored and the exception reaches the caller of
 * {@code send} unchanged (so a host's own exception keeps its type; it is not taken for a
 * refusal). A policy that returns null is a bug of the policy: the send throws
 * {@link WorkflowThreadException} saying so, and nothing is stored.
 */
@FunctionalInterface
public interface SendPolicy {

    /**
     * Decides whether the person's message may be sent.
     *
     * @param state   the workflow's state as read for this attempt (its id is {@code state.workflowId()})
     * @param request the request as the host made it; its {@code author} is the caller
     * @return {@link Decision#allow()}, or {@link Decision#deny(String)} with the reason
     */
    Decision decide(WorkflowState state, SendRequest request);

    /**
     * The default: every send is allowed.
     *
     * @return the policy that allows every send
     */
    static SendPolicy allowAll() {
        return Implementation.allowAllSendPolicy();
    }

    /**
     * What a policy decided.
     *
     * @param allowed whether the message may be sent
     * @param reason  why it may not (shown to the caller, kept in {@link SendRefusedException#reason()});
     *                null when allowed
     */
    record Decision(boolean allowed, String reason) {
        private static final Decision ALLOW = new Decision(true, null);

        /**
         * A decision; an allowing one has no reason, a denial has one.
         *
         * @param allowed whether the message may be sent
         * @param reason  null when allowed; a non-blank reason when not
         * @throws IllegalArgumentException when an allowing decision has a reason, or a denial has
         *                                  none or a blank one
         */
        public Decision {
            if (allowed && reason != null) {
                throw new IllegalArgumentException("an allowing decision has no reason, but was given '" + reason + "'");
            }
            if (!allowed && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a denial needs a reason the caller can be shown");
            }
        }

        /**
         * The message may be sent.
         *
         * @return the allowing decision (one shared instance)
         */
        public static Decision allow() {
            return ALLOW;
        }

        /**
         * The message is refused.
         *
         * @param reason why, as the caller will be shown it; not blank
         * @return the denial
         * @throws IllegalArgumentException when {@code reason} is null or blank
         */
        public static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }
}
