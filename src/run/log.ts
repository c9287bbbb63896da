import { appendFileSync } from "node:fs";
import { pino, type Logger as Pino } from "pino";

/**
 * Where the command line and a workflow step write: standard output and
 * error, workflow commands (annotations) and errors as one line each. Every
 * way of running sep-bot shares these.
 */

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Workflow commands escape these, so a message cannot end the command or inject another. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/**
 * Probot's logger, printing plain lines; warnings become workflow
 * annotations (`::warning::`), so they show on the run. Errors stay plain
 * lines: the failure they belong to ends the run, whose one `::error::`
 * says so (Probot logs a handler's error and rethrows it, so annotating
 * both showed every failure twice).
 */
export function actionLogger(io: Io, level = process.env.LOG_LEVEL ?? "info", annotate = true): Pino {
  return pino(
    { level, base: undefined, timestamp: false },
    {
      write(line: string) {
        let entry: { level?: number; msg?: string; err?: { message?: string }; [key: string]: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          io.out(line);
          return;
        }
        const { level: n = 30, msg = "", err, name: _name, ...rest } = entry;
        const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
        const text = `${msg}${err?.message && !msg.includes(err.message) ? `: ${err.message}` : ""}${extra}`;
        if (annotate && n >= 40 && n < 50) io.out(`::warning::${escapeData(text)}\n`);
        else io.out(`${n >= 50 ? "error: " : n >= 40 ? "warning: " : ""}${text}\n`);
      },
    },
  );
}

/** The messages of an error and what it wraps (Probot wraps handler errors; the executor aggregates). */
export function errorMessages(error: unknown): string[] {
  const out: string[] = [];
  const walk = (e: unknown) => {
    if (!(e instanceof Error)) return;
    if (e instanceof AggregateError) e.errors.forEach(walk);
    else if (!out.includes(e.message)) out.push(e.message);
    walk(e.cause);
  };
  walk(error);
  return out.length ? out : [String(error)];
}

/**
 * A workflow step's outputs, for the next steps (`steps.<id>.outputs.<name>`),
 * in $GITHUB_OUTPUT (nothing outside a workflow); a value with a line break
 * goes in the multi-line form.
 */
export function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputs).map(([k, v]) => {
    const value = String(v);
    if (!/[\r\n]/.test(value)) return `${k}=${value}\n`;
    let delimiter = "SEP_BOT_EOF";
    while (value.includes(delimiter)) delimiter += "_";
    return `${k}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  appendFileSync(env.GITHUB_OUTPUT, lines.join(""));
}
