// The HTTP API, exactly as the contract describes it. The session cookie authenticates.

export class ApiError extends Error {
  constructor(status, body) {
    super(messageFor(status, body));
    this.status = status;
    this.body = body || {};
  }
}

export class NetworkError extends Error {
  constructor() {
    super("Can't reach tasklive. Check your connection and try again.");
  }
}

function messageFor(status, body) {
  if (body && typeof body.error === "string" && status < 500) return body.error;
  if (status === 503) return "The service is busy or unavailable right now. Please try again shortly.";
  if (status >= 500) return "Something went wrong on our side. Please try again.";
  return "The request failed. Please try again.";
}

let unauthorizedHandler = () => {};
// A 401 from these means a wrong password or no session yet, not a session that ended.
const SIGNING_IN = /^\/api\/auth\/(sign-in|sign-up|sign-out|session)$/;

/** Called when any non-auth call answers 401 (the session has ended). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** Send one request; returns the JSON body (null for 204) or throws ApiError/NetworkError. */
export async function request(method, path, body, { signal } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" }, signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new NetworkError();
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !SIGNING_IN.test(path)) unauthorizedHandler(error);
    throw error;
  }
  return data;
}

const userPath = (userId, rest) => `/api/${encodeURIComponent(userId)}${rest}`;

export const auth = {
  session: () => request("GET", "/api/auth/session"),
  signIn: (email, password) => request("POST", "/api/auth/sign-in", { email, password }),
  /** Create an account; `name` and `timezone` (an IANA name) are left out when empty. */
  signUp: (email, password, name, timezone) => {
    const body = { email, password };
    if (name) body.name = name;
    if (timezone) body.timezone = timezone;
    return request("POST", "/api/auth/sign-up", body);
  },
  signOut: () => request("POST", "/api/auth/sign-out"),
};

export const account = {
  me: () => request("GET", "/api/auth/me"),
  /** Change `name`, `timezone` or `approve_deletes`; answers the updated account. */
  update: (changes) => request("PATCH", "/api/auth/me", changes),
  replaceFeed: () => request("POST", "/api/auth/me/calendar-feed"),
  tokens: () => request("GET", "/api/auth/tokens"),
  createToken: (name) => request("POST", "/api/auth/tokens", { name }),
  revokeToken: (id) => request("DELETE", `/api/auth/tokens/${encodeURIComponent(id)}`),
};

export const push = {
  key: () => request("GET", "/api/push/key"),
  subscriptions: () => request("GET", "/api/push/subscriptions"),
  subscribe: (subscription) => request("POST", "/api/push/subscriptions", subscription),
  unsubscribe: (id) => request("DELETE", `/api/push/subscriptions/${encodeURIComponent(id)}`),
};

export const tasks = {
  /** Every task that matches a query string, fetched page by page. */
  every: async (query = "status=all") => {
    const items = [];
    for (;;) {
      const path = `/api/tasks?${query}&limit=200&offset=${items.length}`;
      const page = await request("GET", path);
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  },
  create: (title) => request("POST", "/api/tasks", { title }),
  /** One line read by the quick-add reader: answers `{task, spans}`. */
  quickAdd: (text) => request("POST", "/api/tasks/quick", { text }),
  /** What the reader would make of a line, writing nothing: `{draft, spans}`. */
  quickPreview: (text, options) => request("POST", "/api/tasks/quick/preview", { text }, options),
  update: (id, changes) => request("PATCH", `/api/tasks/${encodeURIComponent(id)}`, changes),
  remove: (id) => request("DELETE", `/api/tasks/${encodeURIComponent(id)}`),
};

export const activity = {
  recent: (limit = 20) => request("GET", `/api/activity?limit=${limit}`),
  undo: () => request("POST", "/api/activity/undo"),
};

export const chat = {
  send: (userId, body) => request("POST", userPath(userId, "/chat"), body),
  conversations: (userId) => request("GET", userPath(userId, "/conversations")),
  messages: (userId, conversationId, { before = null } = {}) => {
    const query = before ? `?before=${encodeURIComponent(before)}` : "";
    const path = `/conversations/${encodeURIComponent(conversationId)}/messages${query}`;
    return request("GET", userPath(userId, path));
  },
  deleteConversation: (userId, conversationId) =>
    request("DELETE", userPath(userId, `/conversations/${encodeURIComponent(conversationId)}`)),
  approve: (userId, approvalId, approved) =>
    request("POST", userPath(userId, `/approvals/${encodeURIComponent(approvalId)}`), { approved }),
  cancel: (userId, runId) =>
    request("POST", userPath(userId, `/runs/${encodeURIComponent(runId)}/cancel`)),
};

/** Whether the service answers HTTP at all (any status counts). */
export async function reachable() {
  try {
    const response = await fetch("/api/auth/session", { credentials: "same-origin" });
    return { up: true, signedIn: response.ok, status: response.status };
  } catch {
    return { up: false, signedIn: false, status: 0 };
  }
}
