/**
 * The fake GitHub tests and benches run sep-bot against: an in-memory
 * GitHub for one repository (and the forks its pull requests come from)
 * that keeps real state and answers the requests sep-bot makes the way
 * GitHub does. This file only re-exports its public names; each concern
 * has its own file:
 *
 * - model.ts: the data model (constants, real SEPs, state shapes, options,
 *   the webhooks it queues, file kinds in a tree);
 * - state.ts: `GitHubState`, the state itself, what people do (push,
 *   label, comment...: each queues its webhook) and what tests look at;
 * - faults.ts: fault injection and GitHub's error answers;
 * - graphql-schema.ts, graphql.ts: GraphQL executed against GitHub's own
 *   schema, and its resolvers over the state;
 * - rest.ts: the REST routes;
 * - server.ts: `GitHubFake`, the state served through nock or over HTTP,
 *   every request recorded;
 * - webhooks.ts: webhook payloads as GitHub sends them;
 * - harness.ts: sep-bot in a Probot, and webhooks delivered to it.
 */

export {
  APP_ID,
  applyChanges,
  BOT,
  BOT_USER_ID,
  blobBytes,
  defaultBase,
  DISPLAY_NAMES,
  entryOf,
  executable,
  INSTALLATION_ID,
  maintainersFile,
  NOW,
  NUMBER,
  OWNER,
  PR_URL,
  realSep,
  REPO,
  submodule,
  symlink,
  WIF_AFTER,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type CheckRun,
  type Comment,
  type Commit,
  type FakeEvent,
  type FakeOptions,
  type FileChanges,
  type Files,
  type HeadRepo,
  type IssueState,
  type ProjectState,
  type PullOptions,
  type PullRequestAction,
  type PullState,
  type Reaction,
  type TimelineEvent,
} from "./model.js";
export { GitHubState } from "./state.js";
export { forbidden, secondaryRateLimit, serverError, unprocessable, type Fault, type Reply } from "./faults.js";
export { GRAPHQL_TEXT_BYTES } from "./graphql.js";
export type { RequestKind } from "./rest.js";
export { GitHubFake, type RecordedRequest } from "./server.js";
export { deliveryId, webhook, type Delivery } from "./webhooks.js";
export {
  deliver,
  deliverAtOnce,
  deliverQueued,
  settleInOrder,
  live,
  liveTo,
  settle,
  testLog,
  testOctokitClass,
  testPrivateKey,
  testProbot,
  type LiveOptions,
  type Sender,
} from "./harness.js";
