import { getTransformStream } from "@probot/pino";
import { pino, type Logger as Pino } from "pino";

/**
 * The server's logger: Probot's own output (pretty, or JSON in production;
 * Sentry when SENTRY_DSN is set), with two differences that matter when
 * things go wrong.
 *
 * - An error is logged without the delivery it came with. @octokit/webhooks
 *   attaches the whole event (up to GitHub's 25 MB payload) to every error a
 *   handler throws, and pino copies it into the line: one failed reconcile
 *   logged the payload twice. Here `event` becomes its id and name, and an
 *   Octokit error's request and response their method, URL and status.
 * - Its output never holds the process: with a pipe nobody reads any more,
 *   pino's flush at exit waited for room forever, and SIGTERM never ended
 *   the server. Once `closing()` is called, lines that cannot be written
 *   are dropped.
 */
export interface ServerLog {
  log: Pino;
  /** The process is about to exit: from now on, never wait for the output. */
  closing(): void;
}

export async function serverLog(env: NodeJS.ProcessEnv): Promise<ServerLog> {
  let exiting = false;
  const transform = await getTransformStream({
    logFormat: logFormat(env),
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  const destination = pino.destination({ dest: 1, sync: false, retryEAGAIN: () => !exiting });
  destination.on("error", () => undefined); // a line that cannot be written is lost, never the server
  transform.on("error", () => undefined);
  transform.pipe(destination as unknown as NodeJS.WritableStream);
  const log = pino({ level: env.LOG_LEVEL || "info", name: "probot", messageKey: env.LOG_MESSAGE_KEY || "msg", serializers: { err: withoutPayloads } }, transform);
  return {
    log,
    closing() {
      exiting = true;
      const flush = destination.flushSync.bind(destination);
      // pino flushes at exit: with a full pipe that throws now (EAGAIN), and the exit must still happen.
      destination.flushSync = () => {
        try {
          flush();
        } catch {
          // dropped
        }
      };
    },
  };
}

/** Probot's rule: JSON when LOG_FORMAT says so or in production, else pretty. */
function logFormat(env: NodeJS.ProcessEnv): "json" | "pretty" {
  if (env.LOG_FORMAT) return env.LOG_FORMAT === "pretty" ? "pretty" : "json";
  return env.NODE_ENV === "production" ? "json" : "pretty";
}

interface SerializedError {
  [key: string]: unknown;
  aggregateErrors?: SerializedError[];
}

/** pino's error serializer, keeping of an error's attachments only what names them. */
export function withoutPayloads(error: unknown): unknown {
  return trim(pino.stdSerializers.err(error as Error) as unknown);
}

function trim(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const error = value as SerializedError;
  const event = error.event as { id?: unknown; name?: unknown } | undefined;
  if (event && typeof event === "object") error.event = { id: event.id, name: event.name };
  const request = error.request as { method?: unknown; url?: unknown } | undefined;
  if (request && typeof request === "object") error.request = { method: request.method, url: request.url };
  const response = error.response as { status?: unknown; data?: { message?: unknown } } | undefined;
  if (response && typeof response === "object") error.response = { status: response.status, message: response.data?.message };
  if (Array.isArray(error.aggregateErrors)) error.aggregateErrors = error.aggregateErrors.map((e) => trim(e) as SerializedError);
  return error;
}
