// Checks the built book in headless Chromium, as a reader meets it, on a
// desktop (1280 x 800) and on a phone (390 x 844).
//
//   node check.mjs <html dir> <SUMMARY.md> <output dir> [<published html dir> <owner/name>]
//
// Run it with `cargo xtask browser-test`, which also builds the published
// book (as `.github/workflows/pages.yml` would, for a made-up repository) and
// passes it as the last two arguments. It serves the book on 127.0.0.1,
// visits every page, and prints one PASS or FAIL line per check; the numbers
// go to <output dir>/report.json, screenshots to <output dir>/*.png.
//
// Nothing here names a chapter or counts pages: the pages, chapters,
// exercises, quizzes and solutions come from SUMMARY.md.

import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";

const [htmlRoot, summaryPath, outDir, publishedRoot, publishedRepository] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node check.mjs <html dir> <SUMMARY.md> <output dir> [<published html dir> <owner/name>]");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) if (f.endsWith(".png")) fs.rmSync(path.join(outDir, f));

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Searches a reader would make, and the chapter (by its place in SUMMARY.md)
// a hit must link into.
const SEARCHES = [
  { query: "spawn", chapter: 1 },
  { query: "E0373", chapter: 2 },
  { query: "sync_channel", chapter: 3 },
  { query: "Mutex", chapter: 4 },
  { query: "PhantomData", chapter: 5 },
  { query: "compare_exchange_weak", chapter: 6 },
  { query: "Barrier", chapter: 7 },
];
// Searched for, to see that no solution comes up.
const SPOILER_SEARCHES = ["deadlock", "join", "scope", "Arc", "thread pool"];

const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const THEMES = ["light", "navy", "ayu"];
// axe-core runs in full in these themes, and its contrast rules in all three.
const AXE_THEMES = ["light", "navy"];
const MIN_DIAGRAM_TEXT = 11; // CSS px
const WORKERS = 2;

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// ---- the table of contents -------------------------------------------------

// Every page of SUMMARY.md, with its number as mdBook gives it, the part it
// is in (the `# Title` above it, or null), and the chapter it belongs to.
function readSummary(file) {
  const pages = [];
  let part = null;
  const counters = [];
  const parents = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const heading = line.match(/^# (.+)$/);
    if (heading && pages.length > 0) { part = heading[1].trim(); continue; }
    const m = line.match(/^(\s*)(?:[-*] )?\[(.+?)\]\((.+?)\)/);
    if (!m) continue;
    const depth = m[1].length / 2;
    const numbered = /^\s*[-*] /.test(line);
    let number = null;
    if (numbered) {
      counters.length = depth + 1;
      for (let i = 0; i <= depth; i++) counters[i] ??= 0;
      counters[depth] += 1;
      number = counters.join(".");
    }
    // The title as the page shows it: `code` spans lose their backticks.
    const title = m[2].replace(/`/g, "");
    const entry = { title, path: m[3].replace(/\.md$/, ".html"), depth, numbered, number, part };
    parents.length = depth;
    entry.chapter = depth === 0 ? entry : parents[0];
    entry.parent = depth === 0 ? null : parents[depth - 1];
    parents[depth] = entry;
    pages.push(entry);
  }
  return pages;
}

// ---- a static server for the book ------------------------------------------

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".json": "application/json",
  ".zip": "application/zip", ".txt": "text/plain; charset=utf-8", ".toml": "text/plain; charset=utf-8",
};

// Serves `dir` under `prefix`. With `notFound`, a missing file is answered
// with that page and status 404, as GitHub Pages does with 404.html.
function serve(dir, prefix = "/", notFound = null) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const missing = () => {
      if (!notFound) { res.writeHead(404).end("not found"); return; }
      res.writeHead(404, { "Content-Type": TYPES[".html"] }).end(fs.readFileSync(path.join(root, notFound)));
    };
    if (!url.pathname.startsWith(prefix)) { missing(); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { missing(); return; }
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- reporting --------------------------------------------------------------

const results = [];
const started = Date.now();
function report(name, problems, detail) {
  const ok = problems.length === 0;
  results.push({ name, ok, detail, problems });
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`${ok ? "PASS" : "FAIL"} ${seconds}s  ${name.padEnd(50)} ${detail}`);
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

// ---- in the page ------------------------------------------------------------
// These functions run in the browser (page.evaluate), so they take and
// return plain data.

// What a page is made of, at the width it is shown at: everything that must
// fit the column, every box that scrolls, diagram text sizes.
function measurePage(minText) {
  const main = document.querySelector("#mdbook-content main");
  const column = main.getBoundingClientRect();
  const problems = [];
  const short = (el) => (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 50);
  let measured = 0, scrolling = 0, wrappedErrors = 0;
  const kindOf = (el) => {
    if (el.matches(".table-wrapper")) return "table";
    if (el.matches(".diagram-scroll")) return "diagram";
    if (el.closest(".rustc-output")) return "compiler error";
    if (el.closest(".program-output")) return "program output";
    if (el.matches(".language-rust")) return "Rust code";
    return "code";
  };
  const hidden = (el) => el.closest(".quiz-print") !== null || el.getClientRects().length === 0;
  const scrollers = Array.from(main.querySelectorAll("pre > code:not(.result), .table-wrapper, .diagram-scroll"))
    .filter((el) => !hidden(el));
  for (const el of scrollers) {
    measured += 1;
    const kind = kindOf(el);
    const box = el.getBoundingClientRect();
    if (box.right > column.right + 1 || box.left < column.left - 1) {
      problems.push(`${kind} sticks out of the column by ${Math.round(box.right - column.right)}px: ${short(el)}`);
    }
    const over = el.scrollWidth - el.clientWidth;
    if (kind === "compiler error" && over <= 1 && getComputedStyle(el).whiteSpace === "pre-wrap") wrappedErrors += 1;
    if (over <= 1) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (!["auto", "scroll"].includes(overflow)) {
      problems.push(`${kind} cut off: ${over}px hidden (overflow-x: ${overflow}): ${short(el)}`);
      continue;
    }
    const frame = el.closest(".course-frame");
    const hint = frame?.querySelector(":scope > .course-scroll-hint");
    const hintShown = hint && getComputedStyle(hint).display !== "none" && hint.getBoundingClientRect().width > 0;
    const missing = [];
    if (!el.classList.contains("course-scroll") || !frame?.classList.contains("more-right")) missing.push("no shaded edge");
    if (!hintShown) missing.push("no \"scroll\" sign");
    if (el.tabIndex !== 0) missing.push("no keyboard focus");
    if (missing.length) problems.push(`${kind} scrolls ${over}px with ${missing.join(", ")}: ${short(el)}`);
    else scrolling += 1;
  }
  // Nothing else in the text is wider than the column.
  const inScroller = (el) => scrollers.some((s) => s !== el && s.contains(el));
  for (const el of main.querySelectorAll("p, li, h1, h2, h3, h4, figure, figcaption, blockquote, details, img, svg, table, .listing-caption, .block-label")) {
    if (hidden(el) || inScroller(el) || el.closest("svg") !== el && el.closest("svg")) continue;
    measured += 1;
    const box = el.getBoundingClientRect();
    if (box.right > column.right + 1) {
      problems.push(`<${el.tagName.toLowerCase()}> is ${Math.round(box.right - column.right)}px wider than the column: ${short(el)}`);
    }
  }
  const pageOverflow = document.documentElement.scrollWidth - window.innerWidth;
  if (pageOverflow > 1) problems.push(`the page scrolls sideways by ${pageOverflow}px`);

  // Diagram text, at the size it is drawn.
  let smallest = Infinity, texts = 0;
  for (const svg of main.querySelectorAll("svg.diagram")) {
    if (hidden(svg)) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      texts += 1;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      smallest = Math.min(smallest, size);
      if (size < minText) problems.push(`diagram text drawn at ${size.toFixed(1)}px: "${t.textContent.trim().slice(0, 40)}"`);
    }
  }

  // Play buttons: shown without a hover where there is no hover, and never
  // over the code.
  const noHover = matchMedia("(hover: none)").matches;
  for (const buttons of main.querySelectorAll("pre > .buttons")) {
    if (hidden(buttons) || !buttons.querySelector(".play-button")) continue;
    const style = getComputedStyle(buttons);
    const code = buttons.parentElement.querySelector(":scope > code:not(.result)");
    if (noHover && (style.visibility !== "visible" || Number(style.opacity) < 1)) {
      problems.push(`the play button is hidden until a hover, on a screen without hover: ${short(code)}`);
    }
    if (noHover && code) {
      const top = code.getBoundingClientRect().top + parseFloat(getComputedStyle(code).paddingTop);
      if (buttons.getBoundingClientRect().bottom > top + 1) problems.push(`the buttons cover the code: ${short(code)}`);
    }
  }
  return { problems, measured, scrolling, wrappedErrors, texts, smallest };
}

// A started quiz (mdbook-quiz draws it): its programs fit, or scroll with
// a sign and keyboard focus.
function measureQuiz() {
  const problems = [];
  let measured = 0;
  const column = document.querySelector("#mdbook-content main").getBoundingClientRect();
  for (const el of document.querySelectorAll(".mdbook-quiz pre, .mdbook-quiz table, .mdbook-quiz")) {
    measured += 1;
    const text = el.textContent.trim().replace(/\s+/g, " ").slice(0, 50);
    if (el.getBoundingClientRect().right > column.right + 1) problems.push(`the quiz sticks out of the column: ${text}`);
    const over = el.scrollWidth - el.clientWidth;
    if (over <= 1 || el.matches(".mdbook-quiz")) continue;
    const sign = getComputedStyle(el, "::after").content;
    if (!["auto", "scroll"].includes(getComputedStyle(el).overflowX)) {
      problems.push(`quiz code cut off: ${over}px hidden: ${text}`);
    } else if (!el.classList.contains("course-scroll") || el.tabIndex !== 0 || ["none", "normal"].includes(sign)) {
      problems.push(`quiz code scrolls ${over}px with no sign or no keyboard focus: ${text}`);
    }
  }
  return { problems, measured };
}

// Contrast of every diagram's text (4.5:1) and drawn parts (3:1), each
// against what it is drawn on: the shape behind it, or the page. And no line
// crosses a label.
function diagramColours() {
  const parse = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
  const opaque = (c) => c.length === 3 || (c.length === 4 && c[3] > 0);
  const pageBackdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (opaque(c)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const SHAPES = "rect, polygon, path, line, circle, ellipse, polyline";
  const out = [];
  for (const svg of document.querySelectorAll("#mdbook-content main svg.diagram")) {
    const page = pageBackdrop(svg);
    const filled = []; // rects drawn so far, with their fill
    const inside = (r, b) => b.x + b.width / 2 >= r.x && b.x + b.width / 2 <= r.x + r.width &&
      b.y + b.height / 2 >= r.y && b.y + b.height / 2 <= r.y + r.height;
    const behind = (b) => {
      for (let i = filled.length - 1; i >= 0; i--) if (inside(filled[i].box, b)) return filled[i].fill;
      return page;
    };
    const lines = [];
    let order = 0;
    for (const el of svg.querySelectorAll(`${SHAPES}, text`)) {
      if (el.closest("defs, marker, title, desc")) continue;
      const style = getComputedStyle(el);
      const box = el.getBBox();
      // A line is long and crosses other shapes: it is seen against the page.
      const back = el.tagName === "line" ? page : behind(box);
      if (el.tagName === "text") {
        out.push({ kind: "text", fg: parse(style.fill).slice(0, 3), bg: back, what: el.textContent.trim(), box: { x: box.x, y: box.y, width: box.width, height: box.height } });
        continue;
      }
      const fill = style.fill !== "none" && Number(style.fillOpacity) > 0 ? parse(style.fill) : null;
      const stroke = style.stroke !== "none" && parseFloat(style.strokeWidth) > 0 ? parse(style.stroke) : null;
      if (!fill && !stroke) continue;
      out.push({ kind: "shape", fill: fill?.slice(0, 3), stroke: stroke?.slice(0, 3), bg: back,
        what: `<${el.tagName} class="${el.getAttribute("class") ?? ""}">` });
      order += 1;
      if (el.tagName === "rect" && fill && opaque(fill)) filled.push({ box, fill: fill.slice(0, 3), order });
      // A red strike-through (.bad-line) crosses out a label on purpose.
      if (el.classList.contains("bad-line")) continue;
      // The straight segments a label must not sit on.
      let points = null;
      if (el.tagName === "line") {
        points = [[el.x1.baseVal.value, el.y1.baseVal.value], [el.x2.baseVal.value, el.y2.baseVal.value]];
      } else if (el.tagName === "polyline") {
        points = Array.from(el.points).map((p) => [p.x, p.y]);
      } else if (el.tagName === "path" && /^[\sML\d.,-]+$/.test(el.getAttribute("d") ?? "")) {
        const n = (el.getAttribute("d").match(/-?[\d.]+/g) ?? []).map(Number);
        points = [];
        for (let i = 0; i + 1 < n.length; i += 2) points.push([n[i], n[i + 1]]);
      }
      for (let i = 0; points && i + 1 < points.length; i++) {
        lines.push({ x1: points[i][0], y1: points[i][1], x2: points[i + 1][0], y2: points[i + 1][1], order });
      }
    }
    for (const t of out.filter((o) => o.kind === "text" && o.box)) {
      const b = t.box;
      for (const l of lines) {
        // Sample the segment: does it pass through the label's box (less a pixel)?
        for (let s = 0; s <= 1; s += 0.02) {
          const x = l.x1 + (l.x2 - l.x1) * s, y = l.y1 + (l.y2 - l.y1) * s;
          const covered = filled.some((f) => f.order > l.order && x >= f.box.x && x <= f.box.x + f.box.width &&
            y >= f.box.y && y <= f.box.y + f.box.height);
          if (!covered && x > b.x + 1 && x < b.x + b.width - 1 && y > b.y + 2 && y < b.y + b.height - 2) {
            t.crossed = true;
            break;
          }
        }
      }
      delete t.box;
    }
  }
  return out;
}

// The outline a focused element shows.
function focusRing() {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const parse = (s) => (s.match(/[\d.]+/g) ?? []).map(Number);
  let bg = [255, 255, 255];
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
  }
  return { tag: el.tagName, cls: el.className, text: (el.textContent ?? "").trim().slice(0, 40),
    width: parseFloat(style.outlineWidth), styleName: style.outlineStyle, colour: parse(style.outlineColor).slice(0, 3), bg,
    top: el.getBoundingClientRect().top };
}

// ---- the run ----------------------------------------------------------------

const pages = readSummary(summaryPath);
const chapters = pages.filter((p) => p.numbered && p.depth === 0 && p.part === null);
const solutionsPart = pages.filter((p) => p.part !== null && /solution/i.test(p.part));
const solutionPages = solutionsPart.filter((p) => p.depth > 0);
const quizPages = pages.filter((p) => /-quiz\.html$/.test(p.path));
const exercisePages = pages.filter((p) => /\/ex-[^/]+\.html$/.test(p.path));

const server = await serve(htmlRoot);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_FLAGS,
});
const desktopOptions = { viewport: WIDTHS.desktop };
const phoneOptions = { viewport: WIDTHS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };

const offHost = [];
const failedRequests = [];
const consoleErrors = [];
let requests = 0;
let watching = true;
function watch(context) {
  context.on("request", (req) => {
    if (!watching) return;
    requests += 1;
    const url = new URL(req.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:") {
      offHost.push(`${req.url()} (from ${req.frame()?.url() ?? "?"})`);
    }
  });
  context.on("requestfailed", (req) => { if (watching) failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`); });
  context.on("response", (res) => { if (watching && res.status() >= 400) failedRequests.push(`${res.url()}: HTTP ${res.status()}`); });
  context.on("page", (page) => {
    page.on("console", (msg) => { if (msg.type() === "error") consoleErrors.push(`${page.url()}: ${msg.text()}`); });
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  });
}
async function newContext(options) {
  const context = await browser.newContext(options);
  watch(context);
  return context;
}

async function visit(page, url) {
  const response = await page.goto(url.startsWith("http") ? url : base + url, { waitUntil: "load" });
  // theme/course.js measures boxes on the next animation frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return response?.status() ?? 0;
}
async function setTheme(page, theme) {
  await page.evaluate((t) => document.getElementById(`mdbook-theme-${t}`).click(), theme);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// Screenshots: for each chapter, its first page with a diagram (or its first
// page), at both widths; and the first quiz and the first page with a
// compiler error.
const screenshotPages = new Set();
const htmlOf = (rel) => fs.readFileSync(path.join(htmlRoot, rel), "utf8");
for (const c of chapters) {
  const own = pages.filter((p) => p.chapter === c && p.part === null);
  const shown = own.find((p) => htmlOf(p.path).includes('class="diagram"')) ?? c;
  screenshotPages.add(shown.path);
}
for (const p of pages) if (htmlOf(p.path).includes('class="rustc-output"')) { screenshotPages.add(p.path); break; }
if (quizPages.length) screenshotPages.add(quizPages[0].path);
const shotName = (rel, width) => `${rel.replace(/\.html$/, "").replace(/\//g, "-")}-${width}.png`;

// 1. Every page, at both widths and in three themes. (BROWSER_TEST_PAGES, a
// regular expression, limits this to some pages, to try a change quickly.)
const only = process.env.BROWSER_TEST_PAGES ? new RegExp(process.env.BROWSER_TEST_PAGES) : null;
const visited = [...pages.map((p) => p.path), "print.html"].filter((p) => !only || only.test(p));
const idsByPage = new Map();
const linksToCheck = [];
const nextOf = new Map();
const numberLinks = [];
const pageProblems = [], imageProblems = [], headingProblems = [], playProblems = [], diagramProblems = [],
  markProblems = [], layout = { desktop: [], phone: [] }, axeProblems = [], colourProblems = [];
const axeCounts = {};
const measured = { desktop: 0, phone: 0 };
const scrolling = { desktop: 0, phone: 0 };
const smallestText = { desktop: Infinity, phone: Infinity };
let diagrams = 0, codeBlocks = 0, runnable = 0, wrappedErrors = 0, diagramParts = 0, errorBlocks = 0,
  listingsNamed = 0, listingsMarked = 0, axeRuns = 0;

async function checkOnePage(desktop, phone, rel, first) {
  const status = await visit(desktop, rel);
  if (status !== 200) pageProblems.push(`${rel}: HTTP ${status}`);
  const info = await desktop.evaluate(() => {
    const main = document.querySelector("#mdbook-content main") ?? document.body;
    const brokenImages = Array.from(document.images)
      .filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src);
    const ids = Array.from(document.querySelectorAll("[id]")).map((e) => e.id);
    const links = Array.from(document.querySelectorAll("a[href]")).map((a) => a.href);
    const numbered = Array.from(main.querySelectorAll("a[href]"))
      .filter((a) => /^\d+(\.\d+)+$/.test(a.textContent.trim()))
      .map((a) => ({ text: a.textContent.trim(), href: a.href }));
    const headings = Array.from(main.querySelectorAll("h1, h2, h3, h4, h5, h6"))
      .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim() }));
    const blocks = Array.from(main.querySelectorAll("pre > code:not(.result)"))
      .filter((code) => !code.closest(".quiz-print"))
      .map((code) => {
        const pre = code.parentElement;
        const cls = code.classList;
        const listing = pre.parentElement.closest(".listing");
        const mark = listing?.querySelector(":scope > .listing-caption .listing-mark");
        const file = listing?.querySelector(":scope > .listing-caption .listing-file");
        const label = pre.parentElement.matches(".rustc-output") ? pre.parentElement.querySelector(":scope > .rustc-label") : null;
        const seen = (el) => el !== null && el !== undefined && el.getClientRects().length > 0 &&
          getComputedStyle(el).visibility === "visible" && el.textContent.trim().length > 0;
        return {
          lang: Array.from(cls).find((c) => c.startsWith("language-")) ?? "none",
          classes: Array.from(cls),
          hasPlay: pre.querySelector(".play-button") !== null,
          firstLine: code.textContent.split("\n")[0].slice(0, 60),
          isError: /^error(\[E\d+\])?:/.test(code.textContent.trim()),
          errorLabelled: seen(label) && /rustc \d+\.\d+ says/.test(label.textContent),
          marked: seen(mark) ? mark.textContent.trim() : null,
          file: seen(file) ? file.textContent.replace(/^Filename:\s*/, "").trim() : null,
          dataFile: listing?.dataset.file ?? null,
        };
      });
    const svgs = Array.from(main.querySelectorAll("svg.diagram")).map((svg) => {
      const ids = (svg.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
      const labels = ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? "");
      return { role: svg.getAttribute("role"), ids, labels };
    });
    const next = document.querySelector(".nav-chapters.next")?.href ?? null;
    return { brokenImages, ids, links, numbered, headings, blocks, svgs, next };
  });
  idsByPage.set(rel, new Set(info.ids));
  for (const src of info.brokenImages) imageProblems.push(`${rel}: ${src}`);
  for (const href of info.links) linksToCheck.push({ from: rel, href });
  if (rel === "print.html") return;
  nextOf.set(rel, info.next ? decodeURIComponent(new URL(info.next).pathname.slice(1)) : null);
  for (const n of info.numbered) numberLinks.push({ from: rel, ...n });

  let previous = 0;
  info.headings.forEach((h, i) => {
    if (i === 0 && h.level !== 1) headingProblems.push(`${rel}: starts with h${h.level} "${h.text}"`);
    if (i > 0 && h.level === 1) headingProblems.push(`${rel}: a second h1 "${h.text}"`);
    if (previous && h.level > previous + 1) headingProblems.push(`${rel}: h${previous} then h${h.level} "${h.text}"`);
    previous = h.level;
  });
  for (const b of info.blocks) {
    codeBlocks += 1;
    const shouldRun = b.lang === "language-rust" &&
      !b.classes.some((c) => ["ignore", "noplayground", "noplaypen", "compile_fail"].includes(c));
    if (shouldRun) runnable += 1;
    if (shouldRun !== b.hasPlay) {
      playProblems.push(`${rel}: ${b.lang} ${b.classes.filter((c) => !c.startsWith("language-") && !c.startsWith("hljs") && !c.startsWith("edition")).join(",")} ` +
        `${b.hasPlay ? "shows" : "lacks"} the play button: ${b.firstLine}`);
    }
    if (b.isError) {
      errorBlocks += 1;
      if (!b.errorLabelled) markProblems.push(`${rel}: a compiler error without its "rustc ... says" label: ${b.firstLine}`);
    }
    if (b.lang === "language-rust" && b.classes.includes("compile_fail")) {
      if (!b.marked || !/does not compile/i.test(b.marked)) markProblems.push(`${rel}: a listing that does not compile, unmarked: ${b.firstLine}`);
    }
    if (b.lang === "language-rust" && b.classes.includes("panics")) {
      if (!b.marked || !/panics/i.test(b.marked)) markProblems.push(`${rel}: a listing that panics, unmarked: ${b.firstLine}`);
    }
    if (b.marked) listingsMarked += 1;
    if (b.dataFile) {
      if (b.file !== b.dataFile) markProblems.push(`${rel}: the listing of ${b.dataFile} does not show its file name`);
      else listingsNamed += 1;
    }
  }
  for (const d of info.svgs) {
    diagrams += 1;
    if (d.role !== "img" || d.ids.length === 0 || d.labels.some((l) => l.length < 10)) {
      diagramProblems.push(`${rel}: a diagram without role="img" and a title and description`);
    }
  }

  // The layout at 1280 px.
  const wide = await desktop.evaluate(measurePage, MIN_DIAGRAM_TEXT);
  measured.desktop += wide.measured;
  scrolling.desktop += wide.scrolling;
  wrappedErrors += wide.wrappedErrors;
  if (wide.texts) smallestText.desktop = Math.min(smallestText.desktop, wide.smallest);
  for (const p of wide.problems) layout.desktop.push(`${rel}: ${p}`);

  // Themes: axe-core, and the diagrams' colours.
  const hasDiagram = info.svgs.length > 0;
  await desktop.addScriptTag({ content: AXE_SOURCE });
  for (const theme of THEMES) {
    await setTheme(desktop, theme);
    const full = AXE_THEMES.includes(theme);
    // The sidebar is the same on every page: axe looks at it on the first.
    const found = await desktop.evaluate(async ({ full, first }) => {
      const context = first ? document : { exclude: [["#mdbook-sidebar"]] };
      const options = { resultTypes: ["violations"] };
      if (!full) options.runOnly = ["color-contrast", "link-in-text-block"];
      const result = await window.axe.run(context, options);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(" ")}${n.any?.[0]?.message ? ": " + n.any[0].message : ""}`) }));
    }, { full, first });
    axeRuns += 1;
    for (const v of found) {
      const key = `${v.impact} ${v.id}`;
      axeCounts[key] = (axeCounts[key] ?? 0) + v.nodes.length;
      if (v.impact === "serious" || v.impact === "critical") {
        for (const n of v.nodes) axeProblems.push(`${rel} (${theme}): ${v.impact} ${v.id}: ${n.slice(0, 220)}`);
      }
    }
    if (hasDiagram) {
      for (const c of await desktop.evaluate(diagramColours)) {
        diagramParts += 1;
        if (c.kind === "text") {
          const ratio = contrast(c.fg, c.bg);
          if (!(ratio >= 4.5)) colourProblems.push(`${rel} (${theme}): text "${c.what}" has contrast ${ratio.toFixed(2)}`);
          if (c.crossed && theme === "light") colourProblems.push(`${rel}: a line runs through the label "${c.what}"`);
        } else {
          const ratio = Math.max(c.fill ? contrast(c.fill, c.bg) : 0, c.stroke ? contrast(c.stroke, c.bg) : 0);
          if (!(ratio >= 3)) colourProblems.push(`${rel} (${theme}): ${c.what} has contrast ${ratio.toFixed(2)} (3:1 needed)`);
        }
      }
    }
  }
  await setTheme(desktop, "light");
  if (screenshotPages.has(rel)) {
    await desktop.screenshot({ path: path.join(outDir, shotName(rel, 1280)), fullPage: true });
  }

  // The layout at 390 px, as a phone shows it.
  await visit(phone, rel);
  const narrow = await phone.evaluate(measurePage, MIN_DIAGRAM_TEXT);
  measured.phone += narrow.measured;
  scrolling.phone += narrow.scrolling;
  if (narrow.texts) smallestText.phone = Math.min(smallestText.phone, narrow.smallest);
  for (const p of narrow.problems) layout.phone.push(`${rel}: ${p}`);

  // A quiz, once started, at both widths.
  for (const [width, view] of [["desktop", desktop], ["phone", phone]]) {
    const start = view.getByRole("button", { name: "Start" });
    if (!(await view.locator(".quiz-placeholder").count()) || !(await start.count())) continue;
    await start.first().click();
    await view.waitForSelector(".mdbook-quiz .question", { timeout: 5000 }).catch(() => {});
    await view.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const quiz = await view.evaluate(measureQuiz);
    measured[width] += quiz.measured;
    if (quiz.measured === 0) layout[width].push(`${rel}: the quiz did not start`);
    for (const p of quiz.problems) layout[width].push(`${rel} (quiz started): ${p}`);
  }
  if (screenshotPages.has(rel)) {
    await phone.screenshot({ path: path.join(outDir, shotName(rel, 390)), fullPage: true });
  }
}

{
  const queue = [...visited];
  const workers = [];
  for (let w = 0; w < WORKERS; w++) {
    workers.push((async () => {
      const desktop = await (await newContext(desktopOptions)).newPage();
      const phone = await (await newContext(phoneOptions)).newPage();
      while (queue.length) {
        const rel = queue.shift();
        try {
          await checkOnePage(desktop, phone, rel, rel === visited[0]);
        } catch (e) {
          pageProblems.push(`${rel}: ${e.message.split("\n")[0]}`);
        }
      }
      await desktop.context().close();
      await phone.context().close();
    })());
  }
  await Promise.all(workers);
}
report("every page loads", pageProblems, `${visited.length} pages (SUMMARY and print.html)`);
report("no console errors", consoleErrors, "none");
report("no broken images", imageProblems, "none");

const context = await newContext(desktopOptions);
const page = await context.newPage();

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

// A link that reads as a section number, "(3.2)", leads to that section.
const numberProblems = [];
const pageByNumber = new Map(pages.filter((p) => p.number).map((p) => [p.number, p.path]));
for (const { from, text, href } of numberLinks) {
  const target = decodeURIComponent(new URL(href).pathname.slice(1));
  if (pageByNumber.get(text) !== target) {
    numberProblems.push(`${from}: "${text}" links to ${target}, but ${text} is ${pageByNumber.get(text) ?? "no section"}`);
  }
}
report("section-number links lead to that section", numberProblems, `${numberLinks.length} links such as "(3.2)"`);

// 3. The sidebar lists every page.
await visit(page, "index.html");
const sidebar = await page.evaluate(() =>
  Array.from(document.querySelectorAll("mdbook-sidebar-scrollbox a")).map((a) => a.textContent.trim()));
const missing = pages.filter((p) => !sidebar.some((text) => text.endsWith(p.title)));
report("the sidebar lists every page", missing.map((p) => `missing: ${p.title}`),
  `${pages.length} entries, ${chapters.length} chapters`);

// 4. Search finds the right chapters, and never a solution or a quiz answer.
const searchProblems = [], spoilerProblems = [];
let searches = 0;
const isSolution = (href) => solutionPages.some((p) => href.split("#")[0].endsWith(p.path));
async function search(query) {
  await visit(page, "index.html");
  await page.click("#mdbook-search-toggle");
  // Typed key by key: mdBook searches on keyup.
  await page.locator("#mdbook-searchbar").pressSequentially(query);
  await page.waitForSelector("#mdbook-searchresults li a", { timeout: 5000 }).catch(() => {});
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("#mdbook-searchresults li a")).map((a) => a.getAttribute("href")));
}
for (const { query, chapter } of SEARCHES) {
  searches += 1;
  const folder = chapters[chapter - 1]?.path.replace(/[^/]*$/, "");
  const hits = await search(query);
  if (!folder || !hits.some((h) => h.startsWith(folder))) {
    searchProblems.push(`"${query}": ${hits.length} hits, none in ${folder}: ${hits.slice(0, 5).join(", ")}`);
  }
}
report("search finds the right chapters", searchProblems, `${SEARCHES.length} searches`);
const indexFile = fs.readdirSync(htmlRoot).find((f) => /^searchindex.*\.js$/.test(f));
const sandbox = { window: { search: {} } };
vm.runInNewContext(fs.readFileSync(path.join(htmlRoot, indexFile), "utf8"), sandbox);
const indexed = new Set(sandbox.window.search.doc_urls.map((u) => u.split("#")[0]));
for (const p of [...solutionPages, ...quizPages]) {
  if (indexed.has(p.path)) spoilerProblems.push(`${p.path} is in the search index (book.toml: [output.html.search.chapter])`);
}
for (const query of SPOILER_SEARCHES) {
  searches += 1;
  for (const hit of (await search(query)).filter(isSolution)) spoilerProblems.push(`"${query}" finds the solution ${hit}`);
}
if (solutionPages.length === 0) spoilerProblems.push("SUMMARY.md has no Solutions part");
report("search shows no solution or quiz answer", spoilerProblems,
  `${solutionPages.length} solution and ${quizPages.length} quiz pages out of the index; ${SPOILER_SEARCHES.length} searches`);

// 5. Solutions are a part of their own, at the end, never the next page after an exercise.
const solutionProblems = [];
const lastPart = pages.at(-1)?.part;
for (const p of pages.filter((p) => /\/solutions\.html$/.test(p.path))) {
  if (!solutionPages.includes(p) || p.part !== lastPart) solutionProblems.push(`${p.path} is not in the Solutions part at the end`);
}
for (const [from, next] of nextOf) {
  const fromSolutions = solutionsPart.some((s) => s.path === from);
  if (next && solutionPages.some((s) => s.path === next) && !fromSolutions) {
    solutionProblems.push(`→ on ${from} opens the solution ${next}`);
  }
}
for (const p of exercisePages) {
  await visit(page, p.path);
  const before = page.url();
  await page.keyboard.press("ArrowRight");
  await page.waitForURL((url) => url.href !== before, { waitUntil: "load", timeout: 5000 }).catch(() => {});
  const now = decodeURIComponent(new URL(page.url()).pathname.slice(1));
  if (solutionPages.some((s) => s.path === now)) solutionProblems.push(`→ on ${p.path} opens ${now}`);
}
report("solutions are not one key press away", solutionProblems,
  `→ pressed on ${exercisePages.length} exercise pages; ${nextOf.size} next links`);

// 6. Play buttons on runnable Rust blocks only; compiler errors and listings marked.
report("play buttons only on runnable Rust", playProblems, `${runnable} runnable of ${codeBlocks} code blocks`);
report("errors labelled, listings named and marked", markProblems,
  `${errorBlocks} compiler errors labelled; ${listingsNamed} listings name their file; ${listingsMarked} marked`);

// 7. Hints open on click, and print open.
const hintProblems = [];
let hints = 0;
for (const p of exercisePages) {
  await visit(page, p.path);
  const count = await page.locator("details").count();
  if (count === 0) { hintProblems.push(`${p.path}: no hints`); continue; }
  hints += count;
  const details = page.locator("details").first();
  const before = await details.evaluate((d) => d.open);
  await details.locator("summary").click();
  const after = await details.evaluate((d) => d.open);
  if (before || !after) hintProblems.push(`${p.path}: the first hint did not open on click`);
}
report("hints open on click", hintProblems, `${exercisePages.length} exercise pages, ${hints} hints`);

const printProblems = [];
let printedHints = 0;
await page.emulateMedia({ media: "print" });
for (const p of exercisePages) {
  await visit(page, p.path);
  const shown = await page.evaluate(() => Array.from(document.querySelectorAll("#mdbook-content main details")).map((d) => {
    const body = Array.from(d.children).filter((c) => c.tagName !== "SUMMARY");
    return { open: d.open, visible: body.some((c) => c.getClientRects().length > 0 && c.getBoundingClientRect().height > 0 && c.innerText.trim().length > 0) };
  }));
  shown.forEach((h, i) => {
    if (h.open) printProblems.push(`${p.path}: hint ${i + 1} was open before printing`);
    else if (!h.visible) printProblems.push(`${p.path}: hint ${i + 1} prints without its text`);
    else printedHints += 1;
  });
}
let printedQuestions = 0;
for (const p of quizPages) {
  await visit(page, p.path);
  const q = await page.evaluate(() => {
    const data = document.querySelector(".quiz-placeholder")?.dataset.quizQuestions;
    const count = data ? JSON.parse(data).questions.length : null;
    const printed = document.querySelector(".quiz-print");
    const seen = (el) => el && el.getClientRects().length > 0 && el.innerText.trim().length > 0;
    return {
      count,
      visible: seen(printed),
      questions: document.querySelectorAll(".quiz-print-questions > li").length,
      answers: document.querySelectorAll(".quiz-print-answers > ol > li").length,
      answersShown: seen(document.querySelector(".quiz-print-answers")),
      widgetShown: Array.from(document.querySelectorAll(".quiz-placeholder")).some((e) => e.getClientRects().length > 0),
    };
  });
  if (!q.visible) printProblems.push(`${p.path}: the quiz prints nothing`);
  if (q.count !== null && q.questions !== q.count) printProblems.push(`${p.path}: ${q.questions} of ${q.count} questions print`);
  if (q.answers !== q.questions || !q.answersShown) printProblems.push(`${p.path}: ${q.answers} answers print for ${q.questions} questions`);
  if (q.widgetShown) printProblems.push(`${p.path}: the interactive quiz prints too`);
  printedQuestions += q.questions;
}
await visit(page, "print.html");
const printTitles = await page.evaluate(() =>
  Array.from(document.querySelectorAll("h1")).map((h) => h.textContent.trim()));
for (const c of chapters) if (!printTitles.includes(c.title)) printProblems.push(`print.html: missing the chapter ${c.title}`);
await page.emulateMedia({ media: "screen" });
for (const p of quizPages.slice(0, 1)) {
  await visit(page, p.path);
  if (await page.evaluate(() => Array.from(document.querySelectorAll(".quiz-print")).some((e) => e.getClientRects().length > 0))) {
    printProblems.push(`${p.path}: the printed quiz shows on screen`);
  }
}
report("print shows hints, quizzes and every chapter", printProblems,
  `${printedHints} hints; ${printedQuestions} questions and answers on ${quizPages.length} quiz pages; ${chapters.length} chapters`);

// 8. Layout at both widths.
report("nothing cut off at 1280 px", layout.desktop,
  `${measured.desktop} elements measured; ${scrolling.desktop} boxes scroll with a sign; ${wrappedErrors} compiler errors wrap; diagram text >= ${smallestText.desktop.toFixed(1)}px`);
report("nothing cut off at 390 px", layout.phone,
  `${measured.phone} elements measured; ${scrolling.phone} boxes scroll with a sign; diagram text >= ${smallestText.phone.toFixed(1)}px`);

// 9. Accessibility.
report("headings nest properly", headingProblems, "h1, then no level skipped");
report("diagrams have a title and description", diagramProblems, `${diagrams} diagrams`);
report("diagram colours: text 4.5:1, shapes 3:1", colourProblems,
  `${diagramParts} texts and shapes checked in ${THEMES.join(", ")}`);
const axeSummary = Object.entries(axeCounts).map(([k, n]) => `${n} ${k}`).join(", ") || "no violations";
report("axe-core: no serious or critical violation", axeProblems,
  `${axeRuns} runs (${AXE_THEMES.join(", ")}: all rules; ayu: contrast); ${axeSummary}`);

const keyboardProblems = [];
await visit(page, exercisePages[0]?.path ?? "index.html");
await page.keyboard.press("Tab");
const skip = await page.evaluate(focusRing);
if (!/skip-link/.test(skip.cls) || !/skip to content/i.test(skip.text)) {
  keyboardProblems.push(`the first Tab focuses <${skip.tag} class="${skip.cls}"> "${skip.text}", not a skip link`);
} else if (skip.top < 0) {
  keyboardProblems.push("the focused skip link is off the screen");
}
await page.keyboard.press("Enter");
const afterSkip = await page.evaluate(() => document.activeElement.closest("#mdbook-content") !== null);
if (!afterSkip) keyboardProblems.push("the skip link does not move focus to the content");
await page.keyboard.press("Tab");
const ring = await page.evaluate(focusRing);
if (!ring.text && ring.tag === "BODY") keyboardProblems.push("Tab after the skip link focuses nothing");
for (const r of [skip, ring]) {
  const ratio = contrast(r.colour, r.bg);
  if (r.styleName === "none" || r.width < 2 || ratio < 3) {
    keyboardProblems.push(`the focus ring of <${r.tag}> "${r.text}" is ${r.width}px ${r.styleName}, contrast ${ratio.toFixed(2)} (2px and 3:1 needed)`);
  }
}
const titleProblems = [];
for (const p of quizPages) {
  await visit(page, p.path);
  const { title, h1 } = await page.evaluate(() => ({ title: document.title, h1: document.querySelector("main h1")?.textContent.trim() }));
  if (!title.includes(p.chapter.title) || !h1?.includes(p.chapter.title)) {
    titleProblems.push(`${p.path}: title "${title}", heading "${h1}": neither names the chapter "${p.chapter.title}"`);
  }
}
report("keyboard: skip link, visible focus", keyboardProblems,
  `skip link first; focus ring ${ring.width}px; scrolling boxes focusable (see layout)`);
report("quiz pages name their chapter", titleProblems, `${quizPages.length} quiz pages`);

// 10. The local book names no repository.
const localProblems = [];
await visit(page, "introduction.html");
const local = await page.evaluate(() => ({
  clone: Array.from(document.querySelectorAll("main code")).map((c) => c.textContent).find((t) => t.includes("git clone")) ?? "",
  repository: document.querySelector('#mdbook-menu-bar a[title="Git repository"]') !== null,
}));
if (!local.clone.includes("<this repository>")) localProblems.push(`the local book's clone command is "${local.clone.trim()}"`);
if (local.repository) localProblems.push("the local book links to a repository");
report("the local book stays local", localProblems, "clone command says <this repository>");

report("no failed requests", failedRequests, "none");
report("no request leaves localhost", offHost, `0 of ${requests} requests`);
watching = false;

// 11. A play-button run without the Playground explains itself.
const playgroundProblems = [];
let playgroundPage = null;
for (const p of pages) {
  if (/class="listing"[^>]*data-file="[^"]*\.rs"/.test(htmlOf(p.path)) && htmlOf(p.path).includes("language-rust")) {
    playgroundPage = p.path;
    await visit(page, p.path);
    if (await page.locator(".listing[data-file] pre .play-button").count()) break;
  }
}
if (playgroundPage) {
  await page.route("https://play.rust-lang.org/**", (route) => route.abort("internetdisconnected"));
  const button = page.locator(".listing[data-file] pre .play-button").first();
  const file = await button.evaluate((b) => b.closest(".listing").dataset.file);
  await button.evaluate((b) => b.click());
  const result = page.locator(".listing[data-file] pre .result").first();
  await page.waitForSelector(".result.playground-failed", { timeout: 10000 }).catch(() => {});
  const text = (await result.textContent().catch(() => "")) ?? "";
  if (!/could not be reached/.test(text)) playgroundProblems.push(`${playgroundPage}: the result says "${text.slice(0, 80)}"`);
  if (!text.includes(file) || !/rustc --edition/.test(text)) playgroundProblems.push(`${playgroundPage}: the message does not say how to run ${file} locally`);
  await page.unroute("https://play.rust-lang.org/**");
} else {
  playgroundProblems.push("no page with a runnable listing from a file");
}
report("a failed Playground run explains itself", playgroundProblems, playgroundPage ? `on ${playgroundPage}` : "");

// 12. The published book: served under /<name>/ as GitHub Pages does.
let published = null;
if (publishedRoot && publishedRepository) {
  const [owner, name] = publishedRepository.split("/");
  const prefix = `/${name}/`;
  const pubServer = await serve(publishedRoot, prefix, "404.html");
  const pubBase = `http://127.0.0.1:${pubServer.address().port}${prefix}`;
  const repoUrl = `https://github.com/${owner}/${name}`;
  const problems = [];
  const pubContext = await browser.newContext(desktopOptions);
  const pub = await pubContext.newPage();
  const failed = [];
  pubContext.on("requestfailed", (req) => failed.push(`${req.url()}: ${req.failure()?.errorText}`));
  pubContext.on("response", (res) => { if (res.status() >= 400 && !res.url().includes("no-such-page")) failed.push(`${res.url()}: HTTP ${res.status()}`); });
  const missingUrl = `${pubBase}chapter-1/no-such-page.html`;
  const status = await visit(pub, missingUrl);
  const notFound = await pub.evaluate(() => ({
    font: getComputedStyle(document.documentElement).fontFamily,
    sidebarLinks: Array.from(document.querySelectorAll("mdbook-sidebar-scrollbox a[href]")).map((a) => a.href),
    text: document.querySelector("main")?.textContent.trim().slice(0, 80) ?? "",
  }));
  if (status !== 404) problems.push(`404 page: HTTP ${status}`);
  if (!/Open Sans/.test(notFound.font)) problems.push(`404 page under ${prefix}: the book's CSS did not load`);
  for (const f of failed) problems.push(`404 page under ${prefix}: ${f}`);
  const firstLink = notFound.sidebarLinks.find((h) => h.startsWith(pubBase));
  if (!firstLink) problems.push(`404 page under ${prefix}: the table of contents does not link into ${prefix}`);
  else if ((await fetch(firstLink)).status !== 200) problems.push(`404 page: its link ${firstLink} is broken`);
  await visit(pub, `${pubBase}introduction.html`);
  const intro = await pub.evaluate(() => ({
    clone: Array.from(document.querySelectorAll("main code")).map((c) => c.textContent).find((t) => t.includes("git clone")) ?? "",
    repository: document.querySelector('#mdbook-menu-bar a[title="Git repository"]')?.href ?? null,
    edit: document.querySelector('#mdbook-menu-bar a[rel="edit"]')?.href ?? null,
    links: Array.from(document.querySelectorAll("main a[href]")).map((a) => a.href),
  }));
  if (!intro.clone.includes(`git clone ${repoUrl}`)) problems.push(`the clone command is "${intro.clone.trim()}"`);
  if (intro.repository !== repoUrl) problems.push(`the repository link is ${intro.repository}`);
  if (intro.edit !== `${repoUrl}/edit/main/src/introduction.md`) problems.push(`the edit link is ${intro.edit}`);
  if (!intro.links.includes(repoUrl)) problems.push("the introduction does not link to the repository");
  const zip = intro.links.find((h) => h.endsWith("exercises.zip"));
  if (!zip || (await fetch(zip)).status !== 200) problems.push(`the introduction's exercises.zip link (${zip}) is broken`);
  const withListing = pages.find((p) => /data-file="src\//.test(htmlOf(p.path)));
  if (withListing) {
    await visit(pub, pubBase + withListing.path);
    const link = await pub.evaluate(() => document.querySelector(".listing-file a")?.href ?? null);
    if (!link?.startsWith(`${repoUrl}/blob/`)) problems.push(`${withListing.path}: a listing's file name links to ${link}`);
  }
  await pubContext.close();
  pubServer.close();
  published = { repository: publishedRepository, prefix };
  report("the published book, under a sub-path", problems, `${pubBase}: 404 page, clone command, repository and edit links`);
}

await context.close();
await browser.close();
server.close();

const failed = results.filter((r) => !r.ok);
const summary = {
  pages: visited.length,
  widths: Object.values(WIDTHS).map((w) => w.width),
  themes: THEMES,
  chapters: chapters.length,
  searches,
  requests,
  requestsOffLocalhost: offHost.length,
  internalLinks: internal,
  diagrams,
  elementsMeasured: measured,
  boxesThatScroll: scrolling,
  smallestDiagramText: smallestText,
  axe: { runs: axeRuns, violations: axeCounts, seriousOrCritical: axeProblems.length },
  published,
  checks: results.length,
  failed: failed.length,
  screenshots: fs.readdirSync(outDir).filter((f) => f.endsWith(".png")),
};
fs.writeFileSync(path.join(outDir, "report.json"), JSON.stringify({ summary, results }, null, 2));
console.log(`browser-test: ${results.length - failed.length} passed, ${failed.length} failed; ` +
  `${summary.pages} pages at ${summary.widths.join(" and ")} px in ${THEMES.length} themes; ` +
  `${measured.desktop + measured.phone} elements measured; axe: ${axeProblems.length} serious or critical; ` +
  `requests off localhost: ${summary.requestsOffLocalhost}`);
process.exit(failed.length ? 1 : 0);
