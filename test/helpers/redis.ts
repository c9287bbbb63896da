import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

/**
 * A real redis-server (Debian's package, which `.ci/run` installs) on a free
 * loopback port, with no persistence: the tests' Redis is the one users run,
 * not a mock.
 */
export interface RedisServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** A new client to it (closed by `stop`). */
  client(): Redis;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (e) => reject(new Error(`could not start redis-server (install Debian's redis-server package; .ci/run does): ${e.message}`))),
  );
  const clients: Redis[] = [];
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 600; i++) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => {}); // refused while the server starts: expected
      try {
        await probe.connect();
        await probe.ping();
        await probe.quit();
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not start on port ${port}: ${output}`);
  })();
  await Promise.race([ready, spawnError]);
  return {
    url,
    port,
    process: child,
    client() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    },
    async flush() {
      const c = new Redis(url);
      await c.flushall();
      await c.quit();
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    },
  };
}

/** A redis-server for the enclosing test file or describe block: started before its tests, stopped after. */
export function useRedis(): RedisServer {
  let server: RedisServer | null = null;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const live = () => {
    if (!server) throw new Error("redis-server is not started yet (use it inside a test)");
    return server;
  };
  return {
    get url() {
      return live().url;
    },
    get port() {
      return live().port;
    },
    get process() {
      return live().process;
    },
    client: () => live().client(),
    flush: () => live().flush(),
    stop: () => live().stop(),
  };
}
