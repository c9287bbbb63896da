import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";

/**
 * `npm run bundle`: the GitHub Action as one file, dist/index.js (committed,
 * like every JavaScript action: the runner runs it without installing
 * anything), and beside it dist/licenses.txt, the license of every package
 * bundled into it. ESM for node24, Probot and every dependency inside; the
 * banner gives CommonJS dependencies the `require` they expect, and the
 * bundled rules come as text (a bundle has no rules/ beside it). `.ci/run`
 * rebuilds both and fails when a committed file differs, so both are
 * deterministic: the same sources and lockfile give the same bytes, wherever
 * the repository is checked out.
 *
 * Why not esbuild's `legalComments`: it keeps only comments marked `/*!`,
 * `@license` or `@preserve`, which in these dependencies are mostly coverage
 * pragmas, and it misses the MIT and ISC packages whose notice is their
 * LICENSE file (nearly all of them). licenses.txt takes each bundled
 * package's own LICENSE file instead, as @vercel/ncc does.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const LICENSES_FILE = "licenses.txt";

export async function bundle(out = join(ROOT, "dist", "index.js")): Promise<{ entry: string; licenses: string }> {
  const outfile = resolve(out);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/run/action/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    // The notices are in licenses.txt (above), complete; none are copied into the code.
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    banner: {
      js: `// sep-bot's GitHub Action, bundled by scripts/bundle.ts. The licenses of the bundled packages: ${LICENSES_FILE}.\nimport { createRequire as __sepBotRequire } from "node:module";\nconst require = __sepBotRequire(import.meta.url);`,
    },
    define: { __SEP_BOT_DEFAULT_RULES__: JSON.stringify(readFileSync(join(ROOT, "rules/default.yml"), "utf8")) },
  });
  const licenses = join(dirname(outfile), LICENSES_FILE);
  writeFileSync(licenses, licensesText(result.metafile));
  return { entry: outfile, licenses };
}

interface Package {
  name: string;
  version: string;
  license: string;
  dir: string;
}

/** The packages whose files are in the bundle (metafile inputs under node_modules/), once each, sorted. */
export function bundledPackages(metafile: Metafile, root = ROOT): Package[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, "/"));
    if (m) dirs.add(m[1]!);
  }
  return [...dirs]
    .map((dir) => {
      const json = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name?: string; version?: string; license?: string };
      return { name: json.name ?? basename(dir), version: json.version ?? "", license: json.license ?? "UNKNOWN", dir };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

const LICENSE_NAME = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** Each package: name, version, SPDX licence, and its own licence files' text (LF line ends, trailing space trimmed). */
export function licensesText(metafile: Metafile, root = ROOT): string {
  const sections = bundledPackages(metafile, root).map((pkg) => {
    const files = readdirSync(join(root, pkg.dir))
      .filter((name) => LICENSE_NAME.test(name))
      .sort();
    const texts = files.map((name) => readFileSync(join(root, pkg.dir, name), "utf8").replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").trim());
    const body = texts.length ? texts.join("\n\n") : `(${pkg.name} ships no license file; its package.json names the license: ${pkg.license})`;
    return `${pkg.name}@${pkg.version}\nLicense: ${pkg.license}\n\n${body}\n`;
  });
  return `The GitHub Action's dist/index.js bundles these packages (the versions package-lock.json pins), under these licenses.\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await bundle(process.argv[2]);
}
