/**
 * The SEP site: an index of every SEP and a dashboard of the pipeline, as
 * static files (index.html, seps.json, feed.xml, site.css, site.js, a page per status and per person), from the sweep's
 * bulk read. `renderSite(siteData(source, now))` gives every file in memory.
 */
export { siteData, type SiteFile, type SiteSource } from "./build.js";
export { renderSite, renderIndex, renderJson, viewOf, SITE_CSP, type RenderOptions, type SiteAsset, type SiteView } from "./render.js";
export { renderFeed } from "./feed.js";
export * from "./model.js";
