// The HTTP API of PROTOCOL.md. Errors arrive as {"error":{"code","message"}} and become ApiError.

/** A refused request: the protocol's error code, its message and the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Sends a request and returns the Response when it succeeded. `key` goes in the Authorization
 * header (never in the URL); `body` is sent as JSON.
 */
export async function request(method, path, { key, body } = {}) {
  const headers = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) {
    let code = 'unavailable';
    let message = `The server answered ${response.status}.`;
    try {
      const error = (await response.json()).error;
      code = error.code;
      message = error.message;
    } catch {
      // Not the JSON error shape (e.g. a proxy's page): keep the generic message.
    }
    throw new ApiError(response.status, code, message);
  }
  return response;
}

/** Sends a request and returns its JSON body. */
export async function requestJson(method, path, options) {
  return (await request(method, path, options)).json();
}
