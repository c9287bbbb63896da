import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { API } from "../octokit.js";
import { Faults, withFault, type Fault, type Reply } from "./faults.js";
import type { FakeOptions } from "./model.js";
import { restRoutes, type RequestKind, type Route } from "./rest.js";
import { GitHubState } from "./state.js";

/**
 * `GitHubFake`: the fake's state (state.ts) served as GitHub's API, through
 * nock on https://api.github.com (`install()`) or over real HTTP on loopback
 * (`listen()`, for processes: `sep-bot action`, the CLI). A request finds
 * its route (rest.ts; GraphQL in graphql.ts), is recorded, meets the
 * injected faults (faults.ts), waits out the latency, and is answered.
 *
 * - Every request is recorded (method, path, GraphQL operation, body,
 *   status) and classified as `token`, `read` or `write` (a GraphQL mutation
 *   is a write).
 * - A request no route knows is not intercepted at all: nock reports "no
 *   match", the request fails, and `useNock()` fails the test.
 * - `inject()` makes the Nth request matching a path (or GraphQL operation)
 *   answer an error, or run a side effect first ("another push lands while
 *   the bot commits").
 * - `latency` delays answers (GitHub takes time; races need it).
 * - `killAfterWrites()` makes the client die after its Nth write.
 *
 * Call `install()` in each test (`useNock()` removes all mocks after each).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The GraphQL operation name (SepPullRequest, SepCommit...), for POST /graphql. */
  operation?: string;
  body: unknown;
  status: number;
  kind: RequestKind;
  /** ms since the fake was created, when the request arrived. */
  at: number;
  /** ms since the fake was created, when the answer went out (latency included). */
  doneAt: number;
  /** The answer's body, in bytes (as JSON): what GitHub sent. */
  bytes?: number;
}

let installed: GitHubFake | null = null;

export class GitHubFake extends GitHubState {
  readonly requests: RecordedRequest[] = [];
  /** ms added before each answer; writes take longer than reads on GitHub. */
  latency: { read: number; write: number } = { read: 0, write: 0 };
  /** When the fake was created (request times are relative to it). */
  readonly started = Date.now();
  private readonly faults = new Faults();
  private interceptors: nock.Interceptor[] = [];
  private readonly routes: Route[];
  private killAfter: number | null = null;
  private writesSeen = 0;

  constructor(options: FakeOptions = {}) {
    super(options);
    this.routes = restRoutes(this);
  }

  // -------------------------------------------------------------------------
  // Serving: nock, or real HTTP

  /**
   * Serves this fake on https://api.github.com until `nock.cleanAll()` or
   * `uninstall()`. One fake serves at a time: installing one uninstalls the
   * one before (two would answer each other's requests).
   */
  install(): this {
    installed?.uninstall();
    installed = this;
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      const interceptor = nock(API)
        .persist()
        .intercept((uri: string) => this.find(method, pathOf(uri)) !== null, method)
        .optionally();
      interceptor.reply((uri, body, callback) => {
        this.serve(method, uri, body).then(
          (reply) => callback(null, [reply.status, (reply.body ?? "") as nock.ReplyBody, reply.headers ?? {}]),
          (error: Error) => callback(error, [500, { message: error.message }]),
        );
      });
      this.interceptors.push(interceptor);
    }
    return this;
  }

  uninstall(): void {
    for (const interceptor of this.interceptors.splice(0)) nock.removeInterceptor(interceptor);
    if (installed === this) installed = null;
  }

  /** Serves this fake over HTTP on loopback (for child processes); resolves with the base URL. */
  async listen(): Promise<{ url: string; close: () => Promise<void> }> {
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const method = req.method ?? "GET";
        // GitHub Enterprise Server paths (GHE_HOST): REST under /api/v3, GraphQL at /api/graphql.
        const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api\/graphql(?=$|\?)/, "/graphql");
        const known = this.find(method, pathOf(url));
        if (!known) {
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: `the fake does not serve ${method} ${pathOf(url)}` }));
          return;
        }
        this.serve(method, url, Buffer.concat(chunks).toString("utf8")).then(
          (reply) => {
            const body = reply.body === undefined || reply.body === "" ? "" : JSON.stringify(reply.body);
            res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) }).end(body);
          },
          (error: Error) => res.writeHead(500).end(JSON.stringify({ message: error.message })),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  /** The Nth request matching the fault answers its reply (or runs its side effect). */
  inject(fault: Fault): this {
    this.faults.add(fault);
    return this;
  }

  /** GitHub recovers: every injected fault is forgotten (a rate limit lifts). */
  clearFaults(): this {
    this.faults.clear();
    return this;
  }

  private find(method: string, path: string): { route: Route; match: RegExpExecArray } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return { route, match };
    }
    return null;
  }

  private async serve(method: string, uri: string, rawBody: unknown): Promise<Reply> {
    const path = pathOf(uri);
    const query = new URLSearchParams(uri.includes("?") ? uri.slice(uri.indexOf("?") + 1) : "");
    const found = this.find(method, path)!;
    const body = parseBody(rawBody);
    const operation = path === "/graphql" ? operationOf(String(body.query ?? "")) : undefined;
    const kind = path === "/graphql" ? (/^\s*mutation\b/.test(String(body.query ?? "")) ? "write" : "read") : found.route.kind;
    const at = Date.now() - this.started;
    const record: RecordedRequest = { method, path, ...(operation ? { operation } : {}), body, status: 0, kind, at, doneAt: at };
    this.requests.push(record);

    // A process killed after its Nth write: nothing it would send later arrives.
    if (this.killAfter !== null && this.writesSeen >= this.killAfter) {
      record.status = 599;
      return { status: 599, body: { message: "the client is gone (killed)" } };
    }
    if (kind === "write") this.writesSeen++;

    const reply = await withFault(this.faults.due(method, path, operation), this, async () => {
      try {
        return await found.route.handle(found.match, body, query);
      } catch (error) {
        return { status: 500, body: { message: `fake GitHub failed: ${(error as Error).message}` } };
      }
    });
    record.status = reply.status;
    record.bytes = Buffer.byteLength(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? ""));
    const wait = kind === "write" ? this.latency.write : kind === "read" ? this.latency.read : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    record.doneAt = Date.now() - this.started;
    return reply;
  }

  // -------------------------------------------------------------------------
  // What tests look at: the requests

  /** `METHOD /path` of every request, in order; GraphQL requests name their operation. */
  calls(kind?: RequestKind): string[] {
    return this.requests.filter((r) => !kind || r.kind === kind).map((r) => `${r.method} ${r.path}${r.operation ? ` ${r.operation}` : ""}`);
  }

  /** Every ref update asked for (whatever the answer, faults included), to check nothing is ever forced. */
  get refUpdates(): Array<{ repo: string; branch: string; sha: string; force: unknown; status: number }> {
    return this.requests.flatMap((r) => {
      const m = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs\/heads\/(.+)$/.exec(r.path);
      if (r.method !== "PATCH" || !m) return [];
      const body = r.body as { sha?: unknown; force?: unknown };
      const branch = m[3]!.split("/").map(decodeURIComponent).join("/");
      return [{ repo: `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`, branch, sha: String(body.sha), force: body.force, status: r.status }];
    });
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === "write");
  }

  /**
   * The client dies after `writes` more writes (a crash, a cancelled workflow):
   * every request after that fails without reaching GitHub's state. null revives it.
   */
  killAfterWrites(writes: number | null): void {
    this.killAfter = writes === null ? null : this.writesSeen + writes;
  }

  /** Forget the requests so far (state stays): the next assertions are about what comes after. */
  resetRequests(): void {
    this.requests.length = 0;
  }
}

function pathOf(uri: string): string {
  const path = uri.startsWith("http") ? new URL(uri).pathname + new URL(uri).search : uri;
  return path.split("?")[0]!;
}

function operationOf(query: string): string | undefined {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === "string") {
    if (!body) return {};
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { raw: body };
    }
  }
  return (body ?? {}) as Record<string, unknown>;
}
