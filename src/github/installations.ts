import type { Probot } from "probot";
import type { GitHub } from "./graphql.js";

/** A repository, and the installation that reaches it. */
export interface InstalledRepository {
  installation: number;
  owner: string;
  repo: string;
  /** Private repositories are swept like any other, but never shown on the public site. */
  private: boolean;
}

interface RepositoryItem {
  name: string;
  owner: { login: string };
  archived?: boolean;
  private?: boolean;
}

/**
 * Every repository (not archived) of every installation of the App, with a
 * client for it. An installation that cannot be read (suspended, its token
 * refused) is told to `onError` and skipped: it never stops the others.
 */
export async function* repositories(app: Probot, onError: (installation: number, error: unknown) => void = () => {}): AsyncGenerator<InstalledRepository & { octokit: GitHub }> {
  const appOctokit = await app.auth();
  for await (const { data: installations } of appOctokit.paginate.iterator(appOctokit.rest.apps.listInstallations, { per_page: 100 })) {
    for (const installation of installations) {
      let found: Array<InstalledRepository & { octokit: GitHub }>;
      try {
        found = await repositoriesOf(app, installation.id);
      } catch (error) {
        onError(installation.id, error);
        continue;
      }
      yield* found;
    }
  }
}

/** One installation's repositories (not archived), with a client for them. */
export async function repositoriesOf(app: Probot, installation: number): Promise<Array<InstalledRepository & { octokit: GitHub }>> {
  const octokit = (await app.auth(installation)) as unknown as GitHub;
  const found: Array<InstalledRepository & { octokit: GitHub }> = [];
  for await (const { data } of octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) {
    const repos = Array.isArray(data) ? data : ((data as { repositories?: RepositoryItem[] }).repositories ?? []);
    for (const r of repos as RepositoryItem[]) {
      if (!r.archived) found.push({ octokit, installation, owner: r.owner.login, repo: r.name, private: r.private !== false });
    }
  }
  return found;
}
