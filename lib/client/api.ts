/** Mutations from the screens: same-origin JSON POSTs; errors carry the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return sendJson<T>("POST", url, body);
}

/** A same-origin JSON write with any method (PATCH, DELETE for the menu API); no body when `body` is undefined. */
export async function sendJson<T>(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    credentials: "same-origin",
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details);
  return json as T;
}

export const setOrderStatus = (id: number, status: string, reason?: string) =>
  postJson(`/api/orders/${id}/status`, { status, ...(reason ? { reason } : {}) });
