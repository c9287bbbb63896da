/**
 * The SEP site: an index of every SEP and a dashboard of the pipeline, as
 * static files (index.html, seps.json, site.css, site.js), from the sweep's
 * bulk read. `renderSite(siteData(source, now))` gives every file in memory.
 */
export { siteData, type SiteFile, type SiteSource } from "./build.js";
export { renderSite, renderIndex, renderJson, SITE_CSP, type SiteAsset } from "./render.js";
export * from "./model.js";
