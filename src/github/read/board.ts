import type { BoardRead, ProjectBoard } from "../../governance/model/snapshot.js";

/**
 * Reading the project board (Projects v2) inside the snapshot's and the
 * sweep's queries: the board with its single-select field, and each pull
 * request's items. `$projectNumber` and `$projectField` are variables.
 */

export const PROJECT_FIELDS = `... on ProjectV2Owner { projectV2(number: $projectNumber) { id viewerCanUpdate field(name: $projectField) { __typename ... on ProjectV2SingleSelectField { id options { id name } } } } }`;

export const PROJECT_ITEMS = `id projectItems(first: 20) { nodes { id project { id } fieldValueByName(name: $projectField) { __typename ... on ProjectV2ItemFieldSingleSelectValue { name } } } }`;

export interface ProjectOwnerNode {
  projectV2?: {
    id: string;
    viewerCanUpdate: boolean;
    field: { __typename?: string; id?: string; options?: Array<{ id: string; name: string }> } | null;
  } | null;
}

export interface ProjectItemsNode {
  id?: string;
  projectItems?: { nodes?: Array<{ id: string; project: { id: string } | null; fieldValueByName: { __typename?: string; name?: string | null } | null } | null> | null } | null;
}

export function boardOf(owner: ProjectOwnerNode | null | undefined): ProjectBoard | null {
  const project = owner?.projectV2;
  if (!project) return null;
  const field = project.field?.id && project.field.options ? { id: project.field.id, options: project.field.options } : null;
  return { id: project.id, field, canUpdate: project.viewerCanUpdate };
}

/** The PR's item on `board` and the option it shows; `note` from the read when it failed. */
export function boardReadOf(board: ProjectBoard | null, pr: ProjectItemsNode | null | undefined, contentId: string | undefined, note: string | null, where: string): BoardRead | null {
  if (!contentId) return null;
  if (!board) return { board: null, contentId, item: null, note: note ?? `The project board ${where} was not found (or the app may not read it: it needs the Organization projects permission), so this SEP's item on it was not updated.` };
  const item = (pr?.projectItems?.nodes ?? []).find((node) => node?.project?.id === board.id) ?? null;
  return { board, contentId, item: item ? { id: item.id, option: item.fieldValueByName?.name ?? null } : null, note };
}
