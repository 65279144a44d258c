#!/usr/bin/env node
// Browser checks for the built site.
//
//   node run.mjs [SITE_DIR]
//
// Without SITE_DIR, builds the shipped site together with the pages in
// tests/fixtures/*/content (the page that uses every component) into a
// temporary folder with target/release/dossier, and checks that.
//
// Serves SITE_DIR on 127.0.0.1 (any free port) under the path of `base_url`
// in site.yaml, the way a host would, then for every .html file:
//   axe        axe-core, WCAG 2.0/2.1 A and AA, light colour scheme: 0 violations
//   axe-dark   the same with prefers-color-scheme: dark (original-language pages)
//   errors     no console errors, page errors, failed or third-party requests
//   no-js      with JavaScript disabled, <main> has text; no <script> in the page
//              apart from JSON-LD and, on the search page only, search.<hash>.js
//   narrow     at 320x640, document.documentElement.scrollWidth <= 320
//   structure  lang (the folder's language: fr/ is fr), one <h1>, one <main>, a unique <title>, a meta description
//   links      every internal href/src (and #fragment, and url(#id)) resolves
//   html       Nu Html Checker (vnu.jar) reports no errors
//   weight     the home page with everything it loads stays under 100 KB
//   search     on search/index.html, over HTTP and from file://: typed queries
//              ("jap", "Koréa", "keflavik") put the expected page first, with <mark>ed
//              words and a live status line; the header form on another page
//              lands there with ?q=; with JavaScript off the A-Z list names
//              every page of the search index (run when search-index.js exists)
// and takes screenshots into ./screenshots. Prints `N passed, M failed` last
// and exits 1 on any failure.
//
// Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH); never
// downloads a browser.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AXE_TAGS, SITE_PARTS, axeSource, here, launchBrowser, repoRoot, screenshotDir } from './lib.mjs';

const siteDir = process.argv[2] ? path.resolve(process.argv[2]) : buildWithFixtures();
const PARALLEL = Math.min(4, Math.max(2, os.availableParallelism()));
// Pages of a translation: under the language's folder (fr/…, de/…).
const TRANSLATED = /^(fr|de)\//;
const HOME_BUDGET = 100 * 1024; // bytes: the home page and all its assets
const SEARCH_PAGE = 'search/index.html';
// Typed into the search page: the page that must come first (site path).
const SEARCH_CASES = [
  { query: 'jap', first: 'partners/japan/' },
  { query: 'kore', first: 'partners/republic-of-korea/' },
  { query: 'Koréa', first: 'partners/republic-of-korea/' },
  // The text has the accents here: "Keflavík", "Bjørn".
  { query: 'keflavik', first: 'partners/iceland/' },
  { query: 'BJORN', first: 'partners/norway/' },
];

// ---------- the site to check ----------

// Without SITE_DIR: the shipped site plus the pages of tests/fixtures/*/content
// (e.g. the page that uses every component), built into a temporary folder
// with the release binary ($DOSSIER_BIN, else $CARGO_TARGET_DIR or target/).
function buildWithFixtures() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-browser-'));
  const root = path.join(tmp, 'site');
  for (const part of SITE_PARTS) {
    fs.cpSync(path.join(repoRoot, part), path.join(root, part), { recursive: true });
  }
  const fixtures = path.join(repoRoot, 'tests', 'fixtures');
  for (const name of fs.existsSync(fixtures) ? fs.readdirSync(fixtures).sort() : []) {
    const content = path.join(fixtures, name, 'content');
    if (fs.existsSync(content)) fs.cpSync(content, path.join(root, 'content'), { recursive: true });
  }
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target');
  const bin = process.env.DOSSIER_BIN ?? path.join(target, 'release', 'dossier');
  if (!fs.existsSync(bin)) {
    console.error(`No dossier binary at ${bin}: run cargo build --release (or set DOSSIER_BIN), or pass a built SITE_DIR`);
    process.exit(2);
  }
  const out = path.join(tmp, 'public');
  const built = spawnSync(bin, ['build', '--root', root, '--out', out], { encoding: 'utf8' });
  if (built.status !== 0) {
    console.error(`building the site with its fixtures failed:\n${built.stderr}`);
    process.exit(2);
  }
  return out;
}

// ---------- results ----------

const results = []; // { kind, page, ok, details: [] }
function record(kind, page, problems) {
  results.push({ kind, page, ok: problems.length === 0, details: problems });
}

// ---------- the site's files ----------

if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  console.error(`No built site at ${siteDir} (index.html missing). Build it first: cargo run --release -- build`);
  process.exit(2);
}

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}
const allFiles = walk(siteDir).sort();
const htmlFiles = allFiles.filter((f) => f.endsWith('.html'));
const rel = (f) => path.relative(siteDir, f).split(path.sep).join('/');

// The path the site is published under ("/dossier/"), from site.yaml's
// base_url; 404.html links are prefixed with it. Override with $BASE_PATH.
function basePath() {
  if (process.env.BASE_PATH) return ensureSlashes(process.env.BASE_PATH);
  try {
    const yaml = fs.readFileSync(path.join(repoRoot, 'site.yaml'), 'utf8');
    const m = yaml.match(/^base_url:\s*["']?([^"'\s#]+)/m);
    if (m) return ensureSlashes(new URL(m[1]).pathname);
  } catch {
    /* no site.yaml: serve at the root */
  }
  return '/';
}
function ensureSlashes(p) {
  return ('/' + p + '/').replace(/\/+/g, '/');
}
const BASE = basePath();

// ---------- static server ----------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function serve(req, res) {
  const send = (status, file) => {
    const body = fs.readFileSync(file);
    res.writeHead(status, {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const notFound = () => {
    const page404 = path.join(siteDir, '404.html');
    if (fs.existsSync(page404)) return send(404, page404);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    res.writeHead(400);
    return res.end();
  }
  if (!pathname.startsWith(BASE)) return notFound();
  const target = path.resolve(siteDir, '.' + path.posix.normalize('/' + pathname.slice(BASE.length)));
  if (target !== siteDir && !target.startsWith(siteDir + path.sep)) return notFound();
  let file = target;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    if (!pathname.endsWith('/')) {
      res.writeHead(301, { location: pathname + '/' });
      return res.end();
    }
    file = path.join(file, 'index.html');
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound();
  send(200, file);
}

const server = http.createServer(serve);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const urlOf = (file) => origin + BASE + rel(file);

// ---------- static link check ----------

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    const ids = new Set();
    for (const m of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) ids.add(decodeEntities(m[1]));
    idCache.set(file, ids);
  }
  return idCache.get(file);
}
function decodeEntities(s) {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function checkLinks(file) {
  const html = fs.readFileSync(file, 'utf8');
  const problems = [];
  const refs = [...html.matchAll(/\s(href|src|action|poster)="([^"]*)"/g)].map((m) => decodeEntities(m[2]));
  for (const ref of refs) {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(ref)) continue; // https:, mailto:, data:, //host
    const hashAt = ref.indexOf('#');
    const target = hashAt >= 0 ? ref.slice(0, hashAt) : ref;
    const fragment = hashAt >= 0 ? decodeURIComponent(ref.slice(hashAt + 1)) : '';
    let targetFile = file;
    if (target !== '') {
      let p = decodeURIComponent(target.split('?')[0]);
      if (p.startsWith('/')) {
        // Root-relative: only expected in 404.html, prefixed with the base path.
        if (!p.startsWith(BASE)) {
          problems.push(`${ref}: root-relative link outside the base path ${BASE}`);
          continue;
        }
        targetFile = path.join(siteDir, p.slice(BASE.length));
      } else {
        targetFile = path.resolve(path.dirname(file), p);
      }
      if (p.endsWith('/') || (fs.existsSync(targetFile) && fs.statSync(targetFile).isDirectory())) {
        targetFile = path.join(targetFile, 'index.html');
      }
      if (!targetFile.startsWith(siteDir + path.sep) || !fs.existsSync(targetFile)) {
        problems.push(`${ref}: no such file`);
        continue;
      }
    }
    if (fragment && targetFile.endsWith('.html') && !idsOf(targetFile).has(fragment)) {
      problems.push(`${ref}: no element with id "${fragment}" in ${rel(targetFile)}`);
    }
  }
  // SVG paint references (legend swatches use the map's patterns).
  for (const m of html.matchAll(/url\(#([^)]+)\)/g)) {
    if (!idsOf(file).has(m[1])) problems.push(`url(#${m[1]}): no element with that id in this page`);
  }
  return problems;
}

// ---------- Nu Html Checker ----------

function runVnu(files) {
  const jar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  return new Promise((resolve) => {
    const child = spawn('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ fatal: `cannot run java: ${e.message}` }));
    child.on('close', () => {
      try {
        resolve({ messages: JSON.parse(out).messages ?? [] });
      } catch {
        resolve({ fatal: `unreadable vnu output: ${out.slice(0, 500)}` });
      }
    });
  });
}

// ---------- browser checks ----------


async function runAxe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help}\n      at ${n.target.join(' ')}\n      ${n.failureSummary?.split('\n').join('\n      ') ?? ''}`),
  );
}

async function checkPage(browser, file) {
  const name = rel(file);
  const url = urlOf(file);

  // JS on, desktop size: console, requests, axe (light and dark), narrow.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const errors = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/')) return route.continue();
    errors.push(`third-party request blocked: ${u}`);
    return route.abort();
  });
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith(origin + '/')) return; // already reported as third-party
    errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  const bodies = [];
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    bodies.push(r.body().then((b) => [r.url(), b.length], () => [r.url(), 0]));
  });
  await page.goto(url, { waitUntil: 'load' });
  if (name === 'index.html') {
    const sizes = await Promise.all(bodies);
    const total = sizes.reduce((sum, [, n]) => sum + n, 0);
    const list = sizes.map(([u, n]) => `${u.slice(origin.length)} ${n} B`).join(', ');
    record('weight', name, total <= HOME_BUDGET ? [] : [`${total} bytes > ${HOME_BUDGET}: ${list}`]);
    weightNote = `home page weight: ${total} bytes (${list})`;
  }

  const structure = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    title: document.title.trim(),
    description: document.querySelector('meta[name="description"]')?.content.trim() ?? '',
  }));
  const problems = [];
  if (!structure.lang) problems.push('<html> has no lang');
  const inLanguage = name.match(TRANSLATED)?.[1] ?? 'en';
  if (structure.lang && structure.lang !== inLanguage) problems.push(`<html lang="${structure.lang}"> on a page under /${inLanguage}/`);
  if (structure.h1 !== 1) problems.push(`${structure.h1} <h1> elements (want exactly 1)`);
  if (structure.main !== 1) problems.push(`${structure.main} <main> elements (want exactly 1)`);
  if (!structure.title) problems.push('empty <title>');
  if (!structure.description) problems.push('no meta description');
  titles.push({ name, title: structure.title, problems });

  record('axe', name, await runAxe(page));
  await page.emulateMedia({ colorScheme: 'dark' });
  // Dark colours come from the stylesheet alone, which every language shares:
  // checked on the original pages, not again on each translation (CI time).
  if (!TRANSLATED.test(name)) record('axe-dark', name, await runAxe(page));
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize({ width: 320, height: 640 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = [];
  if (width > 320) {
    const culprits = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 320.5 && !el.closest('.table-scroll'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`),
    );
    wide.push(`scrollWidth ${width} > 320; widest: ${culprits.join(', ')}`);
  }
  record('narrow', name, wide);
  record('errors', name, errors);
  await context.close();

  // JavaScript off: the content is there without it.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const p2 = await noJs.newPage();
  await p2.goto(url, { waitUntil: 'load' });
  const noJsProblems = [];
  const text = (await p2.locator('main').first().textContent({ timeout: 5000 }).catch(() => '')) ?? '';
  if (text.trim().length === 0) noJsProblems.push('<main> has no text with JavaScript off');
  // The only script is the search page's own; every other page works without one.
  const scripts = await p2.evaluate(() =>
    [...document.querySelectorAll('script:not([type="application/ld+json"])')].map((s) => s.getAttribute('src') ?? '(inline)'),
  );
  const allowed = (src) => name.replace(TRANSLATED, '') === SEARCH_PAGE && /(^|\/)search\.[0-9a-f]{8}\.js$/.test(src);
  const extra = scripts.filter((src) => !allowed(src));
  if (extra.length) noJsProblems.push(`<script> element(s) ${extra.join(', ')}: only the search page may load one (search.js)`);
  record('no-js', name, noJsProblems);
  await noJs.close();
}

const titles = [];
let weightNote = '';

// ---------- search ----------

// The search index as the page sees it (window.DOSSIER_SEARCH_INDEX), or null.
function readSearchIndex() {
  const file = path.join(siteDir, 'search-index.js');
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  const prefix = 'window.DOSSIER_SEARCH_INDEX = ';
  if (!text.startsWith(prefix)) throw new Error(`search-index.js does not start with "${prefix}"`);
  return JSON.parse(text.slice(prefix.length).trim().replace(/;$/, ''));
}

// The output file a link of the search page points at (folders: index.html).
function fileOfLink(href) {
  const url = new URL(href);
  let file =
    url.protocol === 'file:'
      ? fileURLToPath(url)
      : path.join(siteDir, decodeURIComponent(url.pathname).slice(BASE.length));
  if (file.endsWith(path.sep) || (fs.existsSync(file) && fs.statSync(file).isDirectory())) file = path.join(file, 'index.html');
  return file;
}

// Types `query` into #search-q and returns what the page shows.
async function typeQuery(page, query) {
  await page.locator('#search-q').fill('');
  await page.locator('#search-q').pressSequentially(query, { delay: 20 });
  return waitForResults(page, query);
}

async function waitForResults(page, query) {
  await page.waitForFunction(
    (q) => (document.getElementById('search-status')?.textContent ?? '').includes(`\u201c${q}\u201d`),
    query,
    { timeout: 5000 },
  );
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    live: document.getElementById('search-status').getAttribute('aria-live'),
    links: [...document.querySelectorAll('#search-results > li a')].map((a) => a.href),
    marks: document.querySelectorAll('#search-results > li:first-child mark').length,
    azHidden: document.getElementById('a-z')?.hidden ?? true,
  }));
}

function checkShown(shown, { query, first }) {
  const problems = [];
  const want = path.join(siteDir, first, 'index.html');
  if (!/^\d+ results? for “.*”$/.test(shown.status)) problems.push(`"${query}": status line "${shown.status}"`);
  if (shown.live !== 'polite') problems.push(`"${query}": the status line is not aria-live="polite"`);
  if (!shown.links.length) problems.push(`"${query}": no results`);
  else if (fileOfLink(shown.links[0]) !== want) problems.push(`"${query}": first result is ${shown.links[0]}, want ${first}`);
  if (shown.marks === 0) problems.push(`"${query}": the first result marks no matched word`);
  if (!shown.azHidden) problems.push(`"${query}": the A-Z list is still shown with JavaScript on`);
  for (const href of shown.links) {
    if (!fs.existsSync(fileOfLink(href))) problems.push(`"${query}": result link ${href} points at no file`);
  }
  return problems;
}

async function checkSearch(browser) {
  let index;
  try {
    index = readSearchIndex();
  } catch (e) {
    record('search', 'search-index.js', [e.message]);
    return;
  }
  if (!index) return; // search is switched off in site.yaml
  if (!fs.existsSync(path.join(siteDir, SEARCH_PAGE))) {
    record('search', SEARCH_PAGE, ['search-index.js is written, but there is no search page (content/search.md)']);
    return;
  }
  const places = [
    ['http', (file) => origin + BASE + file],
    ['file', (file) => pathToFileURL(path.join(siteDir, file)).href],
  ];
  for (const [how, urlFor] of places) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    // (Chromium's own request for /favicon.ico at the server root is not the site's.)
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    try {
      await page.goto(urlFor(SEARCH_PAGE), { waitUntil: 'load' });
      for (const c of SEARCH_CASES) problems.push(...checkShown(await typeQuery(page, c.query), c));
      // With results on screen: still no accessibility violations. (Over
      // HTTP only: from file:// axe cannot read the stylesheet and says so.)
      if (how === 'http') problems.push(...(await runAxe(page)));
      // Every word must match: one unknown word means no results.
      const none = await typeQuery(page, 'japan zzqxv');
      if (none.links.length || !/^No results for “japan zzqxv”/.test(none.status)) problems.push(`"japan zzqxv": ${none.links.length} results, status "${none.status}"`);
      // The header form of another page lands on the search page with ?q=.
      await page.goto(urlFor('partners/japan/index.html'), { waitUntil: 'load' });
      await page.locator('#site-search-q').fill(SEARCH_CASES[0].query);
      await Promise.all([page.waitForURL(/[?&]q=/, { waitUntil: 'load' }), page.locator('#site-search-q').press('Enter')]);
      if (fileOfLink(page.url().split('?')[0]) !== path.join(siteDir, SEARCH_PAGE)) problems.push(`header search went to ${page.url()}`);
      else problems.push(...checkShown(await waitForResults(page, SEARCH_CASES[0].query), SEARCH_CASES[0]).map((p) => `header form: ${p}`));
    } catch (e) {
      problems.push(`could not run the search: ${e.message}`);
    }
    record('search', `${SEARCH_PAGE} (${how})`, problems);
    await context.close();
  }

  // JavaScript off: the A-Z list names every page and section of the index.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  const problems = [];
  await page.goto(origin + BASE + SEARCH_PAGE, { waitUntil: 'load' });
  if (!(await page.locator('#a-z').isVisible())) problems.push('no visible A-Z list (#a-z)');
  if (await page.locator('#search-form').isVisible()) problems.push('the search form is shown although it cannot work');
  const listed = new Set((await page.locator('#a-z li a').allTextContents()).map((t) => t.trim()));
  const missing = index.pages.map((p) => p.t).filter((t) => !listed.has(t));
  if (missing.length) problems.push(`the A-Z list lacks ${missing.map((t) => `"${t}"`).join(', ')}`);
  if (listed.size === 0) problems.push('the A-Z list is empty');
  record('search', `${SEARCH_PAGE} (no-js)`, problems);
  await noJs.close();
}

async function screenshots(browser) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const shots = [
    ['index.html', 'home'],
    ['partners/japan/index.html', 'partner-japan'],
  ];
  for (const [file, label] of shots) {
    if (!fs.existsSync(path.join(siteDir, file))) continue;
    for (const [w, h] of [
      [1280, 900],
      [375, 812],
    ]) {
      const context = await browser.newContext({ viewport: { width: w, height: h } });
      const page = await context.newPage();
      await page.goto(origin + BASE + file, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(screenshotDir, `${label}-${w}x${h}.png`), fullPage: true });
      await context.close();
    }
  }
}

// ---------- run ----------

const browser = await launchBrowser();

const vnuPromise = runVnu(htmlFiles);

try {
  const queue = [...htmlFiles];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (queue.length) {
        const file = queue.shift();
        try {
          await checkPage(browser, file);
        } catch (e) {
          record('browser', rel(file), [`could not check the page: ${e.message}`]);
        }
      }
    }),
  );
  await checkSearch(browser);
  await screenshots(browser);
} finally {
  await browser.close();
  server.close();
}

// Titles: each page's structure, plus uniqueness across the site.
const seen = new Map();
for (const t of titles) seen.set(t.title, [...(seen.get(t.title) ?? []), t.name]);
for (const t of titles) {
  const same = seen.get(t.title).filter((n) => n !== t.name);
  if (same.length) t.problems.push(`<title> "${t.title}" also used by ${same.join(', ')}`);
  record('structure', t.name, t.problems);
}

for (const file of htmlFiles) record('links', rel(file), checkLinks(file));

const vnu = await vnuPromise;
if (vnu.fatal) {
  record('html', '(all files)', [vnu.fatal]);
} else {
  for (const file of htmlFiles) {
    const mine = vnu.messages.filter((m) => m.url && fileURLToPath(m.url) === file);
    record(
      'html',
      rel(file),
      mine.map((m) => `${m.type}: line ${m.lastLine ?? '?'}: ${m.message}${m.extract ? `\n      ${m.extract.trim().slice(0, 160)}` : ''}`),
    );
  }
  const stray = vnu.messages.filter((m) => !m.url || !htmlFiles.includes(fileURLToPath(m.url)));
  if (stray.length) record('html', '(vnu)', stray.map((m) => `${m.type}: ${m.message}`));
}

// ---------- report ----------

const failed = results.filter((r) => !r.ok);
const passed = results.length - failed.length;
const kinds = [...new Set(results.map((r) => r.kind))];
console.log(`Checked ${htmlFiles.length} HTML files served from ${siteDir} at ${origin}${BASE}`);
for (const kind of kinds) {
  const mine = results.filter((r) => r.kind === kind);
  const bad = mine.filter((r) => !r.ok);
  console.log(`  ${kind.padEnd(10)} ${mine.length - bad.length}/${mine.length} passed`);
}
if (failed.length) {
  console.log('\nFailures:');
  for (const r of failed.sort((a, b) => a.page.localeCompare(b.page) || a.kind.localeCompare(b.kind))) {
    console.log(`\n[${r.kind}] ${r.page}`);
    for (const d of r.details) console.log(`  - ${d}`);
  }
  console.log('');
}
if (weightNote) console.log(weightNote);
console.log(`Screenshots in ${path.relative(process.cwd(), screenshotDir) || '.'}`);
console.log(`${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
