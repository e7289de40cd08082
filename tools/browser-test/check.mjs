// Checks the built book in headless Chromium, as a reader meets it.
//
//   node check.mjs <html dir> <SUMMARY.md> <output dir>
//
// Run it with `cargo xtask browser-test`. It serves the book on 127.0.0.1,
// visits every page, and prints one PASS or FAIL line per check; the numbers
// go to <output dir>/report.json, screenshots to <output dir>/*.png.

import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const [htmlRoot, summaryPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node check.mjs <html dir> <SUMMARY.md> <output dir>");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

// Searches a reader would make, and the chapter folder a hit must link into.
const SEARCHES = [
  { query: "spawn", chapter: "chapter-1/" },
  { query: "Mutex", chapter: "chapter-4/" },
  { query: "E0373", chapter: "chapter-2/" },
  { query: "sync_channel", chapter: "chapter-3/" },
  { query: "PhantomData", chapter: "chapter-5/" },
  { query: "Barrier", chapter: "chapter-7/" },
];

// Pages to take screenshots of: one with diagrams from each chapter, and a quiz.
const SCREENSHOTS = [
  "chapter-1/join.html",
  "chapter-2/scoped.html",
  "chapter-3/closing.html",
  "chapter-4/deadlocks.html",
  "chapter-5/quadrants.html",
  "chapter-7/measured.html",
  "chapter-4-quiz.html",
];
const shotName = (rel) => rel.replace(/\.html$/, "").replace(/\//g, "-");

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// ---- the table of contents -------------------------------------------------

function readSummary(file) {
  const pages = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^(\s*)(?:[-*] )?\[(.+?)\]\((.+?)\)/);
    if (!m) continue;
    const depth = m[1].length / 2;
    const numbered = /^\s*[-*] /.test(line);
    // The title as the page shows it: `code` spans lose their backticks.
    const title = m[2].replace(/`/g, "");
    pages.push({ title, path: m[3].replace(/\.md$/, ".html"), depth, numbered });
  }
  return pages;
}

// ---- a static server for the book ------------------------------------------

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".json": "application/json",
  ".zip": "application/zip", ".txt": "text/plain; charset=utf-8", ".toml": "text/plain; charset=utf-8",
};

function serve(dir) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end("not found"); return; }
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- reporting --------------------------------------------------------------

const results = [];
function report(name, problems, detail) {
  const ok = problems.length === 0;
  results.push({ name, ok, detail, problems });
  console.log(`${ok ? "PASS" : "FAIL"}  ${name.padEnd(44)} ${ok ? detail : ""}`);
  for (const p of problems.slice(0, 30)) console.log(`      ${p}`);
  if (problems.length > 30) console.log(`      ... and ${problems.length - 30} more`);
}

// ---- colours, for contrast --------------------------------------------------

function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// ---- the run ----------------------------------------------------------------

const pages = readSummary(summaryPath);
const server = await serve(htmlRoot);
const base = `http://127.0.0.1:${server.address().port}/`;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "book-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_FLAGS,
  viewport: { width: 1280, height: 900 },
});

const offHost = [];
const failedRequests = [];
let requests = 0;
context.on("request", (req) => {
  requests += 1;
  const url = new URL(req.url());
  if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:") {
    offHost.push(`${req.url()} (from ${req.frame()?.url() ?? "?"})`);
  }
});
context.on("requestfailed", (req) => failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`));
context.on("response", (res) => {
  if (res.status() >= 400) failedRequests.push(`${res.url()}: HTTP ${res.status()}`);
});

const page = await context.newPage();
const consoleErrors = [];
page.on("console", (msg) => {
  if (msg.type() === "error") consoleErrors.push(`${page.url()}: ${msg.text()}`);
});
page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));

async function visit(rel) {
  const response = await page.goto(base + rel, { waitUntil: "load" });
  return response?.status() ?? 0;
}

// 1. Every page loads: status, console, images, links, headings, code width, diagrams.
const idsByPage = new Map();
const linksToCheck = [];
const pageProblems = [], imageProblems = [], headingProblems = [], widthProblems = [],
  playProblems = [], diagramProblems = [];
let diagrams = 0, codeBlocks = 0, runnable = 0;
const visited = [...pages.map((p) => p.path), "print.html"];
for (const rel of visited) {
  const status = await visit(rel);
  if (status !== 200) pageProblems.push(`${rel}: HTTP ${status}`);
  const info = await page.evaluate(() => {
    const main = document.querySelector("#mdbook-content main") ?? document.body;
    const brokenImages = Array.from(document.images)
      .filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src);
    const ids = Array.from(document.querySelectorAll("[id]")).map((e) => e.id);
    const links = Array.from(document.querySelectorAll("a[href]")).map((a) => a.href);
    const headings = Array.from(main.querySelectorAll("h1, h2, h3, h4, h5, h6"))
      .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim() }));
    const blocks = Array.from(main.querySelectorAll("pre > code")).map((code) => {
      const pre = code.parentElement;
      const cls = code.classList;
      return {
        lang: Array.from(cls).find((c) => c.startsWith("language-")) ?? "none",
        classes: Array.from(cls),
        hasPlay: pre.querySelector(".play-button") !== null,
        overflow: pre.scrollWidth - pre.clientWidth,
        firstLine: code.textContent.split("\n")[0].slice(0, 60),
      };
    });
    const svgs = Array.from(main.querySelectorAll("svg.diagram")).map((svg) => {
      const ids = (svg.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
      const labels = ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? "");
      return { role: svg.getAttribute("role"), ids, labels, width: svg.getBoundingClientRect().width,
        available: main.getBoundingClientRect().width };
    });
    return { brokenImages, ids, links, headings, blocks, svgs };
  });
  idsByPage.set(rel, new Set(info.ids));
  for (const src of info.brokenImages) imageProblems.push(`${rel}: ${src}`);
  for (const href of info.links) linksToCheck.push({ from: rel, href });

  if (rel !== "print.html") {
    let previous = 0;
    info.headings.forEach((h, i) => {
      if (i === 0 && h.level !== 1) headingProblems.push(`${rel}: starts with h${h.level} "${h.text}"`);
      if (i > 0 && h.level === 1) headingProblems.push(`${rel}: a second h1 "${h.text}"`);
      if (previous && h.level > previous + 1) headingProblems.push(`${rel}: h${previous} then h${h.level} "${h.text}"`);
      previous = h.level;
    });
  }
  for (const b of info.blocks) {
    if (rel === "print.html") break;
    codeBlocks += 1;
    const shouldRun = b.lang === "language-rust" &&
      !b.classes.some((c) => ["ignore", "noplayground", "noplaypen", "compile_fail"].includes(c));
    if (shouldRun) runnable += 1;
    if (shouldRun !== b.hasPlay) {
      playProblems.push(`${rel}: ${b.lang} ${b.classes.filter((c) => !c.startsWith("language-") && !c.startsWith("hljs") && !c.startsWith("edition")).join(",")} ` +
        `${b.hasPlay ? "shows" : "lacks"} the play button: ${b.firstLine}`);
    }
    if (b.lang === "language-rust" && b.overflow > 1) {
      widthProblems.push(`${rel}: Rust block ${b.overflow}px too wide at 1280px: ${b.firstLine}`);
    }
  }
  for (const d of info.svgs) {
    if (rel === "print.html") break;
    diagrams += 1;
    if (d.role !== "img" || d.ids.length === 0 || d.labels.some((l) => l.length < 10)) {
      diagramProblems.push(`${rel}: a diagram without role="img" and a title and description`);
    }
    if (d.width > d.available + 1) diagramProblems.push(`${rel}: a diagram wider than the page`);
  }
}
report("every page loads", pageProblems, `${visited.length} pages (SUMMARY and print.html)`);
report("no console errors", consoleErrors, "none");
report("no broken images", imageProblems, "none");

// 2. Internal links lead to a page that exists, and to an element with the anchor's id.
const linkProblems = [];
const checkedTargets = new Map();
let internal = 0;
for (const { from, href } of linksToCheck) {
  const url = new URL(href);
  if (url.origin !== new URL(base).origin) continue;
  internal += 1;
  const rel = decodeURIComponent(url.pathname.slice(1)) || "index.html";
  if (!checkedTargets.has(rel)) {
    const res = await fetch(base + rel);
    checkedTargets.set(rel, res.status);
  }
  if (checkedTargets.get(rel) !== 200) {
    linkProblems.push(`${from}: ${href} (HTTP ${checkedTargets.get(rel)})`);
    continue;
  }
  const hash = decodeURIComponent(url.hash.slice(1));
  if (hash && idsByPage.has(rel) && !idsByPage.get(rel).has(hash)) {
    linkProblems.push(`${from}: ${href} (no element with id "${hash}")`);
  }
}
report("no broken internal links", linkProblems, `${internal} links to ${checkedTargets.size} files`);
report("no failed requests", failedRequests, "none");
report("no request leaves localhost", offHost, `0 of ${requests} requests`);

// 3. The sidebar lists every page of the table of contents.
await visit("index.html");
const sidebar = await page.evaluate(() =>
  Array.from(document.querySelectorAll("mdbook-sidebar-scrollbox a")).map((a) => a.textContent.trim()));
const missing = pages.filter((p) => !sidebar.some((text) => text.endsWith(p.title)));
report("the sidebar lists every page", missing.map((p) => `missing: ${p.title}`),
  `${pages.length} entries, ${pages.filter((p) => p.numbered && p.depth === 0).length} chapters`);

// 4. Search finds the right chapters.
const searchProblems = [];
let searches = 0;
for (const { query, chapter } of SEARCHES) {
  searches += 1;
  await visit("index.html");
  await page.click("#mdbook-search-toggle");
  // Typed key by key: mdBook searches on keyup.
  await page.locator("#mdbook-searchbar").pressSequentially(query);
  await page.waitForSelector("#mdbook-searchresults li a", { timeout: 5000 }).catch(() => {});
  const hits = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#mdbook-searchresults li a")).map((a) => a.getAttribute("href")));
  if (!hits.some((h) => h.includes(chapter))) {
    searchProblems.push(`"${query}": ${hits.length} hits, none in ${chapter}: ${hits.slice(0, 5).join(", ")}`);
  }
}
report("search finds the right chapters", searchProblems,
  `${searches} searches`);

// 5. Play buttons on runnable Rust blocks only.
report("play buttons only on runnable Rust", playProblems, `${runnable} runnable of ${codeBlocks} code blocks`);

// 6. Hints open on click.
const hintProblems = [];
const exercisePages = pages.filter((p) => /\/ex-[^/]+\.html$/.test(p.path));
let hints = 0;
for (const p of exercisePages) {
  await visit(p.path);
  const count = await page.locator("details").count();
  if (count === 0) { hintProblems.push(`${p.path}: no hints`); continue; }
  const details = page.locator("details").first();
  const before = await details.evaluate((d) => d.open);
  await details.locator("summary").click();
  const after = await details.evaluate((d) => d.open);
  hints += count;
  if (before || !after) hintProblems.push(`${p.path}: the first hint did not open on click`);
}
report("hints open on click", hintProblems, `${exercisePages.length} exercise pages, ${hints} hints`);

// 7. The print page holds every chapter.
await visit("print.html");
const printTitles = await page.evaluate(() =>
  Array.from(document.querySelectorAll("h1")).map((h) => h.textContent.trim()));
const chapters = pages.filter((p) => p.numbered && p.depth === 0);
report("the print page holds every chapter",
  chapters.filter((c) => !printTitles.includes(c.title)).map((c) => `missing: ${c.title}`),
  `${chapters.length} chapters`);

// 8. Accessibility: headings, diagrams, code width, diagram contrast in two themes.
report("headings nest properly", headingProblems, "h1, then no level skipped");
report("diagrams have a title and description", diagramProblems, `${diagrams} diagrams`);
report("Rust code fits at 1280 px", widthProblems, "no horizontal scrolling");

const contrastProblems = [];
const withDiagram = [];
for (const p of pages) {
  if (fs.readFileSync(path.join(htmlRoot, p.path), "utf8").includes('class="diagram"')) withDiagram.push(p.path);
}
for (const theme of ["light", "navy"]) {
  await visit("index.html");
  await page.evaluate((t) => localStorage.setItem("mdbook-theme", t), theme);
  for (const rel of withDiagram) {
    await visit(rel); // mdBook applies the stored theme as the page loads
    const colours = await page.evaluate(() => {
      const parse = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
      // The first ancestor with a background of its own is what the text is drawn on.
      const backdrop = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      return Array.from(document.querySelectorAll("svg.diagram text"))
        .map((t) => ({ fg: parse(getComputedStyle(t).fill).slice(0, 3), bg: backdrop(t.closest("svg")), text: t.textContent }));
    });
    for (const c of colours) {
      const ratio = contrast(c.fg, c.bg);
      if (!(ratio >= 4.5)) {
        contrastProblems.push(`${rel} (${theme}): "${c.text}" has contrast ${ratio.toFixed(2)}`);
      }
    }
    if (SCREENSHOTS.includes(rel)) {
      await page.screenshot({ path: path.join(outDir, `${shotName(rel)}-${theme}.png`), fullPage: false });
    }
  }
}
report("diagram text readable in light and navy", contrastProblems, `${withDiagram.length} pages, 2 themes`);

// 9. Full-page screenshots of a few pages, for a reviewer.
await visit("index.html");
await page.evaluate(() => { localStorage.setItem("mdbook-theme", "light"); });
for (const rel of SCREENSHOTS) {
  if (!fs.existsSync(path.join(htmlRoot, rel))) continue;
  await visit(rel);
  await page.screenshot({ path: path.join(outDir, `${shotName(rel)}.png`), fullPage: true });
}

await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });

const failed = results.filter((r) => !r.ok);
const summary = {
  pages: visited.length,
  searches,
  requests,
  requestsOffLocalhost: offHost.length,
  internalLinks: internal,
  diagrams,
  checks: results.length,
  failed: failed.length,
  screenshots: fs.readdirSync(outDir).filter((f) => f.endsWith(".png")),
};
fs.writeFileSync(path.join(outDir, "report.json"), JSON.stringify({ summary, results }, null, 2));
console.log(`browser-test: ${results.length - failed.length} passed, ${failed.length} failed; ` +
  `${summary.pages} pages, ${summary.searches} searches, requests off localhost: ${summary.requestsOffLocalhost}`);
process.exit(failed.length ? 1 : 0);
