// What the browser suites share: where the repository and the dossier
// binary are, a copy of the shipped site, `dossier serve` started on it,
// Debian's Chromium, axe-core, the ok/FAIL report, and opt-in screenshots
// of record (docs/).
//
// Used by overlay.mjs and editor.mjs (run.mjs uses the browser and the
// report's constants only: it serves a built site of its own).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const WAIT = 30_000; // ms: generous, only to catch hangs
export const screenshotDir = path.join(here, 'screenshots');
/** The folders of a site that `dossier serve` reads (the serve watcher's list). */
export const SITE_PARTS = ['site.yaml', 'data', 'content', 'templates', 'static', 'i18n'];

/** The dossier binary: the first argument, $DOSSIER_BIN, or the release build. Exits 2 if missing. */
export function dossierBinary() {
  const binary = path.resolve(
    process.argv[2] ?? process.env.DOSSIER_BIN ?? path.join(repoRoot, 'target', 'release', 'dossier'),
  );
  if (!fs.existsSync(binary)) {
    console.error(`No dossier binary at ${binary}: build it first (cargo build --release), or pass its path.`);
    process.exit(2);
  }
  return binary;
}

/** A copy of the shipped site in a new temporary folder. */
export function copySite(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const name of SITE_PARTS) {
    fs.cpSync(path.join(repoRoot, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

/**
 * Runs `dossier serve` with `args` (after `serve`); resolves with
 * `{child, match}` once stderr matches `ready`. Everything the server
 * prints is passed to `onLog` (for failure reports).
 */
export function serve(binary, args, ready, { env = {}, onLog = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DOSSIER_EDITOR: '', ...env },
    });
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${buffer}`)), WAIT);
    child.stderr.on('data', (d) => {
      buffer += d;
      onLog(String(d));
      const match = buffer.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${buffer}`)));
  });
}

/** Debian's Chromium, headless; never a browser downloaded by npm. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** `ok`/`FAIL` lines, and the final `N passed, M failed`. */
export function report() {
  let passed = 0;
  const failures = [];
  function check(name, problems) {
    if (problems.length === 0) {
      passed += 1;
      console.log(`ok    ${name}`);
    } else {
      failures.push(name);
      console.log(`FAIL  ${name}\n      ${problems.join('\n      ')}`);
    }
  }
  async function step(name, fn) {
    try {
      check(name, (await fn()) ?? []);
    } catch (e) {
      check(name, [String(e?.stack ?? e)]);
    }
  }
  /** Prints the totals and exits, 1 on any failure. */
  function finish() {
    console.log(`${passed} passed, ${failures.length} failed`);
    process.exit(failures.length ? 1 : 0);
  }
  return { check, step, finish };
}

/**
 * A screenshot into screenshots/ (ignored by git); with
 * DOSSIER_SCREENSHOTS=1 also into docs/ under the same name, for the
 * tracked images README.md and CONTENT.md show. Off by default, so a run
 * in CI leaves the tree clean.
 */
export async function screenshot(page, name, { ofRecord = false } = {}) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (ofRecord && process.env.DOSSIER_SCREENSHOTS === '1') {
    fs.mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
    fs.copyFileSync(file, path.join(repoRoot, 'docs', `${name}.png`));
  }
}
