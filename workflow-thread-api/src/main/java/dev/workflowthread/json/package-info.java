/**
 * The library's JSON wire format, for a host's REST endpoints and WebSocket: see
 * {@link dev.workflowthread.json.WireFormat}. Part of the API.
 */
package dev.workflowthread.json;
