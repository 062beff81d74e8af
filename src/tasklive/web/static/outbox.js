// Messages the service has not answered yet, kept in localStorage so an outage or a reload loses none.

/** What a user message's line under the bubble says in each state. */
export const STATE_NOTES = {
  sending: "Sending…",
  queued: "Not sent yet · it goes when the connection is back",
  retrying: "Retrying…",
  failed: "Not sent",
};

export class Outbox {
  constructor() {
    this.key = null;
  }

  start(userId) {
    this.key = `tasklive.outbox.${userId}`;
  }

  stop() {
    this.key = null;
  }

  /** Unanswered messages, oldest first: {clientMessageId, text, conversationId, createdAt}. */
  entries() {
    if (!this.key) return [];
    try {
      const stored = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch {
      return [];
    }
  }

  put(entry) {
    const others = this.entries().filter((e) => e.clientMessageId !== entry.clientMessageId);
    this.save([...others, entry]);
  }

  remove(clientMessageId) {
    this.save(this.entries().filter((e) => e.clientMessageId !== clientMessageId));
  }

  save(entries) {
    if (!this.key) return;
    if (entries.length) localStorage.setItem(this.key, JSON.stringify(entries));
    else localStorage.removeItem(this.key);
  }
}
