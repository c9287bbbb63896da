import type { Logger as Pino } from "pino";
import { createProbot, ProbotOctokit } from "probot";
import type { GitHub } from "./graphql.js";

/**
 * An authenticated client for the command line and workflows (`sweep`,
 * `digest`, `action`): Probot's Octokit, so requests are paced and retried
 * the way the server's are. Authenticated by GITHUB_TOKEN (a workflow's, an
 * App installation's from actions/create-github-app-token, or a person's),
 * or by the App's own credentials (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH),
 * which find the installation on the repository.
 */

export class SetupError extends Error {}

/** Probot's Octokit, with GraphQL at its own URL when GitHub Enterprise (or a test) names one. */
export function octokitClass(graphqlUrl: string | null) {
  return ProbotOctokit.plugin((octokit) => {
    if (!graphqlUrl) return;
    octokit.hook.before("request", (options) => {
      if (options.url === "/graphql") options.url = graphqlUrl;
    });
  });
}

export interface Endpoint {
  apiUrl: string;
  graphqlUrl: string | null;
}

export function endpointOf(env: NodeJS.ProcessEnv): Endpoint {
  return { apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""), graphqlUrl: env.GITHUB_GRAPHQL_URL || null };
}

export async function gitHubFor(owner: string, repo: string, env: NodeJS.ProcessEnv, log: Pino): Promise<GitHub> {
  const { apiUrl, graphqlUrl } = endpointOf(env);
  const Octokit = octokitClass(graphqlUrl);
  if (env.GITHUB_TOKEN) {
    const probot = createProbot({ env: {}, overrides: { githubToken: env.GITHUB_TOKEN, baseUrl: apiUrl, log, Octokit } });
    return (await probot.auth()) as unknown as GitHub;
  }
  if (env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    const probot = createProbot({ env: { APP_ID: env.APP_ID, PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH }, overrides: { baseUrl: apiUrl, log, Octokit } });
    const app = await probot.auth();
    let installation: number;
    try {
      installation = (await app.rest.apps.getRepoInstallation({ owner, repo })).data.id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) throw new SetupError(`the app (APP_ID ${env.APP_ID}) is not installed on ${owner}/${repo}`);
      throw error;
    }
    return (await probot.auth(installation)) as unknown as GitHub;
  }
  throw new SetupError("no credentials: set GITHUB_TOKEN (it needs issues, pull requests and contents: write), or APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) for the GitHub App");
}
