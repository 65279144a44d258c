#!/usr/bin/env node
// The dev server's live script in a real browser.
//
//   node overlay.mjs [DOSSIER_BINARY]   (default: $DOSSIER_BIN, else ../../target/release/dossier)
//
// Copies the shipped site (site.yaml, data/, content/, templates/, static/) into a
// temporary folder, runs `dossier serve` on it on 127.0.0.1 and, in headless
// Chromium:
//   errors     a broken page shows the overlay over the last good page: the
//              code linking to its entry in the guide, the file affected;
//              axe-core finds 0 violations; focus moves into it
//   keyboard   Tab reaches the Collapse button, Enter collapses and expands
//              it, Escape dismisses it and gives focus back
//   guide      the code's link lands on an element with that id; axe 0
//   fixed      fixing the file reloads the tab, the overlay is gone
//   restart    killing the server shows a role=status "lost the connection";
//              restarted on the same port, the tab reloads by itself
//   warnings   warnings alone are a small collapsed panel, not a cover;
//              expandable with the keyboard; axe 0
//   drafts     a page made by `dossier new` previews at once, with the
//              "Draft: not published" banner and its placeholders as
//              warnings; axe-core 0 and valid HTML with the banner
//   first      a first build that fails gives a page with the overlay
//              (with editor links when $DOSSIER_EDITOR is set), which turns
//              into the site once fixed
//   html       the Nu Html Checker finds no errors in the guide and in the
//              failed-first-build page
// Prints `N passed, M failed` last and exits 1 on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AXE_TAGS, WAIT, axeSource, copySite, dossierBinary, here, launchBrowser, report, screenshot as shoot, serve } from './lib.mjs';

const binary = dossierBinary();
const PAGE = '/partners/japan/';
const PAGE_FILE = 'content/partners/japan.md';
const EDITOR = 'vscode://file/{path}:{line}:{column}';
const screenshot = (page, name) => shoot(page, `overlay-${name}`);
const { check, step, finish } = report();

// ---------- the site ----------

const dir = copySite('dossier-overlay-');
const site = (p) => path.join(dir, p);
// The test edits the English page: its translations would then be out of
// date (a warning by design), so this copy of the site does without them.
for (const lang of ['fr', 'de']) fs.rmSync(site(PAGE_FILE.replace(/\.md$/, `.${lang}.md`)), { force: true });
const goodPage = fs.readFileSync(site(PAGE_FILE), 'utf8');
// A paragraph in a sourced section cites a source the page already lists.
const firstSource = goodPage.match(/^sources:\n\s+- (\S+)/m)?.[1] ?? 'eeas-sdp';
const brokenPage = goodPage.replace(/^title: .*$/m, 'title: [unclosed');
const fixedPage = goodPage.replace(/\n---\n/, `\n---\nFixed in the overlay test. [@${firstSource}]\n\n`);

// ---------- the server ----------

let server = null;
let log = '';
async function startServer(port, env = {}) {
  const { child, match } = await serve(binary, ['--port', String(port), '--root', dir],
    /serving .* at http:\/\/127\.0\.0\.1:(\d+)\//, { env, onLog: (d) => (log += d) });
  return { child, port: Number(match[1]) };
}
function stopServer() {
  if (!server) return Promise.resolve();
  const { child } = server;
  server = null;
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGKILL');
  });
}
process.on('exit', () => server?.child.kill('SIGKILL'));

// ---------- browser helpers ----------


// WCAG A/AA on the whole page, and axe's best practices on the overlay.
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    const wcag = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const best = await window.axe.run(document, { runOnly: { type: 'tag', values: ['best-practice'] }, resultTypes: ['violations'] });
    const inOverlay = (n) => Array.isArray(n.target[0]) && n.target[0][0] === '#dossier-live';
    const list = (vs, filter) => vs.flatMap((v) => v.nodes.filter(filter).map((n) => `${v.id}: ${v.help} at ${JSON.stringify(n.target)}\n        ${n.failureSummary ?? ''}`));
    return [...list(wcag.violations, () => true), ...list(best.violations, inOverlay)];
  }, AXE_TAGS);
  return violations;
}

const overlayInfo = (page) =>
  page.evaluate(() => {
    const root = document.getElementById('dossier-live')?.shadowRoot;
    const o = root?.getElementById('dossier-overlay');
    if (!o) return null;
    const r = o.getBoundingClientRect();
    return {
      mode: o.className,
      role: o.getAttribute('role'),
      title: root.getElementById('dossier-overlay-title')?.textContent ?? '',
      codes: [...o.querySelectorAll('a.code')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') })),
      places: [...o.querySelectorAll('.finding .where')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') })),
      files: [...o.querySelectorAll('ul.files li')].map((li) => li.textContent),
      expanded: o.querySelector('.toggle')?.getAttribute('aria-expanded'),
      bodyVisible: o.querySelector('.body')?.getClientRects().length > 0,
      focus: root.activeElement ? root.activeElement.id || root.activeElement.className || root.activeElement.tagName : null,
      area: (r.width * r.height) / (innerWidth * innerHeight),
      pageInert: [...document.body.children].some((c) => c.id !== 'dossier-live' && c.inert),
    };
  });

const waitForOverlay = (page, mode) =>
  page.waitForFunction(
    (m) => document.getElementById('dossier-live')?.shadowRoot?.getElementById('dossier-overlay')?.classList.contains(m),
    mode,
    { timeout: WAIT },
  );
const statusText = (page) =>
  page.evaluate(() => document.getElementById('dossier-live')?.shadowRoot?.querySelector('[role=status]')?.textContent ?? null);

async function whileLoading(page, action) {
  const loaded = page.waitForEvent('load', { timeout: WAIT });
  await action();
  await loaded;
}

async function vnu(files) {
  const jar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  return new Promise((resolve) => {
    const child = spawn('java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve([`cannot run java: ${e.message}`]));
    child.on('close', () => {
      try {
        resolve((JSON.parse(out).messages ?? []).map((m) => `${path.basename(fileURLToPath(m.url ?? 'file:///?'))}:${m.lastLine}: ${m.type}: ${m.message}`));
      } catch {
        resolve([`unreadable vnu output: ${out.slice(0, 500)}`]);
      }
    });
  });
}

// ---------- the run ----------

const browser = await launchBrowser();
const htmlFiles = [];
try {
  server = await startServer(0);
  const port = server.port;
  const origin = `http://127.0.0.1:${port}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(origin + PAGE);
  await page.waitForFunction(() => document.getElementById('dossier-live'), null, { timeout: WAIT });

  await step('no overlay on a clean site', async () => ((await overlayInfo(page)) ? ['an overlay is shown'] : []));

  let code = null;
  await step('errors: overlay over the last good page, with code, guide link and file', async () => {
    await page.evaluate(() => (window.__mark = 1));
    fs.writeFileSync(site(PAGE_FILE), brokenPage);
    await waitForOverlay(page, 'errors');
    const info = await overlayInfo(page);
    const problems = [];
    if (!/could not be built: 1 error/.test(info.title)) problems.push(`title: ${info.title}`);
    code = info.codes[0]?.text;
    if (!/^E-[A-Z-]+$/.test(code ?? '')) problems.push(`code: ${JSON.stringify(info.codes)}`);
    if (info.codes[0]?.href !== `/__dossier/guide/#${code}`) problems.push(`guide link: ${info.codes[0]?.href}`);
    if (!info.files.includes(PAGE_FILE)) problems.push(`files affected: ${info.files}`);
    if (info.places[0]?.href) problems.push('an editor link although no editor is configured');
    if (info.role !== 'dialog') problems.push(`role ${info.role}, want dialog while it covers the page`);
    if (!info.pageInert) problems.push('the page behind is not inert');
    if (info.focus !== 'dossier-overlay-title') problems.push(`focus on ${info.focus}, want the heading`);
    if (!(await page.evaluate(() => window.__mark === 1))) problems.push('the page was reloaded');
    if (!(await page.locator('main').textContent()).includes('Japan')) problems.push('the last good page is gone');
    return problems;
  });

  await step('errors: axe-core finds no violations with the overlay open', async () => {
    await screenshot(page, 'errors');
    return axe(page);
  });

  await step('keyboard: collapse, expand, Escape dismisses and gives focus back', async () => {
    const problems = [];
    await page.keyboard.press('Tab');
    let info = await overlayInfo(page);
    if (info.focus !== 'toggle') problems.push(`Tab went to ${info.focus}, want the Collapse button`);
    await page.keyboard.press('Enter');
    info = await overlayInfo(page);
    if (info.expanded !== 'false' || info.bodyVisible) problems.push('Enter did not collapse it');
    if (info.role === 'dialog' || info.pageInert) problems.push('collapsed, it still blocks the page');
    if (info.area > 0.25) problems.push(`collapsed, it still covers ${Math.round(info.area * 100)}% of the page`);
    problems.push(...(await axe(page)).map((v) => `collapsed: ${v}`));
    await page.keyboard.press('Enter');
    info = await overlayInfo(page);
    if (info.expanded !== 'true' || !info.bodyVisible) problems.push('Enter did not expand it again');
    await page.keyboard.press('Escape');
    if (await overlayInfo(page)) problems.push('Escape did not dismiss it');
    const active = await page.evaluate(() => document.activeElement?.tagName);
    if (!active) problems.push('focus lost after Escape');
    if (await page.evaluate(() => [...document.body.children].some((c) => c.inert))) problems.push('page left inert');
    return problems;
  });

  await step('guide: the code link lands on its entry; axe 0', async () => {
    const guide = await context.newPage();
    await guide.goto(`${origin}/__dossier/guide/#${code}`);
    const problems = [];
    if (!(await guide.evaluate((c) => !!document.getElementById(c), code))) problems.push(`no element with id ${code}`);
    if (!(await guide.evaluate(() => document.querySelector(':target')?.id))) problems.push('nothing is :target');
    problems.push(...(await axe(guide)));
    const file = path.join(dir, 'guide.html');
    fs.writeFileSync(file, await (await fetch(`${origin}/__dossier/guide/`)).text());
    htmlFiles.push(file);
    await guide.close();
    return problems;
  });

  await step('fixed: the tab reloads by itself and the overlay is gone', async () => {
    await whileLoading(page, () => fs.writeFileSync(site(PAGE_FILE), fixedPage));
    await page.waitForFunction(() => document.getElementById('dossier-live'), null, { timeout: WAIT });
    const problems = [];
    if (!(await page.locator('main').textContent()).includes('Fixed in the overlay test.')) problems.push('not the new text');
    // A save can reach the watcher as two events (truncate, then write): the
    // overlay may blink for the half-written file, and must then be gone.
    const gone = await page
      .waitForFunction(() => !document.getElementById('dossier-live')?.shadowRoot?.getElementById('dossier-overlay'), null, { timeout: 10_000 })
      .then(() => true, () => false);
    if (!gone) problems.push('an overlay is still shown');
    return problems;
  });

  await step('restart: the tab says it lost the server, then reloads when it is back', async () => {
    // A symbolic link: the restarted server's first build warns about it.
    fs.symlinkSync(site('content/about.md'), site('content/linked.md'));
    await stopServer();
    await page.waitForFunction(
      () => /lost the connection/i.test(document.getElementById('dossier-live')?.shadowRoot?.querySelector('[role=status]')?.textContent ?? ''),
      null,
      { timeout: WAIT },
    );
    const problems = [];
    const visible = await page.locator('#dossier-live [role=status]').isVisible();
    if (!visible) problems.push('the status is not visible');
    await screenshot(page, 'lost');
    problems.push(...(await axe(page)).map((v) => `while lost: ${v}`));
    await whileLoading(page, async () => {
      server = await startServer(port);
    });
    await page.waitForFunction(() => document.getElementById('dossier-live'), null, { timeout: WAIT });
    const status = await statusText(page);
    if (/lost/i.test(status ?? '')) problems.push(`status after the restart: ${status}`);
    return problems;
  });

  await step('warnings: a small collapsed panel, expandable by keyboard; axe 0', async () => {
    await waitForOverlay(page, 'warnings');
    let info = await overlayInfo(page);
    const problems = [];
    if (!/1 warning/.test(info.title)) problems.push(`title: ${info.title}`);
    if (info.codes[0]?.text !== 'W-SYMLINK') problems.push(`codes: ${JSON.stringify(info.codes)}`);
    if (info.expanded !== 'false' || info.bodyVisible) problems.push('not collapsed at first');
    if (info.role === 'dialog' || info.pageInert) problems.push('warnings block the page');
    if (info.area > 0.1) problems.push(`covers ${Math.round(info.area * 100)}% of the page`);
    if (info.focus) problems.push(`took the focus (${info.focus})`);
    await page.locator('#dossier-overlay .toggle').focus();
    await page.keyboard.press('Enter');
    info = await overlayInfo(page);
    if (info.expanded !== 'true' || !info.bodyVisible) problems.push('Enter did not expand it');
    if (!info.files.includes('content/linked.md')) problems.push(`files: ${info.files}`);
    if (info.area > 0.5) problems.push(`expanded, covers ${Math.round(info.area * 100)}% of the page`);
    await screenshot(page, 'warnings');
    problems.push(...(await axe(page)));
    await page.keyboard.press('Escape');
    if (await overlayInfo(page)) problems.push('Escape did not dismiss it');
    fs.unlinkSync(site('content/linked.md'));
    return problems;
  });

  await step('drafts: a new page previews at once with its banner; placeholders are warnings; axe 0', async () => {
    const made = spawnSync(binary, ['new', '--root', dir, 'partner', 'Testland'], { encoding: 'utf8' });
    if (made.status !== 0) return [`dossier new failed: ${made.stderr}`];
    const url = `${origin}/partners/testland/`;
    const problems = [];
    const deadline = Date.now() + WAIT;
    let response = null;
    while (Date.now() < deadline) {
      response = await fetch(url);
      if (response.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (response?.status !== 200) return [`the draft is not served: ${response?.status}`];
    // The tab may still be reloading for the previous step's rebuild, which
    // interrupts a navigation: try again, a few times.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await page.goto(url);
        break;
      } catch (e) {
        if (attempt >= 5 || !String(e).includes('interrupted')) throw e;
        await page.waitForTimeout(200);
      }
    }
    const banner = page.locator('aside.dossier-draft');
    if (!(await banner.isVisible())) problems.push('no visible draft banner');
    if (!/Draft: not published/.test((await banner.textContent()) ?? '')) problems.push('the banner does not say it is a draft');
    await waitForOverlay(page, 'warnings');
    const info = await overlayInfo(page);
    if (!info.codes.some((c) => c.text === 'E-PLACEHOLDER')) problems.push(`codes: ${JSON.stringify(info.codes)}`);
    if (info.role === 'dialog' || info.pageInert) problems.push('placeholders of a draft block the page');
    await screenshot(page, 'draft');
    problems.push(...(await axe(page)));
    const file = path.join(dir, 'draft.html');
    fs.writeFileSync(file, await (await fetch(url)).text());
    htmlFiles.push(file);
    fs.unlinkSync(site('content/partners/testland.md'));
    return problems;
  });

  await step('first build failing: the overlay with editor links, then the site', async () => {
    await stopServer();
    fs.writeFileSync(site(PAGE_FILE), brokenPage);
    server = await startServer(port, { DOSSIER_EDITOR: EDITOR });
    const fresh = await context.newPage();
    const response = await fresh.goto(origin + '/');
    const problems = [];
    if (response.status() !== 503) problems.push(`status ${response.status()}`);
    await waitForOverlay(fresh, 'errors');
    const info = await overlayInfo(fresh);
    const place = info.places[0] ?? {};
    const want = `vscode://file/${dir.split(path.sep).map(encodeURIComponent).join('/')}/${PAGE_FILE}:`;
    if (!place.href?.startsWith(want)) problems.push(`editor link ${place.href}, want ${want}…`);
    if (!/^content\/partners\/japan\.md:\d+/.test(place.text ?? '')) problems.push(`place ${place.text}`);
    problems.push(...(await axe(fresh)));
    const file = path.join(dir, 'first-build-failed.html');
    fs.writeFileSync(file, await (await fetch(origin + '/')).text());
    htmlFiles.push(file);
    await whileLoading(fresh, () => fs.writeFileSync(site(PAGE_FILE), fixedPage));
    await fresh.waitForFunction(() => document.getElementById('dossier-live'), null, { timeout: WAIT });
    if (!(await fresh.title()).includes('Szczerba')) problems.push(`not the home page: ${await fresh.title()}`);
    await fresh.waitForTimeout(300);
    if (await overlayInfo(fresh)) problems.push('an overlay is still shown');
    await fresh.close();
    return problems;
  });

  await step('no script errors in the pages', async () => pageErrors);
  await step('html: the guide, a draft with its banner and the failed-first-build page are valid', async () => vnu(htmlFiles));
} catch (e) {
  check('run', [String(e?.stack ?? e), log.slice(-3000)]);
} finally {
  await browser.close();
  await stopServer();
  fs.rmSync(dir, { recursive: true, force: true });
}

finish();
