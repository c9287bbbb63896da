import type Bottleneck from "bottleneck";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { octokitClass } from "../../../src/github/client.js";
import { graphql, type GitHub } from "../../../src/github/graphql.js";
import { pacingGroups } from "../../../src/github/pacing.js";
import { APP_ID, GitHubFake, INSTALLATION_ID, NUMBER, OWNER, REPO, testLog, testPrivateKey, WIF_BEFORE, WIF_NEW_PATH } from "../../helpers/github-fake/index.js";
import { useNock } from "../../helpers/octokit.js";

/**
 * Queries are reads: on the throttling layer itself, what each request is
 * scheduled on. A GraphQL query goes through the read gate, never the write
 * pace; a mutation and a REST write through the write pace, as before; a REST
 * read through neither. Counted as Bottleneck receives the jobs, never timed.
 */

useNock();

const PACE = 20;
const env = { NODE_ENV: "test", SEP_BOT_TEST_PACE_MS: String(PACE) };

/** How many jobs each gate of installation `id` receives from now on. */
function countGates(id: string) {
  const groups = pacingGroups(PACE, undefined);
  const counts = { write: 0, read: 0, notifications: 0 };
  const watch = (group: Bottleneck.Group, name: keyof typeof counts) => group.key(id).on("received", () => void counts[name]++);
  watch(groups.write, "write");
  watch(groups.read, "read");
  watch(groups.notifications, "notifications");
  return counts;
}

describe("the pacing of a client made by octokitClass", () => {
  it("a GraphQL query goes through the read gate; a mutation and a REST write through the write pace; a REST read through neither", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const Octokit = octokitClass(null, env);
    const id = `split-${Math.random().toString(36).slice(2)}`;
    const octokit = new Octokit({ auth: "test-token", throttle: { id }, log: testLog() }) as unknown as GitHub;
    const counts = countGates(id);

    const vars = { owner: OWNER, name: REPO, number: NUMBER };
    const query = "query Three($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { pullRequest(number: $number) { id } } }";
    await Promise.all([1, 2, 3].map(() => graphql(octokit, query, vars, [])));
    expect(counts).toEqual({ write: 0, read: 3, notifications: 0 });

    const pr = await graphql<{ repository: { pullRequest: { id: string } } }>(octokit, query, vars, []);
    // A mutation sent through the same helper still takes the write pace (the helper routes by the document).
    await graphql(octokit, "mutation Hold($id: ID!) { addAssigneesToAssignable(input: { assignableId: $id, assigneeIds: [] }) { clientMutationId } }", { id: pr.repository.pullRequest.id }, []).catch(() => undefined);
    await octokit.rest.issues.addLabels({ owner: OWNER, repo: REPO, issue_number: NUMBER, labels: ["SEP"] });
    await octokit.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: NUMBER, body: "hello" });
    await octokit.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: NUMBER });
    expect(counts).toEqual({ write: 3, read: 4, notifications: 1 });
    expect(fake.calls().filter((c) => c.startsWith("POST /graphql"))).toHaveLength(5);
  });

  it("the queries' client is the same installation's: its token comes from Probot's cache, not a second request", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, env) });
    const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
    const counts = countGates(String(INSTALLATION_ID));
    await octokit.rest.issues.addLabels({ owner: OWNER, repo: REPO, issue_number: NUMBER, labels: ["SEP"] });
    await graphql(octokit, "query { viewer { login } }", {}, []);
    await graphql(octokit, "query { viewer { login } }", {}, []);
    expect(fake.calls("token")).toHaveLength(1);
    expect(counts).toMatchObject({ write: 1, read: 2 });
  });

  it("a client with throttling off (tests, benches) has no queries' sibling: its queries go to it directly", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const Octokit = octokitClass(null, env);
    const id = `off-${Math.random().toString(36).slice(2)}`;
    const octokit = new Octokit({ auth: "test-token", throttle: { enabled: false, id }, retry: { enabled: false }, log: testLog() }) as unknown as GitHub;
    const counts = countGates(id);
    await graphql(octokit, "query { viewer { login } }", {}, []);
    expect(counts).toEqual({ write: 0, read: 0, notifications: 0 });
    expect(fake.calls()).toEqual(["POST /graphql"]);
  });
});
