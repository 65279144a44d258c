#!/usr/bin/env node
// `dossier serve --edit` in a real browser.
//
//   node editor.mjs [DOSSIER_BINARY]   (default: $DOSSIER_BIN, else ../../target/release/dossier)
//
// Copies the shipped site into a temporary folder, runs `dossier serve
// --edit` on it on 127.0.0.1 and, in headless Chromium:
//   token      the editor needs the printed link's token (401 without);
//              the link sets a cookie and leaves the address bar
//   list       pages grouped by section with their status; search; axe 0
//   open       a page is opened from the list with the keyboard; its form
//              follows the section's schema (enum select, date input, list
//              textarea, required marked, the schema's hints described by
//              aria-describedby, register ids ticked); axe 0
//   diagnose   editing the title shows it in the preview at once; a broken
//              link typed in the body shows up as a finding at its line
//              (list and line numbers) before saving; nothing is written
//   save       fixing it and saving writes exactly the expected bytes; the
//              preview shows the new title
//   restore    unsaved text survives a reload and is offered back
//   sources    a source picked for `sources:` from the register with the
//              keyboard, one cited at the cursor from the searchable list
//              (`[@id, locator]`), a typo'd citation a finding with a
//              suggestion; saved bytes exact; axe 0
//   conflict   a change on disk meanwhile gives the conflict screen with the
//              lines that differ (words and <del>/<ins>, not colour only);
//              axe 0; "copy my version" puts it on the clipboard, "take
//              theirs" loads the disk, "keep mine" writes over a new change
//   cross      a POST from a page on another origin is refused; nothing is
//              written
//   new        a page is created from the section's schema
//   move       moving a page lists the links that would change, then moves
//              it and updates them; the site still builds; axe 0
//   image      an image dropped on the text asks for its alternative text,
//              is stored in static/images/ byte for byte and put in the
//              text; the preview shows it; axe 0
// Screenshots go to tests/browser/screenshots/; with DOSSIER_SCREENSHOTS=1
// the editor screen also to docs/editor.png (shown by CONTENT.md), which a
// plain run leaves alone.
// Prints `N passed, M failed` last and exits 1 on any failure.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { AXE_TAGS, WAIT, axeSource, copySite, dossierBinary, launchBrowser, report, screenshot, serve } from './lib.mjs';

const binary = dossierBinary();
const PAGE_FILE = 'content/partners/japan.md';
const { check, step, finish } = report();

const dir = copySite('dossier-editor-');
const site = (p) => path.join(dir, p);
// The suite edits one English page by its line numbers and picks it from a
// search for its name: its translations (japan.fr.md, japan.de.md) are left
// out of this copy. tests/serve_edit.rs covers translations in the editor.
for (const lang of ['fr', 'de']) fs.rmSync(site(PAGE_FILE.replace(/\.md$/, `.${lang}.md`)), { force: true });
// The steps type plain sentences such as "See the notes." into a sourced
// section; the sourcing lint (tested in tests/citations.rs) is off in this
// copy so that "No findings" means the editor's own checks are clean.
const yamlPath = site('site.yaml');
fs.writeFileSync(yamlPath, fs.readFileSync(yamlPath, 'utf8').replace(/^lints:\n/m, 'lints:\n  W-UNSOURCED: off\n'));
const original = fs.readFileSync(site(PAGE_FILE), 'utf8');
const lines = original.split('\n');
const bodyLine = lines.indexOf('---', 1) + 2; // the file line the body starts on
const body = lines.slice(bodyLine - 1).join('\n');

let log = '';
async function startServer() {
  const { child, match } = await serve(binary, ['--edit', '--port', '0', '--root', dir],
    /(http:\/\/127\.0\.0\.1:(\d+)\/__dossier\/edit\/\?token=([0-9a-f]+))/, { onLog: (d) => (log += d) });
  return { child, link: match[1], port: Number(match[2]) };
}

// Evaluated through the DevTools protocol, so the editor's CSP stays on.
// The preview iframe is the built site, which run.mjs checks on its own.
async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const options = { iframes: false, resultTypes: ['violations'] };
    const wcag = await window.axe.run(document, { ...options, runOnly: { type: 'tag', values: tags } });
    const best = await window.axe.run(document, { ...options, runOnly: { type: 'tag', values: ['best-practice'] } });
    return [...wcag.violations, ...best.violations].flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${v.help} at ${JSON.stringify(n.target)}\n        ${n.failureSummary ?? ''}`));
  }, AXE_TAGS);
}

const browser = await launchBrowser();
let server = null;
let other = null;
try {
  server = await startServer();
  const origin = `http://127.0.0.1:${server.port}`;
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await step('token: refused without it; the link trades it for a cookie', async () => {
    const problems = [];
    const bare = await page.goto(`${origin}/__dossier/edit/`);
    if (bare.status() !== 401) problems.push(`without the token: ${bare.status()}`);
    const wrong = await page.goto(`${origin}/__dossier/edit/?token=0123`);
    if (wrong.status() !== 403) problems.push(`wrong token: ${wrong.status()}`);
    await page.goto(server.link);
    if (page.url() !== `${origin}/__dossier/edit/`) problems.push(`the token stays in the address: ${page.url()}`);
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === `dossier_edit_${server.port}`);
    if (!cookie?.httpOnly || cookie.sameSite !== 'Strict') problems.push(`cookie: ${JSON.stringify(cookies)}`);
    return problems;
  });

  await step('list: pages grouped by section with status; search; axe 0', async () => {
    const problems = [];
    await page.waitForSelector('#page-list a[href="#/partners/japan.md"]', { timeout: WAIT });
    const groups = await page.$$eval('#page-list h3', (hs) => hs.map((h) => h.textContent));
    if (!groups.some((g) => /partner/i.test(g))) problems.push(`groups: ${groups}`);
    const japan = await page.textContent('#page-list li:has(a[href="#/partners/japan.md"])');
    if (!japan.includes('published')) problems.push(`japan's status: ${japan}`);
    await page.fill('#search', 'japan');
    const shown = await page.$$eval('#page-list a', (as) => as.map((a) => a.getAttribute('href')));
    if (shown.length !== 1 || shown[0] !== '#/partners/japan.md') problems.push(`search shows ${shown}`);
    problems.push(...(await axe(page)));
    await screenshot(page, 'editor-list');
    return problems;
  });

  await step('open: with the keyboard; the form follows the schema; axe 0', async () => {
    const problems = [];
    await page.focus('#search');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#editor:not([hidden])', { timeout: WAIT });
    await page.waitForFunction(() => document.getElementById('findings-summary').textContent !== '', null, { timeout: WAIT });
    const kinds = await page.evaluate(() => ({
      status: document.getElementById('field-status')?.tagName,
      statusValue: document.getElementById('field-status')?.value,
      signed: document.getElementById('field-signed')?.type,
      areas: document.getElementById('field-areas')?.tagName,
      areasLines: document.getElementById('field-areas')?.value.split('\n').length,
      required: document.querySelector('label[for="field-region"]')?.textContent,
      draft: document.getElementById('field-draft')?.type,
      body: document.getElementById('body').value,
    }));
    if (kinds.status !== 'SELECT' || kinds.statusValue !== 'concluded') problems.push(`status: ${JSON.stringify(kinds)}`);
    if (kinds.signed !== 'date') problems.push(`signed is ${kinds.signed}`);
    if (kinds.areas !== 'TEXTAREA' || kinds.areasLines !== 7) problems.push(`areas: ${JSON.stringify(kinds)}`);
    if (!kinds.required?.includes('(required)')) problems.push(`region label: ${kinds.required}`);
    if (kinds.draft !== 'checkbox') problems.push(`draft is ${kinds.draft}`);
    if (kinds.body !== body) problems.push('the body is not the file\'s body');
    // The schema's hints, tied to their fields.
    const hint = await page.evaluate(() => {
      const input = document.getElementById('field-country_code');
      const ids = (input.getAttribute('aria-describedby') || '').split(' ');
      return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    });
    if (!hint.includes('two-letter ISO code')) problems.push(`country_code's description: ${JSON.stringify(hint)}`);
    // sources and signed_source: the page's register ids, ticked, in order.
    const ticked = await page.evaluate(() => Object.fromEntries(['sources', 'signed_source'].map((name) => [name,
      [...document.querySelectorAll(`#field-${name} ul input:checked`)].map((c) => c.value)])));
    const fileIds = (key) => {
      const m = original.match(new RegExp(`^${key}:\\n((?:  - .*\\n)+)`, 'm'));
      return m ? m[1].trim().split('\n').map((l) => l.replace(/^\s*- /, '')) : [];
    };
    if (JSON.stringify(ticked.sources) !== JSON.stringify(fileIds('sources'))) problems.push(`sources ticked: ${ticked.sources}`);
    const signed = /^signed_source: \[(.*)\]$/m.exec(original)?.[1].split(', ') ?? [];
    if (JSON.stringify(ticked.signed_source) !== JSON.stringify(signed)) problems.push(`signed_source ticked: ${ticked.signed_source}`);
    const summary = await page.textContent('#findings-summary');
    if (!summary.includes('No findings')) problems.push(`the shipped page has findings: ${summary} ${await page.textContent('#findings')}`);
    problems.push(...(await axe(page)));
    return problems;
  });

  const brokenLine = lines.length + 1; // the file line of the link typed below
  await step('diagnose: a broken link typed in the body is a finding at its line; nothing written', async () => {
    const problems = [];
    await page.fill('#field-title', 'Japan (edited)');
    // The preview shows the unsaved title, and nothing is written for it.
    await page.frameLocator('#preview').locator('h1:has-text("Japan (edited)")').waitFor({ timeout: WAIT });
    if (!(await page.textContent('#preview-note')).includes('unsaved')) problems.push('the preview does not say it shows unsaved text');
    await page.focus('#body');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nSee [the notes](../nowhere.md).\n');
    await page.waitForFunction(() => document.getElementById('findings').textContent.includes('E-LINK-BROKEN'), null, { timeout: WAIT });
    const item = await page.textContent('#findings li');
    if (!item.includes(`line ${brokenLine}`)) problems.push(`finding: ${item} (expected line ${brokenLine})`);
    const gutterLine = brokenLine - bodyLine + 1;
    const marked = await page.$$eval('#gutter span.err', (s) => s.map((x) => Number(x.textContent)));
    if (JSON.stringify(marked) !== JSON.stringify([gutterLine])) problems.push(`gutter marks ${marked}, expected ${gutterLine}`);
    // Its button takes the caret to that line of the text.
    await page.click('#findings li button');
    const selected = await page.evaluate(() => {
      const b = document.getElementById('body');
      return b.value.slice(b.selectionStart, b.selectionEnd);
    });
    if (selected !== 'See [the notes](../nowhere.md).') problems.push(`selected ${JSON.stringify(selected)}`);
    if (fs.readFileSync(site(PAGE_FILE), 'utf8') !== original) problems.push('the file was written before saving');
    await screenshot(page, 'editor', { ofRecord: true });
    problems.push(...(await axe(page)));
    return problems;
  });

  await step('save: the fix saved gives exactly the expected bytes; the preview follows', async () => {
    const problems = [];
    await page.keyboard.type('See the notes.');
    await page.waitForFunction(() => document.getElementById('findings-summary').textContent.includes('No findings'), null, { timeout: WAIT });
    await page.click('#save');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Saved'), null, { timeout: WAIT });
    const expected = original.replace('title: "Japan"\n', 'title: "Japan (edited)"\n') + '\nSee the notes.\n';
    const disk = fs.readFileSync(site(PAGE_FILE), 'utf8');
    if (disk !== expected) problems.push(`on disk:\n${disk.slice(0, 300)}\n…${disk.slice(-200)}`);
    const frame = page.frameLocator('#preview');
    await frame.locator('h1:has-text("Japan (edited)")').waitFor({ timeout: WAIT });
    return problems;
  });

  await step('sources: one picked from the register, one cited at the cursor; a typo is a finding; axe 0', async () => {
    const problems = [];
    const before = fs.readFileSync(site(PAGE_FILE), 'utf8');
    // Pick eeas-sdp for `sources:` with the keyboard: search, Enter, Space.
    await page.fill('#field-sources-search', 'EEAS overview');
    await page.fill('#field-sources-search', 'eeas-sdp');
    const count = await page.textContent('#field-sources-count');
    if (!/^1 more source match/.test(count)) problems.push(`the search says ${JSON.stringify(count)}`);
    await page.press('#field-sources-search', 'Enter');
    const focused = await page.evaluate(() => document.activeElement?.value);
    if (focused !== 'eeas-sdp') problems.push(`Enter went to ${focused}`);
    await page.keyboard.press('Space');
    problems.push(...(await axe(page)).map((v) => `picker: ${v}`));
    // A citation typed by hand with a typo: a finding with a suggestion.
    const saved = await page.inputValue('#body');
    await page.fill('#body', saved.replace('See the notes.', 'See the notes [@epp-relase].'));
    await page.waitForFunction(() => document.getElementById('findings').textContent.includes('E-CITATION-UNKNOWN'), null, { timeout: WAIT });
    const finding = await page.textContent('#findings li');
    if (!finding.includes('did you mean `epp-release`')) problems.push(`finding: ${finding}`);
    await page.fill('#body', saved);
    // Cite from the list, at the cursor (just after "See the notes.").
    await page.evaluate(() => {
      const b = document.getElementById('body');
      const at = b.value.indexOf('See the notes.') + 'See the notes.'.length;
      b.focus();
      b.setSelectionRange(at, at);
    });
    await page.fill('#cite-search', 'epp group');
    await page.fill('#cite-locator', 'para. 2');
    await page.press('#cite-search', 'Enter');
    const cited = await page.evaluate(() => document.activeElement?.textContent);
    if (cited !== 'Cite epp-release') problems.push(`Enter went to ${cited}`);
    await page.keyboard.press('Enter');
    const after = await page.evaluate(() => ({ focus: document.activeElement?.id, value: document.getElementById('body').value }));
    if (after.focus !== 'body') problems.push(`focus after citing: ${after.focus}`);
    if (!after.value.includes('See the notes. [@epp-release, para. 2]\n')) problems.push(`the text: …${after.value.slice(-80)}`);
    if (fs.readFileSync(site(PAGE_FILE), 'utf8') !== before) problems.push('Enter in a search box saved the page');
    await page.waitForFunction(() => document.getElementById('findings-summary').textContent.includes('No findings'), null, { timeout: WAIT })
      .catch(async () => problems.push(`findings: ${await page.textContent('#findings')}`));
    problems.push(...(await axe(page)).map((v) => `cite: ${v}`));
    await screenshot(page, 'editor-sources');
    await page.click('#save');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Saved'), null, { timeout: WAIT });
    const expected = before
      .replace(/^sources:\n((?: {2}- .*\n)+)/m, (_, items) => `sources:\n${items}  - eeas-sdp\n`)
      .replace('See the notes.', 'See the notes. [@epp-release, para. 2]');
    const disk = fs.readFileSync(site(PAGE_FILE), 'utf8');
    if (disk !== expected) problems.push(`on disk:\n${disk.slice(0, 1500)}\n…${disk.slice(-200)}`);
    return problems;
  });

  await step('restore: unsaved text survives a reload', async () => {
    const problems = [];
    await page.focus('#body');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Unsaved line.');
    await page.waitForTimeout(100);
    await page.reload();
    await page.waitForSelector('#restore:not([hidden])', { timeout: WAIT });
    problems.push(...(await axe(page)));
    await page.click('#restore-yes');
    const value = await page.inputValue('#body');
    if (!value.endsWith('Unsaved line.')) problems.push(`restored body ends ${JSON.stringify(value.slice(-40))}`);
    return problems;
  });

  await step('conflict: a change on disk meanwhile shows the lines that differ; copy mine, take theirs, keep mine; axe 0', async () => {
    const problems = [];
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const theirs = fs.readFileSync(site(PAGE_FILE), 'utf8').replace('See the notes.', 'Changed by someone else.');
    fs.writeFileSync(site(PAGE_FILE), theirs);
    await page.click('#save');
    await page.waitForSelector('#conflict:not([hidden])', { timeout: WAIT });
    const rows = await page.$$eval('#conflict-diff tbody tr', (trs) => trs.map((tr) => ({
      tag: tr.className, cells: [...tr.cells].map((c) => c.textContent), del: !!tr.querySelector('del'), ins: !!tr.querySelector('ins'),
    })));
    const changed = rows.filter((r) => r.tag !== 'equal');
    const gone = changed.find((r) => r.cells[3].includes('Changed by someone else.'));
    const mineRow = changed.find((r) => r.cells[3].includes('Unsaved line.'));
    if (!gone || gone.cells[2] !== 'only on disk' || !gone.del || gone.cells[1] !== '') problems.push(`their line: ${JSON.stringify(gone)}`);
    if (!mineRow || mineRow.cells[2] !== 'only in yours' || !mineRow.ins || mineRow.cells[0] !== '') problems.push(`my line: ${JSON.stringify(mineRow)}`);
    if (rows.length > 20) problems.push(`${rows.length} rows: more than the changes and their context`);
    if (!(await page.textContent('#conflict-summary')).includes('only in yours')) problems.push('no summary');
    if (fs.readFileSync(site(PAGE_FILE), 'utf8') !== theirs) problems.push('their file was overwritten');
    problems.push(...(await axe(page)));
    await page.click('#conflict details summary');
    problems.push(...(await axe(page)).map((v) => `both in full: ${v}`));
    await screenshot(page, 'editor-conflict');
    // Copy mine: the text keeping mine would write, on the clipboard.
    await page.click('#copy-mine');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('clipboard'), null, { timeout: WAIT });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    if (!copied.includes('Unsaved line.') || copied.includes('Changed by someone else.') || !copied.startsWith('---\n')) problems.push(`copied: …${copied.slice(-120)}`);
    // Take theirs: the file on disk is loaded.
    await page.click('#take-disk');
    await page.waitForSelector('#conflict', { state: 'hidden', timeout: WAIT });
    const value = await page.inputValue('#body');
    if (!value.includes('Changed by someone else.')) problems.push('the disk version was not loaded');
    // Keep mine, after another change on disk: mine is written over it.
    await page.fill('#body', value.replace('Changed by someone else.', 'See the notes again.'));
    fs.writeFileSync(site(PAGE_FILE), theirs.replace('Changed by someone else.', 'Changed twice.'));
    await page.click('#save');
    await page.waitForSelector('#conflict:not([hidden])', { timeout: WAIT });
    await page.click('#keep-mine');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Saved'), null, { timeout: WAIT });
    const kept = fs.readFileSync(site(PAGE_FILE), 'utf8');
    if (kept !== theirs.replace('Changed by someone else.', 'See the notes again.')) problems.push(`kept mine: …${kept.slice(-200)}`);
    return problems;
  });

  await step('cross: a POST from another origin is refused and writes nothing', async () => {
    other = http.createServer((req, res) => { res.end('<!doctype html><title>other</title>'); });
    await new Promise((r) => other.listen(0, '127.0.0.1', r));
    const before = fs.readFileSync(site(PAGE_FILE), 'utf8');
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${other.address().port}/`);
    const results = await evil.evaluate(async (target) => {
      const body = JSON.stringify({ source: 'partners/japan.md', hash: 'x', changes: [], body: 'pwned' });
      const out = [];
      try {
        const r = await fetch(`${target}/__dossier/edit/api/save`, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Dossier-Request': '1' }, body });
        out.push(r.status);
      } catch (e) { out.push('blocked'); }
      await fetch(`${target}/__dossier/edit/api/save`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body }).catch(() => {});
      return out;
    }, origin);
    await evil.close();
    const problems = [];
    if (results[0] !== 'blocked') problems.push(`a cross-origin fetch got ${results[0]}`);
    if (fs.readFileSync(site(PAGE_FILE), 'utf8') !== before) problems.push('the file was written');
    return problems;
  });

  await step('new: a page from the section schema', async () => {
    await page.selectOption('#new-section', 'partners');
    await page.fill('#new-title', 'Chile');
    await page.click('#new-form button');
    await page.waitForFunction(() => document.getElementById('page-source').textContent === 'content/partners/chile.md', null, { timeout: WAIT });
    const problems = [];
    await page.waitForFunction(() => document.getElementById('findings').textContent.includes('E-PLACEHOLDER'), null, { timeout: WAIT })
      .catch(() => problems.push('placeholders are not shown as findings'));
    const text = fs.readFileSync(site('content/partners/chile.md'), 'utf8');
    if (!text.includes('draft: true')) problems.push(`new file: ${text.slice(0, 200)}`);
    if (!(await page.isChecked('#field-draft'))) problems.push('draft is not ticked');
    return problems;
  });

  await step('image: dropped on the text, alt text asked for, stored and put in the text; axe 0', async () => {
    const problems = [];
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const transfer = await page.evaluateHandle((b64) => {
      const data = new DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], 'Dropped Map.png', { type: 'image/png' }));
      return data;
    }, PNG);
    await page.dispatchEvent('.code', 'drop', { dataTransfer: transfer });
    const picked = await page.evaluate(() => ({
      name: document.getElementById('image-file').files[0]?.name,
      focus: document.activeElement?.id,
    }));
    if (picked.name !== 'Dropped Map.png' || picked.focus !== 'image-alt') problems.push(`after the drop: ${JSON.stringify(picked)}`);
    // Without alternative text it is not added.
    await page.click('#image-add');
    if (!(await page.textContent('#status')).includes('alternative text')) problems.push('no alt text was asked for');
    if (fs.existsSync(site('static/images'))) problems.push('stored without alt text');
    await page.fill('#image-alt', 'A small test map');
    await page.click('#image-add');
    await page.waitForFunction(() => document.getElementById('body').value.includes('![A small test map](/images/dropped-map.png)'), null, { timeout: WAIT });
    const stored = fs.readFileSync(site('static/images/dropped-map.png'));
    if (!stored.equals(Buffer.from(PNG, 'base64'))) problems.push('the stored bytes differ');
    await page.frameLocator('#preview').locator('img[alt="A small test map"]').waitFor({ state: 'attached', timeout: WAIT });
    let served = 0;
    for (const deadline = Date.now() + WAIT; Date.now() < deadline && served !== 200;) {
      served = (await fetch(`${origin}/images/dropped-map.png`)).status;
      if (served !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    if (served !== 200) problems.push(`the preview does not serve the image: ${served}`);
    problems.push(...(await axe(page)));
    return problems;
  });

  await step('move: the links to change are shown first, then updated; the site builds; axe 0', async () => {
    const problems = [];
    // Japan, saved and clean again, moves into a folder of its own section.
    await page.goto(`${origin}/__dossier/edit/#/partners/japan.md`);
    await page.waitForFunction(() => document.getElementById('page-source').textContent === 'content/partners/japan.md', null, { timeout: WAIT });
    const linking = fs.readdirSync(site('content'), { recursive: true })
      .filter((f) => f.endsWith('.md') && f !== path.join('partners', 'japan.md'))
      .filter((f) => /\(@\/partners\/japan\.md|\(japan\.md|\(partners\/japan\.md|\.\.\/partners\/japan\.md/.test(fs.readFileSync(site(path.join('content', f)), 'utf8')));
    if (linking.length === 0) problems.push('no page links to Japan: this step would prove nothing');
    fs.mkdirSync(site('content/partners/asia'));
    await page.fill('#move-to', 'partners/asia/japan.md');
    await page.click('#move-preview');
    await page.waitForSelector('#move-plan li', { timeout: WAIT });
    const listed = await page.$$eval('#move-plan li', (lis) => lis.map((li) => li.textContent));
    const files = new Set(listed.map((l) => l.split(',')[0]));
    for (const f of linking) if (!files.has(`content/${f}`)) problems.push(`${f} links to Japan but is not listed`);
    problems.push(...(await axe(page)));
    await screenshot(page, 'editor-move');
    await page.click('#move-apply');
    await page.waitForFunction(() => document.getElementById('page-source').textContent === 'content/partners/asia/japan.md', null, { timeout: WAIT });
    if (fs.existsSync(site(PAGE_FILE))) problems.push('the old file is still there');
    fs.rmSync(site('content/partners/chile.md')); // the new page's placeholders fail a build by design
    const built = spawnSync(binary, ['build', '--root', dir, '--out', path.join(dir, 'public')], { encoding: 'utf8' });
    if (built.status !== 0) problems.push(`the build fails after the move:\n${built.stderr.slice(-1500)}`);
    return problems;
  });

  await step('no script errors in the editor', async () => pageErrors);
} catch (e) {
  check('run', [String(e?.stack ?? e), log.slice(-3000)]);
} finally {
  await browser.close();
  other?.close();
  server?.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}

finish();
