/**
 * The thread's REST API, WebSocket protocol and conversation page for any Java web server:
 * {@link dev.workflowthread.web.ThreadRestHandler} answers requests, {@link
 * dev.workflowthread.web.ThreadSockets} opens a {@link dev.workflowthread.web.SocketSession} per
 * connection, {@link dev.workflowthread.web.WebAssets} names the page's files, and the host
 * implements {@link dev.workflowthread.web.WorkflowHost}. No server of its own.
 */
package dev.workflowthread.web;
