import type { GitHub } from "./graphql.js";

/** Starts a workflow's next run (`workflow_dispatch`): how a sweep that stopped at its budget continues in Actions. */
export async function dispatchWorkflow(octokit: GitHub, workflow: { owner: string; repo: string; file: string; ref: string }, inputs: Record<string, string>): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", { owner: workflow.owner, repo: workflow.repo, workflow_id: workflow.file, ref: workflow.ref, inputs });
}
