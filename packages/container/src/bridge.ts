/**
 * `@lunora/container/bridge`: call the app's queries, mutations and actions from inside a
 * container (any JS runtime with `fetch`). Contract: `POST <baseUrl>/_lunora/rpc` with JSON
 * `{ functionPath, args }` and `Authorization: Bearer <token>`; the Worker answers
 * `{ "result": <value> }` or `{ "error": { "code", "message" } }`.
 */

/** The RPC endpoint path, relative to `baseUrl`. */
export const BRIDGE_RPC_PATH = "/_lunora/rpc";

/** A reference to an app function, as the generated `api` object provides; types carry args and result. */
export interface FunctionReference<Args = unknown, Result = unknown> {
  readonly path: string;
  /** Type-only markers; never read at runtime. */
  readonly __args?: Args;
  readonly __result?: Result;
}

export type FunctionArgs<R> = R extends FunctionReference<infer A, unknown> ? A : never;
export type FunctionResult<R> = R extends FunctionReference<unknown, infer T> ? T : never;

export interface ContainerBridgeOptions {
  /** The Worker's public URL, e.g. `https://app.example.workers.dev`. */
  readonly baseUrl: string | undefined;
  /** A bearer the Worker's `resolveIdentity` recognises. */
  readonly token: string | undefined;
  /** Defaults to the global `fetch`. */
  readonly fetch?: (input: Request) => Promise<Response>;
}

export interface ContainerBridge {
  query<Result = unknown>(path: string, args?: unknown): Promise<Result>;
  mutation<Result = unknown>(path: string, args?: unknown): Promise<Result>;
  action<Result = unknown>(path: string, args?: unknown): Promise<Result>;
  /** Calls a function reference (or a `"module:function"` path) with typed args and result. */
  run<R extends FunctionReference<any, any>>(ref: R, args: FunctionArgs<R>): Promise<FunctionResult<R>>;
  run<Result = unknown>(ref: string, args?: unknown): Promise<Result>;
}

/** A bridge call failed. `code` is the Worker's error code, or a `bridge/*` code for transport problems. */
export class ContainerBridgeError extends Error {
  readonly code: string;
  /** HTTP status of the answer; 0 when no answer arrived. */
  readonly status: number;
  readonly functionPath: string | undefined;
  constructor(code: string, message: string, status: number, functionPath?: string) {
    super(message);
    this.name = "ContainerBridgeError";
    this.code = code;
    this.status = status;
    this.functionPath = functionPath;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function referencePath(ref: unknown): string {
  if (typeof ref === "string" && ref !== "") return ref;
  if (isObject(ref) && typeof ref["path"] === "string" && ref["path"] !== "") return ref["path"];
  throw new ContainerBridgeError("bridge/invalid-reference", "run() expects a function reference with a `path`, or a \"module:function\" string", 0);
}

/** The RPC endpoint for `baseUrl`, and how to show it in messages (origin and path only). */
interface Endpoint {
  readonly url: string;
  readonly display: string;
}

/**
 * Validates `baseUrl` and builds the endpoint: an absolute http(s) URL without credentials; the RPC
 * path goes after its path, its query is kept, its fragment (never sent) is dropped. Messages
 * never repeat credentials.
 */
function endpointFor(baseUrl: string): Endpoint {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ContainerBridgeError(
      "bridge/invalid-base-url",
      "createContainerBridge: `baseUrl` must be an absolute http(s) URL such as https://app.example.workers.dev (got a value that does not parse as a URL).",
      0,
    );
  }
  if (url.username !== "" || url.password !== "") {
    url.username = "";
    url.password = "";
    throw new ContainerBridgeError(
      "bridge/invalid-base-url",
      `createContainerBridge: \`baseUrl\` must not carry credentials (a user name or password before @${url.host}); pass the bearer as \`token\` instead.`,
      0,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ContainerBridgeError(
      "bridge/invalid-base-url",
      `createContainerBridge: \`baseUrl\` must use http: or https:, not ${url.protocol} (got ${url.origin === "null" ? url.protocol : url.origin}).`,
      0,
    );
  }
  url.hash = "";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${BRIDGE_RPC_PATH}`;
  return { url: url.href, display: `${url.origin}${url.pathname}` };
}

/**
 * Validates the bearer: visible ASCII only. A CR, LF or other control character would let the
 * value inject headers (and makes `Headers` throw a TypeError that repeats it).
 */
function checkToken(token: string): void {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      const what = code === 0x0d ? "a carriage return (CR)" : code === 0x0a ? "a line feed (LF)" : code === 0x20 ? "a space" : code < 0x20 || code === 0x7f ? "a control character" : "a non-ASCII character";
      throw new ContainerBridgeError(
        "bridge/invalid-token",
        `createContainerBridge: \`token\` contains ${what} at position ${i + 1}; it must be the bare bearer value (visible ASCII, no whitespace). Check how the secret was set (a trailing newline is common).`,
        0,
      );
    }
  }
}

/** Builds a bridge client. Throws at once when `baseUrl` or `token` is missing or malformed. */
export function createContainerBridge(options: ContainerBridgeOptions): ContainerBridge {
  const { baseUrl, token } = options ?? ({} as ContainerBridgeOptions);
  if (typeof baseUrl !== "string" || baseUrl === "") {
    throw new ContainerBridgeError(
      "bridge/missing-base-url",
      "createContainerBridge needs `baseUrl`, the Worker's URL (e.g. pass process.env.LUNORA_URL and set LUNORA_URL in the container's env).",
      0,
    );
  }
  if (typeof token !== "string" || token === "") {
    throw new ContainerBridgeError(
      "bridge/missing-token",
      "createContainerBridge needs `token`, a bearer your Worker's resolveIdentity accepts (forward it as a container secret, e.g. LUNORA_TOKEN).",
      0,
    );
  }
  const endpoint = endpointFor(baseUrl);
  checkToken(token);
  const send = options.fetch ?? ((request: Request) => fetch(request));
  /**
   * Keeps the bearer out of every message, whatever the Worker or a proxy echoes back. (Tokens
   * shorter than 8 characters are not redacted: replacing "t" would garble every message.)
   */
  const redact = (text: string): string => (token.length >= 8 ? text.split(token).join("[token]") : text);

  async function call(functionPath: string, args: unknown): Promise<unknown> {
    const request = new Request(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ functionPath, args: args ?? {} }),
      // The function path and args must never be re-sent to wherever a redirect points.
      redirect: "manual",
    });
    let response: Response;
    try {
      response = await send(request);
    } catch (error) {
      throw new ContainerBridgeError(
        "bridge/network",
        redact(`Calling ${functionPath} at ${endpoint.display} failed: ${error instanceof Error ? error.message : String(error)}`),
        0,
        functionPath,
      );
    }
    // Browsers hide a manual redirect behind an "opaqueredirect" response with status 0.
    if ((response.type as string) === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel();
      throw new ContainerBridgeError(
        "bridge/redirect",
        `Calling ${functionPath}: ${endpoint.display} answered ${response.status || "a redirect"}${redirectTarget(response, endpoint.url)}. ` +
          "The bridge does not follow redirects (they would send the call elsewhere); set `baseUrl` to the Worker's own URL.",
        response.status,
        functionPath,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ContainerBridgeError(
        "bridge/invalid-response",
        redact(`Calling ${functionPath}: the Worker answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`),
        response.status,
        functionPath,
      );
    }
    if (isObject(body) && isObject(body["error"])) {
      const error = body["error"];
      const code = typeof error["code"] === "string" ? error["code"] : "bridge/unknown-error";
      const message = typeof error["message"] === "string" ? error["message"] : `Calling ${functionPath} failed`;
      throw new ContainerBridgeError(code, redact(message), response.status, functionPath);
    }
    if (!response.ok || !isObject(body) || !("result" in body)) {
      throw new ContainerBridgeError(
        "bridge/invalid-response",
        `Calling ${functionPath}: the Worker answered ${response.status} without a { result } or { error } envelope.`,
        response.status,
        functionPath,
      );
    }
    return body["result"];
  }

  return {
    query: (path, args) => call(path, args) as Promise<any>,
    mutation: (path, args) => call(path, args) as Promise<any>,
    action: (path, args) => call(path, args) as Promise<any>,
    run: (async (ref: unknown, args?: unknown) => call(referencePath(ref), args)) as ContainerBridge["run"],
  };
}

/** " to <origin>" for a redirect's Location (origin only: no path, query or credentials). */
function redirectTarget(response: Response, base: string): string {
  const location = response.headers.get("location");
  if (!location) return "";
  try {
    return ` to ${new URL(location, base).origin}`;
  } catch {
    return "";
  }
}
