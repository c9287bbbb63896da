import { sdkNamed, type Sdk } from "../../sdks/list.js";
import { display, refuse, type CommandHandler } from "../action.js";

/**
 * `/track`: file the SEP's implementation issues, one in each selected SDK
 * repository and the umbrella here (the planner files them: governance/sdks/),
 * for a SEP accepted before sep-bot was there (an accepted SEP is tracked by
 * itself), or to try again where sep-bot had no access. `/track none [why]`:
 * no SDK needs work for this SEP; `/track skip <sdk>, <sdk> [why]`: these need
 * none. Both are recorded with who said so.
 */
export const track: CommandHandler = {
  help: {
    args: "[none | skip <sdk>, <sdk>... [reason]]",
    summary: "file the SEP's implementation issues in the SDK repositories and the umbrella here (accepted SEPs; done by itself on acceptance); `none` or `skip <sdk>` records what needs no work",
  },
  changesState: true,
  run(use) {
    const { line, comment, working: w, ctx } = use;
    const rules = ctx.rules.sdks;
    if (!rules) return refuse(use, "this repository's rules track no SDKs (`sdks` is off).");
    if (w.state !== "accepted" && w.state !== "final") return refuse(use, `only an accepted SEP is implemented across the SDKs; this one is ${display(ctx.rules, w.state)}.`);
    if (!ctx.sep.type || !rules.types.includes(ctx.sep.type)) {
      const type = ctx.rules.types.find((t) => t.id === ctx.sep.type)?.display ?? "this type of";
      return refuse(use, `${type} SEPs need no SDK work (the rules' \`sdks.types\`).`);
    }
    const [first = "", ...rest] = line.rest.trim().split(/\s+/).filter(Boolean);
    const by = comment.author;
    if (first.toLowerCase() === "none") {
      w.track = { by, none: rest.join(" "), skip: [] };
      return { status: "done", line, what: "no SDK needs work for this SEP" };
    }
    if (first.toLowerCase() === "skip") {
      const sdks = ctx.sdks ?? [];
      // The SDKs, then the reason. After the first, a word is an SDK when written as its repository (`rust-sdk`) or
      // after a comma: in `/track skip go Python parity is enough`, "Python" is the reason's.
      const named: Sdk[] = [];
      let i = 0;
      for (; i < rest.length; i++) {
        const listed = i === 0 || rest[i - 1]!.endsWith(",");
        const sdk = sdkNamed(sdks, rest[i]!, listed ? "any" : "repository");
        if (!sdk) break;
        named.push(sdk);
      }
      if (!named.length) {
        const known = sdks.map((s) => `\`${s.repo.split("/")[1]}\``).join(", ");
        return refuse(use, `say which SDK needs no work: \`/track skip <sdk> [reason]\`${known ? `; the SDKs are ${known}` : ""}.`);
      }
      const reason = rest.slice(i).join(" ");
      // Several `skip` lines in one run add up, as they do across runs (sdks/tracking.ts keeps each one said).
      const earlier = (w.track?.skip ?? []).filter((e) => !named.some((s) => s.repo.toLowerCase() === e.repo.toLowerCase()));
      w.track = { by, none: null, skip: [...earlier, ...named.map((s) => ({ repo: s.repo, reason }))] };
      return { status: "done", line, what: `${named.map((s) => s.repo).join(", ")} need${named.length === 1 ? "s" : ""} no work for this SEP` };
    }
    w.track = { by, none: null, skip: [] };
    return { status: "done", line, what: "implementation tracking across the SDKs asked for" };
  },
};
