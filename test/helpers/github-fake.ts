/** The fake GitHub lives in github-fake/ (one file per concern); this path still imports it. New code imports "./github-fake/index.js". */
export * from "./github-fake/index.js";
