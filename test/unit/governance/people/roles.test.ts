import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMaintainerDirectory } from "../../../../src/governance/people/maintainers.js";
import { allowed, describeRoles, holds, maySetStatus, maySponsor, mention, peopleOf, roleMembers } from "../../../../src/governance/people/roles.js";
import { loadRules } from "../../../../src/rules/load.js";
import type { Rules } from "../../../../src/rules/schema.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { rules } from "../../../helpers/sep.js";
import { snapshot } from "../../../helpers/snapshot.js";

const FILE = readFileSync(new URL("../../../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
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
  const on = (o: { author?: string; assignees?: string[]; head: ReturnType<typeof sep>; base?: ReturnType<typeof sep> | null; rules?: Rules }) =>
    peopleOf(snapshot({ files: [], roles, directory: parseMaintainerDirectory(FILE), pr: { author: o.author ?? "pieter", assignees: o.assignees ?? [] } }), o.head, o.base ?? null, o.rules ?? rules);

  it("authors: the base branch's Author(s) and the PR author; names the PR adds grant nothing but do exclude", () => {
    const people = on({ head: sep("Pieter (@pieter), Cora (@cora-core), Newcomer (@newbie)"), base: sep("Pieter (@pieter), Old Friend (@old-friend)") });
    expect(holds("pieter", "author", people)).toBe(true);
    expect(holds("old-friend", "author", people)).toBe(true);
    expect(holds("newbie", "author", people)).toBe(false); // only named on the PR's head
    // ...but a core maintainer named as author on the head may not accept (notBy: author).
    expect(maySetStatus("cora-core", "accepted", people, rules)).toBe(false);
    expect(maySetStatus("chen-core", "accepted", people, rules)).toBe(true);
  });

  it("the sponsor: a maintainer named in the file and assigned; a co-author maintainer too, the PR's author who is no maintainer never", () => {
    expect(holds("tess-type", "sponsor", on({ head: sep("@pieter", "Tess (@tess-type)"), assignees: ["tess-type"] }))).toBe(true);
    expect(holds("tess-type", "sponsor", on({ head: sep("@pieter", "Tess (@tess-type)") }))).toBe(false); // not assigned
    expect(holds("pieter", "sponsor", on({ head: sep("@pieter", "Me (@pieter)"), assignees: ["pieter"] }))).toBe(false); // not a maintainer
    // A maintainer sponsoring the SEP they co-authored (a lead's own extension SEP), even as the PR's author.
    const coAuthored = on({ author: "cora-core", head: sep("Cora Core (@cora-core), Pieter (@pieter)", "Cora Core (@cora-core)"), assignees: ["cora-core"] });
    expect(holds("cora-core", "sponsor", coAuthored)).toBe(true);
    expect(coAuthored.sponsor).toEqual({ login: "cora-core", name: "Cora Core" });
    // A process that forbids it says so on the sponsor command.
    const strict = loadRules([{ text: "commands:\n  sponsor:\n    summary: sponsor\n    who: [maintainer]\n    notBy: [author]\n    does: sponsor\n", file: "strict.yml" }]);
    expect(holds("cora-core", "sponsor", on({ author: "cora-core", head: sep("Cora Core (@cora-core)", "@cora-core"), assignees: ["cora-core"], rules: strict }))).toBe(false);
  });

  it("rules with no `sponsor` command: a maintainer may sponsor, a co-author included; the PR's author who is no maintainer may not", () => {
    const noCommand = { ...rules, commands: Object.fromEntries(Object.entries(rules.commands).filter(([, c]) => c.does !== "sponsor")) } as Rules;
    const people = on({ author: "cora-core", head: sep("Cora Core (@cora-core), Pieter (@pieter)", "Cora Core (@cora-core)"), assignees: ["cora-core"], rules: noCommand });
    expect(maySponsor("cora-core", people, noCommand)).toBe(true);
    expect(maySponsor("pieter", people, noCommand)).toBe(false);
  });

  it("taken as found at first contact: the maintainer named sponsors it unassigned, while the field names them", () => {
    const found = (head: ReturnType<typeof sep>) =>
      peopleOf(snapshot({ files: [], roles, directory: parseMaintainerDirectory(FILE), pr: { author: "pieter" } }), head, null, rules, "tess-type");
    expect(found(sep("@pieter", "Tess (@tess-type)")).sponsor).toEqual({ login: "tess-type", name: "Tess Type" });
    expect(found(sep("@pieter", "Ivo (@ivo-ig)")).sponsor).toBeNull(); // the field names someone else now
    // Named, neither assigned nor taken as found: no sponsor (an author cannot make a maintainer theirs by writing the name).
    expect(on({ head: sep("@pieter", "Tess (@tess-type)") }).sponsor).toBeNull();
  });

  it("a Sponsor written as a name, or with a typo in the handle, means the maintainer the maintainers file names", () => {
    const byName = on({ head: sep("@pieter", "Tess Type"), assignees: ["tess-type"] });
    expect(byName.sponsor).toEqual({ login: "tess-type", name: "Tess Type" });
    expect(byName.named.map((n) => [n.login, n.via])).toEqual([["tess-type", "name"]]);
    const typo = on({ head: sep("@pieter", "@tess-typ"), assignees: ["tess-type"] });
    expect(typo.named.map((n) => [n.login, n.via])).toEqual([["tess-type", "near"]]);
    expect(holds("tess-type", "sponsor", typo)).toBe(true); // the one meant, and assigned
    // Named but not assigned: meant, not yet the sponsor.
    expect(on({ head: sep("@pieter", "Tess Type") }).sponsor).toBeNull();
    // Not near any maintainer: nobody.
    expect(on({ head: sep("@pieter", "@someone-else"), assignees: ["someone-else"] }).named.map((n) => n.login)).toEqual([null]);
  });

  it("mentions only people seen taking part: a handle only written in the file is quoted", () => {
    const people = on({ head: sep("Pieter (@pieter), Stranger (@str4nger)", "@tess-typo"), assignees: [] });
    expect(mention("pieter", people)).toBe("@pieter"); // the PR's author
    expect(mention("tess-type", people)).toBe("@tess-type"); // a maintainer
    expect(mention("str4nger", people)).toBe("`str4nger`");
    expect(mention("tess-typo", people)).toBe("`tess-typo`");
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
