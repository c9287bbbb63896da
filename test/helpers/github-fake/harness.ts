import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { sepBot, type SepBotOptions } from "../../../src/run/app.js";
import { APP_ID, BOT, NOW, type FakeEvent } from "./model.js";
import type { GitHubFake } from "./server.js";
import { webhook, type Delivery } from "./webhooks.js";

/**
 * The real app under test against the fake: a Probot running sep-bot
 * (`testProbot`, with its throwaway key, silent logger and Octokit class
 * for tests), and webhooks handed to it the ways GitHub hands them: one
 * delivery (`deliver`), the queue in order (`deliverQueued`), all at once
 * and duplicated over several instances (`deliverAtOnce`, `settle`), or the
 * moment their cause happens (`live`, `liveTo`).
 */

let privateKey: string | undefined;
/** A throwaway RSA key: Probot signs a real app JWT with it to ask for the installation token. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

/** Probot's logger, silent unless TEST_LOG_LEVEL says otherwise. */
export function testLog() {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
}

/**
 * The Octokit class for tests: retry and throttling off (or retry on with
 * no wait), in the function form of `.defaults` (the object form does not
 * disable throttling, see probot-notes).
 */
export function testOctokitClass(o: { retry?: boolean } = {}) {
  return ProbotOctokit.defaults((opts: Record<string, unknown>) => ({
    ...opts,
    retry: o.retry ? { enabled: true, retries: 2, retryAfterBaseValue: 1 } : { enabled: false },
    throttle: { enabled: false },
  }));
}

/** A fresh Probot (so a fresh token cache: the installation token is requested again) running sep-bot. */
export async function testProbot(options: SepBotOptions & { retry?: boolean } = {}): Promise<Probot> {
  const { retry, ...appOptions } = options;
  const probot = new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    Octokit: testOctokitClass({ retry }),
    log: testLog(),
  });
  await probot.load(sepBot({ botLogin: BOT, now: () => NOW, ...appOptions }), { cwd: process.cwd(), addHandler: () => {} });
  return probot;
}

/** `probot.receive` for a built payload (Probot's types want one exact event type per name). */
export function deliver(probot: Probot, delivery: Delivery): Promise<void> {
  return probot.receive(delivery as unknown as Parameters<Probot["receive"]>[0]);
}

/** Delivers every webhook the fake queued, one after another, in order (or in the order `reorder` gives). */
export async function deliverQueued(probot: Probot, fake: GitHubFake, reorder: (events: FakeEvent[]) => FakeEvent[] = (e) => e): Promise<FakeEvent[]> {
  const events = reorder(fake.takeEvents());
  for (const event of events) await deliver(probot, webhook(fake, event));
  return events;
}

/** Delivers what the fake queued, in order, then what those deliveries caused, until nothing is queued (at most `rounds` times). */
export async function settleInOrder(probot: Probot, fake: GitHubFake, rounds = 10): Promise<void> {
  for (let i = 0; i < rounds && fake.events.length; i++) await deliverQueued(probot, fake);
}

/**
 * Delivers webhooks the way GitHub does: all at once, each `copies` times
 * (a duplicate keeps its delivery id), spread over the given Probot
 * instances (a load balancer), and waits for all of them.
 */
export async function deliverAtOnce(probots: Probot[], fake: GitHubFake, events: FakeEvent[], copies = 1): Promise<void> {
  const built = events.map((event) => webhook(fake, event));
  const all = built.flatMap((delivery) => Array.from({ length: copies }, () => delivery));
  const settled = await Promise.allSettled(all.map((delivery, i) => deliver(probots[i % probots.length]!, delivery)));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed.length) throw new AggregateError(failed.map((f) => f.reason), `${failed.length} of ${all.length} deliveries failed`);
}

/**
 * Lets the bot settle the way GitHub would: delivers what the fake queued
 * (all at once, `copies` times each), then what those deliveries caused,
 * until nothing more is queued. Returns how many rounds it took.
 */
export async function settle(probots: Probot[], fake: GitHubFake, copies = 1, maxRounds = 10): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    const events = fake.takeEvents();
    if (events.length === 0) return round - 1;
    await deliverAtOnce(probots, fake, events, copies);
  }
  throw new Error(`the bot did not settle in ${maxRounds} rounds: it keeps causing events (${fake.events.map((e) => `${e.name}.${e.action}`).join(", ")})`);
}

export interface LiveOptions {
  /** Each webhook is delivered this many times (same delivery id), at once. */
  copies?: number;
  /** Each delivery starts after a random delay up to this many ms: GitHub's order is not the event order. */
  jitterMs?: number;
}

/** Hands one delivery to an instance (in-process Probot, or a server over HTTP). */
export type Sender = (delivery: Delivery) => Promise<void>;

/**
 * GitHub delivering webhooks the moment their cause happens: the bot's own
 * commit, labels and comment come back while its reconcile is still running,
 * spread over the instances behind the load balancer, duplicated and out of
 * order. `idle()` waits until every delivery (and whatever it caused) is done.
 */
export function live(fake: GitHubFake, probots: Probot[], options: LiveOptions = {}) {
  return liveTo(fake, probots.map((probot) => (delivery: Delivery) => deliver(probot, delivery)), options);
}

export function liveTo(fake: GitHubFake, senders: Sender[], options: LiveOptions = {}) {
  const copies = options.copies ?? 1;
  const jitter = options.jitterMs ?? 5;
  let inFlight = 0;
  let next = 0;
  const failures: unknown[] = [];
  let wake: (() => void) | null = null;
  const send = (event: FakeEvent) => {
    const delivery = webhook(fake, event);
    for (let i = 0; i < copies; i++) {
      inFlight++;
      const sender = senders[next++ % senders.length]!;
      setTimeout(() => {
        sender(delivery)
          .catch((error: unknown) => failures.push(error))
          .finally(() => {
            inFlight--;
            if (inFlight === 0) wake?.();
          });
      }, Math.random() * jitter);
    }
  };
  fake.listener = send;
  for (const event of fake.takeEvents()) send(event);
  return {
    /** Sends the webhook for something the test did without the fake (or again). */
    send,
    /** Resolves when nothing is in flight any more (and `quiet()` agrees); rejects with the deliveries that failed. */
    async idle(quiet: () => Promise<boolean> = async () => true): Promise<void> {
      for (;;) {
        if (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
        // A finished delivery may have caused another: give its timer a chance to start.
        await new Promise((resolve) => setTimeout(resolve, jitter + 20));
        if (inFlight === 0 && (await quiet())) break;
      }
      fake.listener = null;
      if (failures.length) throw new AggregateError(failures, `${failures.length} deliveries failed`);
    },
  };
}
