import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { ShuttingDownError } from "../../delivery/coordinator.js";

/**
 * The webhook route (`POST /api/github/webhooks`, or WEBHOOK_PATH), in front
 * of Probot's own. Probot's reads a body whole, however large, before it
 * checks the signature, and logs a body that fails the check: a 100 MB POST
 * took an instance down. Here
 *
 *   - a body larger than GitHub ever sends (25 MB) is refused while it is
 *     read (413), never buffered: a declared length is refused unread;
 *   - the signature is checked before the body is parsed, and a body that
 *     fails it is logged as its size and delivery id, nothing of its content;
 *   - a verified delivery goes to Probot's handlers as before (`receive`),
 *     answered when they are done, or 202 "still processing" after 9 s, as
 *     Probot answers: GitHub gives up on a delivery after 10 s.
 */

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

interface RouteLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WebhookRouteOptions {
  path: string;
  probot: Pick<Probot, "webhooks" | "receive">;
  log: RouteLog;
  maxBytes?: number;
  /** How long a delivery is held open for its handlers before 202. */
  answerAfterMs?: number;
}

const HEADERS = ["x-github-event", "x-hub-signature-256", "x-github-delivery"] as const;

export function webhookRoute(options: WebhookRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const path = trimSlashes(options.path);
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const answerAfterMs = options.answerAfterMs ?? 9000;
  const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`;

  return async (req, res) => {
    if (trimSlashes(pathOf(req.url)) !== path) return false;
    if (req.method !== "POST") return answer(res, 405, { error: `${req.method} is not served here: GitHub POSTs deliveries` }, { allow: "POST" });
    if (!/^\s*application\/json\s*(;|$)/i.test(String(req.headers["content-type"] ?? ""))) {
      return answer(res, 415, { error: 'the webhook must be sent as "application/json" (the GitHub App\'s webhook content type)' });
    }
    const missing = HEADERS.filter((name) => typeof req.headers[name] !== "string");
    if (missing.length) return answer(res, 400, { error: `required headers missing: ${missing.join(", ")}` });
    const id = String(req.headers["x-github-delivery"]).slice(0, 100);
    const name = String(req.headers["x-github-event"]).slice(0, 100);
    const signature = String(req.headers["x-hub-signature-256"]);
    const who = { delivery: id, event: name };

    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      options.log.warn({ ...who, bytes: declared }, `webhook refused unread: ${declared} bytes declared, over GitHub's ${limit} limit`);
      return refuse(req, res, 413, `the body is larger than GitHub's ${limit} webhook limit`);
    }
    const body = await readUpTo(req, maxBytes);
    if (body === "aborted") return true; // the sender went away: nobody to answer
    if (body === "too large") {
      options.log.warn({ ...who, bytes: `more than ${maxBytes}` }, `webhook refused: its body passed GitHub's ${limit} limit while it was read`);
      return refuse(req, res, 413, `the body is larger than GitHub's ${limit} webhook limit`);
    }
    const bytes = body.length;
    const payload = body.toString("utf8");
    const verified = await options.probot.webhooks.verify(payload, signature).catch(() => false);
    if (!verified) {
      options.log.warn(
        { ...who, bytes },
        "webhook refused: its signature does not match WEBHOOK_SECRET (a delivery not from GitHub, or the App's webhook secret and WEBHOOK_SECRET differ); its body is not logged",
      );
      return answer(res, 400, { error: "signature does not match the payload and the webhook secret" });
    }
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      options.log.warn({ ...who, bytes }, "webhook refused: signed, but not JSON");
      return answer(res, 400, { error: "the body is not JSON" });
    }

    let settled = false;
    const handled = options.probot.receive({ id, name, payload: event } as Parameters<Probot["receive"]>[0]).then(
      () => ({ status: 200, error: null as unknown }),
      (error: unknown) => ({ status: statusOf(error), error }),
    );
    const timer = setTimeout(() => {
      if (!settled) answer(res, 202, null, {}, "still processing\n");
    }, answerAfterMs);
    const outcome = await handled;
    settled = true;
    clearTimeout(timer);
    if (res.headersSent) return true; // answered 202 already; the handlers logged their own failure
    if (outcome.status === 200) return answer(res, 200, null, {}, "ok\n");
    return answer(res, outcome.status, { error: firstMessage(outcome.error) });
  };
}

/** The body, or why there is none: over `max` bytes (reading stops there), or the client went away. */
function readUpTo(req: IncomingMessage, max: number): Promise<Buffer | "too large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | "too large" | "aborted") => {
      req.removeListener("data", onData);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.pause();
        done("too large");
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => done(Buffer.concat(chunks)));
    req.once("error", () => done("aborted"));
    req.once("close", () => {
      if (!req.complete) done("aborted");
    });
  });
}

/** Answers, then closes the connection: the rest of an oversized body is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): true {
  res.once("finish", () => req.destroy());
  return answer(res, status, { error }, { connection: "close" });
}

function answer(res: ServerResponse, status: number, json: object | null, headers: Record<string, string> = {}, text?: string): true {
  if (res.headersSent) return true;
  if (json) res.writeHead(status, { "content-type": "application/json", ...headers }).end(`${JSON.stringify(json)}\n`);
  else res.writeHead(status, { "content-type": "text/plain", ...headers }).end(text ?? "");
  return true;
}

/** A handler's failure as an HTTP status: 503 for an instance shutting down (GitHub may redeliver elsewhere), else 500. */
function statusOf(error: unknown): number {
  const errors = error instanceof AggregateError ? error.errors : [error];
  return errors.some((e) => e instanceof ShuttingDownError) ? 503 : 500;
}

function firstMessage(error: unknown): string {
  const first = error instanceof AggregateError ? error.errors[0] : error;
  return first instanceof Error ? `${first.name}: ${first.message}` : "the delivery failed";
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}

function trimSlashes(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, "")}`;
}
