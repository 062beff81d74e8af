// The live events vocabulary (realtime/events.py on the service side), in one place for the page.

/** Every event type the service sends (the SSE fallback listens for each by name). */
export const EVENT_TYPES = [
  "connection_established", "agent_thinking", "tool_starting", "tool_progress", "tool_complete",
  "tool_error", "approval_required", "approval_resolved", "agent_message_delta", "agent_done",
  "task_created", "task_updated", "task_deleted", "reminder", "error", "pong", "resumed",
];

/** The events that belong to one agent run and show in its step list. */
const RUN_EVENTS = new Set([
  "agent_thinking", "tool_starting", "tool_progress", "tool_complete", "tool_error",
  "approval_required", "approval_resolved", "agent_message_delta", "agent_done",
]);

export function isRunEvent(event) {
  return RUN_EVENTS.has(event.event_type) && Boolean(event.run_id);
}

export function isTaskEvent(event) {
  return event.event_type.startsWith("task_");
}
