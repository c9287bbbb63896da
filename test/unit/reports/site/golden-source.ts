import { readFileSync } from "node:fs";
import type { SiteSource } from "../../../../src/reports/site/build.js";
import { rules } from "../../../helpers/sep.js";

/** The golden input: the scenario repository's read, frozen (test/fixtures/site/input.json, made by make-input.ts). */
export const FIXTURES = new URL("../../../fixtures/site/", import.meta.url);
const input = JSON.parse(readFileSync(new URL("input.json", FIXTURES), "utf8")) as Omit<SiteSource, "rules"> & { now: string };
export const goldenSource = (): SiteSource => ({ read: structuredClone(input.read), rules, files: input.files, discussions: input.discussions });
export const GOLDEN_NOW = new Date(input.now);
