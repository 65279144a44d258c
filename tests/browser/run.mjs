#!/usr/bin/env node
// Browser checks for the built site.
//
//   node run.mjs [SITE_DIR]        (default: ../../public, relative to this file)
//
// Serves SITE_DIR on 127.0.0.1 (any free port) under the path of `base_url`
// in site.yaml, the way a host would, then for every .html file:
//   axe        axe-core, WCAG 2.0/2.1 A and AA, light colour scheme: 0 violations
//   axe-dark   the same with prefers-color-scheme: dark
//   errors     no console errors, page errors, failed or third-party requests
//   no-js      with JavaScript disabled, <main> has text; no <script> in the page
//   narrow     at 320x640, document.documentElement.scrollWidth <= 320
//   structure  lang, one <h1>, one <main>, a unique <title>, a meta description
//   links      every internal href/src (and #fragment, and url(#id)) resolves
//   html       Nu Html Checker (vnu.jar) reports no errors
//   weight     the home page with everything it loads stays under 100 KB
// and takes screenshots into ./screenshots. Prints `N passed, M failed` last
// and exits 1 on any failure.
//
// Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH); never
// downloads a browser.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const siteDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const repoRoot = path.resolve(here, '..', '..');
const screenshotDir = path.join(here, 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PARALLEL = Math.min(4, Math.max(2, os.availableParallelism()));
const HOME_BUDGET = 100 * 1024; // bytes: the home page and all its assets

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

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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
  if (structure.h1 !== 1) problems.push(`${structure.h1} <h1> elements (want exactly 1)`);
  if (structure.main !== 1) problems.push(`${structure.main} <main> elements (want exactly 1)`);
  if (!structure.title) problems.push('empty <title>');
  if (!structure.description) problems.push('no meta description');
  titles.push({ name, title: structure.title, problems });

  record('axe', name, await runAxe(page));
  await page.emulateMedia({ colorScheme: 'dark' });
  record('axe-dark', name, await runAxe(page));
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
  const scripts = await p2.locator('script:not([type="application/ld+json"])').count();
  if (scripts > 0) noJsProblems.push(`${scripts} <script> element(s): the site needs no JavaScript`);
  record('no-js', name, noJsProblems);
  await noJs.close();
}

const titles = [];
let weightNote = '';

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

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

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
