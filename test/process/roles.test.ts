import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allowed, describeRoles, holds, maySetStatus, peopleOf, roleMembers } from "../../src/process/roles.js";
import { parseSep } from "../../src/sep/parse.js";
import { rules } from "../helpers/sep.js";
import { snapshot } from "../helpers/snapshot.js";

const FILE = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const sep = (authors: string, sponsor = "None") =>
  parseSep(`# SEP-1933: X\n\n- **Status**: Draft\n- **Type**: Process\n- **Author(s)**: ${authors}\n- **Sponsor**: ${sponsor}\n\n## Abstract\n\nx\n`, "seps/1933-x.md", { rules });

describe("roles from MAINTAINERS.md sections (the default rules)", () => {
  const members = roleMembers(rules, FILE, {});

  it("core maintainers: the Lead and Core sections, whatever the list style", () => {
    expect(members["core-maintainer"]).toEqual(["cal_acme", "chen-core", "cora-core", "lea-lead", "loulead"]);
  });

  it("maintainers: those, plus SDK, Project and Working Group sections with every subsection", () => {
    expect(members.maintainer).toEqual(["cal_acme", "chen-core", "cora-core", "ian-inspect", "ivo-ig", "lea-lead", "loulead", "pia-py", "tess-type", "wanda-wg"]);
  });

  it("emeritus maintainers and community moderators hold no role", () => {
    for (const login of ["emil-emeritus", "mo-moderator"]) {
      expect(members.maintainer).not.toContain(login);
      expect(members["core-maintainer"]).not.toContain(login);
    }
  });

  it("teams and users add members; includes are resolved, a cycle adds nothing twice", () => {
    const cyclic = { roles: { a: { description: "a", includes: ["b"], sections: [], teams: ["t"], users: ["@Zed"] }, b: { description: "b", includes: ["a"], sections: [], teams: [], users: ["yan"] } } };
    expect(roleMembers(cyclic, null, { t: ["Xi"] })).toEqual({ a: ["xi", "yan", "zed"], b: ["xi", "yan", "zed"] });
  });
});

describe("who holds which role on one pull request", () => {
  const roles = roleMembers(rules, FILE, {});
  const on = (o: { author?: string; assignees?: string[]; head: ReturnType<typeof sep>; base?: ReturnType<typeof sep> | null }) =>
    peopleOf(snapshot({ files: [], roles, pr: { author: o.author ?? "pieter", assignees: o.assignees ?? [] } }), o.head, o.base ?? null);

  it("authors: the base branch's Author(s) and the PR author; names the PR adds grant nothing but do exclude", () => {
    const people = on({ head: sep("Pieter (@pieter), Cora (@cora-core), Newcomer (@newbie)"), base: sep("Pieter (@pieter), Old Friend (@old-friend)") });
    expect(holds("pieter", "author", people)).toBe(true);
    expect(holds("old-friend", "author", people)).toBe(true);
    expect(holds("newbie", "author", people)).toBe(false); // only named on the PR's head
    // ...but a core maintainer named as author on the head may not accept (notBy: author).
    expect(maySetStatus("cora-core", "accepted", people, rules)).toBe(false);
    expect(maySetStatus("chen-core", "accepted", people, rules)).toBe(true);
  });

  it("the sponsor: named in the file and assigned, and never an author", () => {
    expect(holds("tess-type", "sponsor", on({ head: sep("@pieter", "Tess (@tess-type)"), assignees: ["tess-type"] }))).toBe(true);
    expect(holds("tess-type", "sponsor", on({ head: sep("@pieter", "Tess (@tess-type)") }))).toBe(false); // not assigned
    expect(holds("pieter", "sponsor", on({ head: sep("@pieter", "Me (@pieter)"), assignees: ["pieter"] }))).toBe(false); // an author
  });

  it("status authority: sponsor or maintainer by default; core maintainers for accepted and rejected; emeritus nobody", () => {
    const people = on({ head: sep("@pieter", "Tess (@tess-type)"), assignees: ["tess-type"] });
    expect(maySetStatus("tess-type", "in-review", people, rules)).toBe(true);
    expect(maySetStatus("tess-type", "accepted", people, rules)).toBe(false);
    expect(maySetStatus("ivo-ig", "in-review", people, rules)).toBe(true);
    expect(maySetStatus("lea-lead", "rejected", people, rules)).toBe(true);
    expect(maySetStatus("emil-emeritus", "in-review", people, rules)).toBe(false);
    expect(maySetStatus("pieter", "in-review", people, rules)).toBe(false);
    expect(maySetStatus("pieter", "withdrawn", people, rules)).toBe(true); // an author may withdraw
    expect(allowed("anybody", ["anyone"], [], people)).toBe(true);
  });

  it("describes roles for messages", () => {
    expect(describeRoles(["sponsor", "maintainer"], rules)).toBe("the sponsor or a maintainer");
    expect(describeRoles(["author", "sponsor", "maintainer"], rules)).toBe("an author, the sponsor or a maintainer");
    expect(describeRoles(["core-maintainer"], rules)).toBe("a core maintainer");
  });
});
