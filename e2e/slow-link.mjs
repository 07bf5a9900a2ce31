// Time to content on a slow link: the real `rungs serve --demo` (fresh
// SQLite) in headless Chromium with the network throttled through the
// DevTools protocol, as Lighthouse's "Fast 3G" (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up). Prints, per page, the median of 5 loads
// from navigation to the first screen's content (issue 19's target: under
// 1 s for My progression).
//
//   cargo build && node e2e/slow-link.mjs        (RUNGS_BIN, CHROMIUM as in web.test.mjs)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.RUNGS_BIN || 'target/debug/rungs');
const LINK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const RUNS = 5;

const port = await new Promise((resolve) => {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1', () => { const { port: p } = probe.address(); probe.close(() => resolve(p)); });
});
const base = `http://127.0.0.1:${port}`;
const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rungs-slow-'));
const server = spawn(BIN, ['serve', '--demo', '--bind', `127.0.0.1:${port}`,
  '--database-url', `sqlite://${path.join(workdir, 'slow.db')}?mode=rwc`], { stdio: 'ignore' });
for (let i = 0; i < 300; i += 1) {
  try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not yet */ }
  await new Promise((r) => setTimeout(r, 200));
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});

async function measure(name, email, hash, selector) {
  const times = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    if (email) {
      await page.goto(`${base}/app`);
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Password').fill('rungs-demo-2026');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#session:not([hidden])').waitFor();
      // A new document: the token stays in this tab's sessionStorage.
      await page.goto('about:blank');
    }
    // The moment the content appears, from the navigation's start
    // (performance.now()), seen by a MutationObserver in the page: polling
    // from outside would add its own interval.
    await page.addInitScript((sel) => {
      const seen = () => {
        if (!window.contentAt && document.querySelector(sel)) window.contentAt = performance.now();
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    }, selector);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', LINK);
    let received = 0;
    const log = [];
    const t0 = Date.now();
    cdp.on('Network.requestWillBeSent', (e) => { log.push(`${Date.now() - t0} start ${e.request.url.replace(base, '')}`); });
    cdp.on('Network.loadingFinished', (e) => { received += e.encodedDataLength; log.push(`${Date.now() - t0} done ${e.requestId}`); });
    await page.goto(`${base}/app${hash}`, { waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ timeout: 30000 });
    times.push(Math.round(await page.evaluate(() => window.contentAt)));
    if (process.env.TRACE && run === 0) console.log(log.join('\n'));
    bytes = received;
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times[Math.floor(RUNS / 2)]} ms | ${times[0]}–${times[RUNS - 1]} ms | ${Math.round(bytes / 1024)} KiB |`);
}

console.log('| page (390×844, Fast 3G: 150 ms RTT, 1.6 Mbit/s) | median to content | range | transferred |');
console.log('|---|---:|---:|---:|');
try {
  await measure('sign-in form', null, '', 'form.signin button[type="submit"]');
  await measure('My progression (signed in, reload)', 'yui.sato@rungs.example', '#/me', 'svg.ladder');
  await measure('My team (signed in, reload)', 'daichi.okada@rungs.example', '#/team', 'table.team-table tbody tr');
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(workdir, { recursive: true, force: true });
}
