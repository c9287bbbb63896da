import nock from "nock";
import { afterAll } from "vitest";

/**
 * Run before every test file. Files share a worker (`isolate: false`), so what
 * one leaves in nock (interceptors, net connect disabled) would reach the next
 * file's requests: every file ends with nock as it began.
 */
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
