"""Live events: envelope, per-user hub, brokers, WebSocket and SSE endpoints."""
