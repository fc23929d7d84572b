package dev.workflowthread.web;

/**
 * How a {@link SocketSession} reaches its client: the host implements it over its server's
 * WebSocket connection (Jetty's {@code Session}, Jakarta's {@code Session}, Spring's
 * {@code WebSocketSession}, …).
 *
 * <p>The session calls {@link #sendText} for one text at a time and waits for its
 * {@link Completion} before the next, so an implementation need not queue; it may complete inline
 * (a blocking send) or later (an asynchronous one), on any thread.
 */
public interface SocketSender {

    /**
     * Sends one text frame.
     *
     * @param text       the JSON text
     * @param completion to call once, when the text was sent or sending it failed
     */
    void sendText(String text, Completion completion);

    /**
     * Closes the connection.
     *
     * @param code   the WebSocket close code ({@link SocketSession#TRY_AGAIN_LATER} for a client
     *               too far behind, {@link SocketSession#GOING_AWAY} for a stopping server)
     * @param reason the close reason, short
     */
    void close(int code, String reason);

    /** The end of one {@link #sendText}. */
    interface Completion {

        /** The text was sent: the next one may go. */
        void sent();

        /**
         * Sending failed: the connection is closing, and nothing more is sent on it.
         *
         * @param cause why
         */
        void failed(Throwable cause);
    }
}
