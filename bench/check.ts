/**
 * `npm run bench`: how fast is `sep-bot check` on a large SEP directory?
 *
 * The bar: 1,000 realistic SEPs (~25 MB, up to 500 KB each) checked in one
 * process in under 2 s, with peak RSS under 200 MB. This is a measurement,
 * not a test: it prints the numbers, says PASS or FAIL against the bar, and
 * exits 1 on FAIL.
 *
 *   npx tsx bench/check.ts [--runs 5] [--remark]
 *
 * The timed path is the real CLI path: `checkPaths([dir], defaultRules())`
 * (read + parse + lint every file), 1 warm-up then `--runs` runs, median
 * reported. Peak RSS is read right after those runs, before the breakdown
 * (which holds the whole corpus in memory) and before `--remark`.
 *
 * `--remark` times remark-parse on a 50-file sample and extrapolates to the
 * corpus, for comparison with the line scanner.
 */
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkPaths } from "../src/run/cli/check.js";
import { readCapped } from "../src/run/cli/files.js";
import { lintSep } from "../src/lint/index.js";
import { defaultRules } from "../src/rules/load.js";
import { scanBlocks } from "../src/sep/blocks.js";
import type { Sep } from "../src/sep/model.js";
import { parseSep } from "../src/sep/parse.js";
import { ensureCorpus } from "./corpus.js";

const BAR_MS = 2000;
const BAR_RSS_MB = 200;
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    remark: { type: "boolean", default: false },
  },
});
const runs = Math.max(1, Number(values.runs) || 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** 1 warm-up, then `runs` timed runs; returns the median in ms. */
function time(label: string, fn: () => void): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  const m = median(samples);
  if (process.env.BENCH_VERBOSE) console.log(`  ${label}: ${samples.map((s) => s.toFixed(0)).join(", ")} ms`);
  return m;
}

const rssMb = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KB
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

// --- The corpus, generated in a child process so that generating ~25 MB of
// strings does not count against this process's peak RSS.
const corpusScript = fileURLToPath(new URL("./corpus.ts", import.meta.url));
const gen = spawnSync(process.execPath, ["--import", "tsx", corpusScript], { stdio: ["ignore", "inherit", "inherit"] });
if (gen.status !== 0) {
  console.error(`bench: generating the corpus failed (${corpusScript}, exit ${gen.status ?? gen.signal})`);
  process.exit(2);
}
const corpus = ensureCorpus();
if (corpus.generated) console.warn("bench: note: the corpus was generated in-process; peak RSS includes generation");

const cpuList = cpus();
console.log(
  `machine: ${cpuList.length} cores, ${cpuList[0]?.model.trim() ?? "unknown cpu"}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ` +
    `node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log(
  `corpus:  ${corpus.files.length} files, ${(corpus.totalBytes / MB).toFixed(1)} MB, largest ${(corpus.largestBytes / 1024).toFixed(0)} KB, ` +
    `${corpus.realCopies} copies of real SEPs (${corpus.dir})`,
);

const rules = defaultRules();
const now = new Date("2026-01-01T00:00:00Z");
const rssBefore = rssMb();

// --- The bar: the CLI path.
let findings = 0;
let files = 0;
const checkMs = time("checkPaths", () => {
  const reports = checkPaths([corpus.dir], rules, now);
  files = reports.length;
  findings = reports.reduce((n, r) => n + r.findings.length, 0);
});
const peakRss = rssMb();
const totalMb = corpus.totalBytes / MB;

console.log("");
console.log(`checkPaths([dir], defaultRules()), median of ${runs} after 1 warm-up:`);
console.log(`  files:      ${files} (${findings} findings)`);
console.log(`  total:      ${totalMb.toFixed(1)} MB`);
console.log(`  wall time:  ${fmt(checkMs)}`);
console.log(`  files/s:    ${((files / checkMs) * 1000).toFixed(0)}`);
console.log(`  MB/s:       ${((totalMb / checkMs) * 1000).toFixed(1)}`);
console.log(`  peak RSS:   ${peakRss.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the first check)`);

// --- Breakdown, on data already in memory.
const inputs = corpus.files.map((path) => ({ path, ...readCapped(path, rules.limits.maxFileBytes) }));
const readMs = time("read", () => {
  for (const { path } of inputs) readCapped(path, rules.limits.maxFileBytes);
});
const decoder = new TextDecoder("utf-8", { ignoreBOM: false });
const split = inputs.map(({ bytes }) => decoder.decode(bytes).split(/\r\n|\r|\n/));
const scanMs = time("scan", () => {
  for (const lines of split) scanBlocks(lines);
});
// Results are dropped as they are made, as checkPaths drops them; lint gets its own copy.
const parseMs = time("parse", () => {
  for (const { path, bytes, size } of inputs) parseSep(bytes, path, { rules, size });
});
const seps: Sep[] = inputs.map(({ path, bytes, size }) => parseSep(bytes, path, { rules, size }));
const lintMs = time("lint", () => {
  for (const sep of seps) lintSep(sep, rules, { now });
});
console.log("");
console.log(`breakdown (median of ${runs}; each on input already in memory):`);
console.log(`  read only (readCapped):                ${fmt(readMs)}`);
console.log(`  scan only (scanBlocks on split lines): ${fmt(scanMs)}  (${((totalMb / scanMs) * 1000).toFixed(0)} MB/s)`);
console.log(`  parse only (parseSep on bytes):        ${fmt(parseMs)}  (includes decode, split, scan, preamble, zod)`);
console.log(`  lint only (lintSep on parsed models):  ${fmt(lintMs)}`);

// --- remark-parse for comparison (a sample, extrapolated).
if (values.remark) {
  const { unified } = await import("unified");
  const { default: remarkParse } = await import("remark-parse");
  const processor = unified().use(remarkParse);
  const SAMPLE = 50;
  const sample = Array.from({ length: Math.min(SAMPLE, inputs.length) }, (_, i) => inputs[Math.floor((i * inputs.length) / SAMPLE)]!);
  const texts = sample.map(({ bytes }) => decoder.decode(bytes));
  const sampleBytes = sample.reduce((n, s) => n + s.bytes.byteLength, 0);
  processor.parse(texts[0]!); // warm-up
  const start = performance.now();
  for (const text of texts) processor.parse(text);
  const remarkMs = performance.now() - start;
  const rate = sampleBytes / MB / (remarkMs / 1000);
  console.log("");
  console.log(`remark-parse (unified().use(remarkParse).parse), ${sample.length}-file sample, 1 run, extrapolated:`);
  console.log(`  sample:     ${sample.length} files, ${(sampleBytes / MB).toFixed(2)} MB in ${fmt(remarkMs)} = ${rate.toFixed(2)} MB/s`);
  console.log(`  whole corpus at that rate (extrapolated, not measured): ~${((totalMb / rate) * 1000 / 1000).toFixed(1)} s`);
}

// --- Verdict.
const slow = checkMs > BAR_MS;
const fat = peakRss > BAR_RSS_MB;
console.log("");
if (slow || fat) {
  const why = [
    slow ? `median wall time ${fmt(checkMs)} > ${BAR_MS} ms` : null,
    fat ? `peak RSS ${peakRss.toFixed(0)} MB > ${BAR_RSS_MB} MB` : null,
  ].filter(Boolean);
  console.log(`FAIL: ${why.join("; ")} (bar: ${files} files in < ${BAR_MS} ms, peak RSS < ${BAR_RSS_MB} MB)`);
  process.exitCode = 1;
} else {
  console.log(`PASS: ${fmt(checkMs)} < ${BAR_MS} ms, peak RSS ${peakRss.toFixed(0)} MB < ${BAR_RSS_MB} MB`);
}
