// End-to-end tests of the web app: the real `rungs serve --demo` on a free
// port with a fresh SQLite file, driven in headless Chromium (Debian's
// package) through playwright-core. Screenshots and the server's log go to
// test-output/.
//
//   RUNGS_BIN   the binary to run (default target/debug/rungs)
//   CHROMIUM    the browser (default /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(ROOT, process.env.RUNGS_BIN || 'target/debug/rungs');
const OUT = path.join(ROOT, 'test-output');
const PASSWORD = 'rungs-demo-2026';
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let server;
let serverLog = '';
let base;
let browser;
let workdir;
const problems = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`rungs exited (${server.exitCode}):\n${serverLog}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`rungs did not become ready in ${ms} ms:\n${serverLog}`);
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
  await checkPage(page, name);
}

// Machine words a person should never read: enum names and ISO dates.
const ENUM_WORDS = /\b(?:[A-Z]{2,}_[A-Z_]{2,}|ELIGIBLE|INELIGIBLE|PENDING|APPROVED|REJECTED|WITHDRAWN|WHITE|YELLOW|GREEN|BLACK|ENROLLED|WAITLISTED)\b/;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * Every screenshot is also checked: axe-core finds no violation, and the
 * text a person reads holds no enum name and no ISO date. axe runs through
 * the DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the app keeps its strict policy.
 */
async function checkPage(page, name) {
  const text = await page.evaluate(() => document.body.innerText);
  const enumWord = text.match(ENUM_WORDS);
  assert.equal(enumWord, null, `${name}: the page shows a machine word: ${enumWord && enumWord[0]}`);
  const isoDate = text.match(ISO_DATE);
  assert.equal(isoDate, null, `${name}: the page shows an ISO date: ${isoDate && isoDate[0]}`);
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(found, [], `${name}: axe-core violations`);
}

/** A fresh browser context (its own sessionStorage) with a page. */
async function newPage(viewport = LAPTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  return page;
}

async function signIn(page, email) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/app/, '/ leads to the web app');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#session:not([hidden])').waitFor();
}

async function waitLive(page) {
  await page.locator('body[data-live="live"]').waitFor({ timeout: 15000 });
}

function option(page, role) {
  return page.locator(`svg.ladder g.ladder-option[data-role="${role}"]`);
}

before(async () => {
  assert.ok(fs.existsSync(BIN), `no rungs binary at ${BIN}: build it first (cargo build)`);
  fs.mkdirSync(OUT, { recursive: true });
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rungs-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, [
    'serve', '--demo', '--bind', `127.0.0.1:${port}`,
    '--database-url', `sqlite://${path.join(workdir, 'e2e.db')}?mode=rwc`,
    // The app must work on a server that runs only its trusted documents.
    ...(process.env.RUNGS_E2E_PERSISTED_ONLY === '1' ? ['--persisted-only'] : []),
  ], { env: { ...process.env, RUST_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (chunk) => { serverLog += chunk; });
  server.stderr.on('data', (chunk) => { serverLog += chunk; });
  await waitForHealth(base, 60000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  fs.writeFileSync(path.join(OUT, 'rungs.log'), serverLog);
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => { server.kill('SIGKILL'); resolve(); }, 15000);
      server.on('exit', () => { clearTimeout(timer); resolve(); });
    });
  }
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

test('/app is served with a strict Content-Security-Policy and / leads there', async () => {
  const root = await fetch(`${base}/`, { redirect: 'manual' });
  assert.ok([301, 302, 303, 307, 308].includes(root.status), `status ${root.status}`);
  assert.equal(root.headers.get('location'), '/app');
  const app = await fetch(`${base}/app`);
  assert.equal(app.status, 200);
  assert.match(app.headers.get('content-type'), /^text\/html/);
  assert.match(app.headers.get('content-security-policy'), /default-src 'self'/);
  const js = await fetch(`${base}/app/app.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
});

test('sign-in explains a wrong password', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('Work email').waitFor();
  // A --demo server names its demo accounts (a real one does not: an API test).
  assert.equal(await page.locator('details.demo-hint').count(), 1);
  await shot(page, '01-sign-in');
  await page.getByLabel('Work email').fill('yui.sato@rungs.example');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.getByRole('alert');
  await error.waitFor();
  assert.match(await error.textContent(), /do not match/);
  await shot(page, '02-sign-in-error');
  await page.setViewportSize(PHONE);
  await shot(page, '02b-sign-in-phone', false);
  await page.context().close();
});

test('each demo CSR sees their ladder with the right statuses', async () => {
  const cases = [
    ['yui.sato@rungs.example', 'ELIGIBLE', '03-progression-eligible'],
    ['hina.watanabe@rungs.example', 'INELIGIBLE', '04-progression-ineligible'],
    ['haruto.suzuki@rungs.example', 'NOT_YET', '05-progression-not-yet'],
  ];
  for (const [email, status, name] of cases) {
    const page = await newPage();
    await signIn(page, email);
    const teamLead = option(page, 'TEAM_LEAD');
    await teamLead.waitFor();
    assert.equal(await teamLead.getAttribute('data-status'), status, `${email}: Team Lead`);
    // The status is written out, not only coloured.
    const words = { ELIGIBLE: 'Eligible', INELIGIBLE: 'Steps to take', NOT_YET: 'Not yet' }[status];
    assert.ok((await teamLead.textContent()).includes(words), `${email}: label says ${words}`);
    assert.equal(await page.locator('svg.ladder .ladder-current').getAttribute('data-role'), 'CSR');
    const card = page.locator('article.option-card[data-role="TEAM_LEAD"]');
    if (status === 'NOT_YET') {
      assert.match(await card.locator('.countdown').textContent(), /days? to go/);
    }
    if (status === 'INELIGIBLE') {
      assert.ok(await card.locator('.checklist li.missing').count() > 0, 'the gaps are listed');
    }
    await shot(page, name);
    await page.context().close();
  }
});

test('a CSR with gaps sees a dated plan naming the course session', async () => {
  const page = await newPage();
  await signIn(page, 'nao.fujii@rungs.example');
  const card = page.locator('article.option-card[data-role="TEAM_LEAD"]');
  await card.locator('section.plan').waitFor();
  const skills = card.locator('.checklist li.missing', { hasText: 'Skills' });
  assert.match(await skills.textContent(), /needs Coaching 3 \(manager rates 2/);
  const plan = await card.locator('section.plan').textContent();
  assert.match(plan, /take Bar Raiser: the session starting \d{1,2} [A-Z][a-z]{2} \d{4} \(4 seats left\)/);
  assert.match(plan, /Eligible from /);
  // The step says which requirements it closes.
  assert.match(plan, /Closes: .*Certifications.*Skills/);
  await shot(page, '05b-progression-plan');

  // Nao enrols in the Bar Raiser session from her Team Lead plan.
  await card.getByRole('button', { name: 'Enrol in Bar Raiser' }).click();
  await page.locator('.toast', { hasText: 'You are enrolled in Bar Raiser' }).waitFor();
  await card.locator('section.plan', { hasText: 'Enrolled' }).waitFor();
  assert.equal(await card.getByRole('button', { name: /Enrol in/ }).count(), 0, 'no second enrolment offered');
  await shot(page, '05c-progression-enrolled');
  await page.context().close();
});

test('a part-time CSR paid by the hour sees the rate and what it is a year full time', async () => {
  const page = await newPage();
  await signIn(page, 'riku.nakamura@rungs.example');
  const salary = page.locator('dl.facts .fact', { hasText: 'Salary' });
  await salary.waitFor();
  const text = await salary.textContent();
  assert.match(text, /¥220 an hour/);
  assert.match(text, /half time · ¥457,600 a year full time · compa-ratio 0\.95/);
  await shot(page, '05d-progression-hourly');
  await page.context().close();
});

test('the progression page reads at a phone width', async () => {
  const page = await newPage(PHONE);
  await signIn(page, 'yui.sato@rungs.example');
  await option(page, 'TEAM_LEAD').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (overflow ${overflow}px)`);
  await shot(page, '06-progression-phone', false);
  await page.getByRole('link', { name: 'My progression' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await shot(page, '06-progression-phone-focus', false);
  await page.context().close();
});

test('a manager nominates, HR approves, and the employee page updates live', async () => {
  // The employee's page stays open throughout.
  const yui = await newPage();
  await signIn(yui, 'yui.sato@rungs.example');
  await option(yui, 'TEAM_LEAD').waitFor();
  // Her next step is on the first screen: whom to talk to, about what.
  const next = yui.locator('[data-testid="next-step"]');
  assert.match(await next.textContent(), /You can be nominated for .*Talk to Daichi Okada/s);
  // Measured in one step in the page: the panel is drawn again when the
  // plans arrive, which would detach a handle taken before.
  const box = await next.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { y: r.y + window.scrollY, height: r.height };
  });
  assert.ok(box.y + box.height <= LAPTOP.height, `the next step is on the first screen (${JSON.stringify(box)})`);
  await waitLive(yui);
  await yui.evaluate(() => { window.stillTheSamePage = true; });

  // The manager: team page, a refused nomination, a good one, a conflict.
  const manager = await newPage();
  await signIn(manager, 'daichi.okada@rungs.example');
  await manager.getByRole('link', { name: 'My team' }).click();
  const row = manager.locator('tr[data-status]', { hasText: 'Yui Sato' });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'ELIGIBLE');
  const hina = manager.locator('tr[data-status]', { hasText: 'Hina Watanabe' });
  assert.equal(await hina.getAttribute('data-status'), 'INELIGIBLE');
  assert.equal(await hina.getByRole('button', { name: /Nominate/ }).count(), 0, 'no Nominate for INELIGIBLE');
  // Why Hina cannot be nominated, without opening a dialog.
  await hina.getByRole('button', { name: 'Why: Hina Watanabe' }).click();
  const why = manager.locator('tr.row-detail');
  await why.waitFor();
  assert.match(await why.textContent(), /Team Lead: Steps to take — needs/);
  await waitLive(manager);
  await shot(manager, '07-team');

  await row.getByRole('button', { name: 'Nominate Yui Sato' }).click();
  const dialog = manager.getByRole('dialog');
  // A role she is not eligible for cannot be chosen, and says why.
  const qa = dialog.locator('option[value="QUALITY_ANALYST"]');
  assert.equal(await qa.isDisabled(), true, 'an ineligible role is disabled');
  assert.match(await qa.textContent(), /Six Sigma/);
  await dialog.getByLabel('Why this person is ready').fill('Consistently top CSAT and coaches new hires.');
  await shot(manager, '08-nominate-dialog');
  await dialog.getByLabel('Target role').selectOption('TEAM_LEAD');
  await dialog.getByRole('button', { name: 'Nominate' }).click();
  await dialog.waitFor({ state: 'detached' });
  const open = manager.locator('[data-testid="open-nominations"] li', { hasText: 'Yui Sato' });
  await open.waitFor();
  // Her row now says so, with the way back; no second Nominate.
  await row.getByRole('button', { name: 'Withdraw the nomination of Yui Sato' }).waitFor();
  assert.equal(await row.getByRole('button', { name: 'Nominate Yui Sato' }).count(), 0);
  assert.match(await row.textContent(), /Nominated: Team Lead/);
  await shot(manager, '09-team-nominated');

  // The employee sees the tracker move, without reloading.
  await yui.locator('[data-testid="my-nominations"] li[data-status="PENDING"]').waitFor();
  await next.locator('.tracker li[data-state="current"]', { hasText: 'HR review' }).waitFor();
  assert.match(await next.textContent(), /You are nominated for Team Lead/);
  await shot(yui, '09b-progression-nominated');

  // HR approves with a raise from the dashboard's queue.
  const hr = await newPage();
  await signIn(hr, 'hr@rungs.example');
  await hr.getByRole('link', { name: 'Dashboard' }).click();
  const item = hr.locator('[data-testid="queue"] li.queue-item', { hasText: 'Yui Sato' });
  await item.waitFor();
  await hr.locator('figure.chart').first().waitFor();
  // HR reads the gender pay gap of the demo organisation.
  const gap = hr.locator('[data-testid="pay-gap"] tbody tr', { hasText: 'Customer Service Representative' });
  await gap.waitFor();
  assert.match(await gap.textContent(), /JPJPY\d+\d+-?\d+\.\d%/);
  await shot(hr, '10-dashboard-hr');
  // The decision panel: evidence, the new pay as the raise changes, then a
  // confirmation step.
  await item.getByRole('button', { name: 'Review and decide: Yui Sato' }).click();
  const preview = item.locator('[data-testid="pay-preview"]');
  await preview.filter({ hasText: 'New pay' }).waitFor();
  await item.getByLabel(/Raise/).fill('25');
  await preview.filter({ hasText: '+25%' }).waitFor();
  assert.match(await preview.textContent(), /compa-ratio after \d\.\d\d/);
  assert.match(await item.locator('.evidence').textContent(), /Time in role/);
  await shot(hr, '10b-dashboard-decision');
  await item.getByRole('button', { name: 'Approve Yui Sato…' }).click();
  const confirm = item.getByRole('group', { name: 'Confirm the approval' });
  assert.match(await confirm.textContent(), /Promote Yui Sato to Team Lead at .*\(\+25%\)/);
  await confirm.getByRole('button', { name: 'Confirm approval' }).click();
  await hr.locator('[data-testid="queue"]', { hasText: 'No nominations are waiting' }).waitFor();
  await hr.locator('[data-testid="decisions"] li[data-status="APPROVED"]', { hasText: 'Yui Sato' }).waitFor();

  // Yui's open page: promoted, live.
  await yui.locator('svg.ladder .ladder-current[data-role="TEAM_LEAD"]').waitFor({ timeout: 15000 });
  const approved = yui.locator('[data-testid="my-nominations"] li[data-status="APPROVED"]');
  await approved.waitFor();
  assert.match(await approved.textContent(), /\+25%/, 'the raise HR chose');
  // The news is at the top of her page, and the raise is in her pay history.
  assert.match(await next.textContent(), /Congratulations: you are now Team Lead/);
  assert.match(await yui.locator('[data-testid="pay-history"]').textContent(), /Promotion from .*¥470,000 → ¥587,500/);
  // Team Lead is a leadership band: a bonus target and equity came with it.
  assert.match(await yui.locator('[data-testid="my-pay"]').textContent(), /Bonus target: 10% of your pay/);
  assert.match(await yui.locator('[data-testid="equity"]').textContent(), /500 equity units granted .*: 0 vested so far, all of them over 48 months \(nothing before 12 months\)/);
  assert.equal(await yui.evaluate(() => window.stillTheSamePage), true, 'updated without a reload');
  assert.match(await yui.locator('#who').textContent(), /Team Lead/);
  await shot(yui, '11-progression-after-approval-live');

  // The manager's open team page dropped the open nomination, live too.
  await manager.locator('[data-testid="open-nominations"]', { hasText: 'No open nominations' }).waitFor();
  // The decision stays in the manager's Decided tab.
  await manager.getByRole('tab', { name: 'Decided' }).click();
  await manager.locator('[data-testid="decided-nominations"] li[data-status="APPROVED"]', { hasText: 'Yui Sato' }).waitFor();
  await shot(manager, '12-team-after-approval-live');
  await shot(hr, '13-dashboard-after-approval');

  for (const page of [yui, manager, hr]) await page.context().close();
});

test('a manager proposes a raise, HR approves it, and it shows in My pay', async () => {
  const manager = await newPage();
  await signIn(manager, 'daichi.okada@rungs.example');
  await manager.getByRole('link', { name: 'My team' }).click();
  await manager.getByRole('button', { name: 'Propose a pay change for Mio Yamamoto' }).click();
  const dialog = manager.getByRole('dialog');
  const amount = dialog.getByLabel(/New pay/);
  const now = Number(await amount.inputValue());
  await amount.fill(String(now + 1000));
  await dialog.getByLabel('Why (HR and the person read it)').fill('Mentored two new joiners this quarter.');
  await shot(manager, '19-pay-propose');
  await dialog.getByRole('button', { name: 'Propose' }).click();
  await dialog.waitFor({ state: 'detached' });
  await manager.locator('.toast', { hasText: 'HR decides next' }).waitFor();

  const hr = await newPage();
  await signIn(hr, 'hr@rungs.example');
  await hr.getByRole('link', { name: 'Dashboard' }).click();
  const item = hr.locator('[data-testid="pay-queue"] li.queue-item', { hasText: 'Mio Yamamoto' });
  await item.waitFor();
  await shot(hr, '20-pay-queue');
  await item.getByRole('button', { name: "Approve Mio Yamamoto's new pay…" }).click();
  const confirm = item.getByRole('group', { name: 'Confirm the pay change' });
  assert.match(await confirm.textContent(), /Pay Mio Yamamoto/);
  await confirm.getByRole('button', { name: 'Confirm new pay' }).click();
  await hr.locator('.toast', { hasText: 'Approved: Mio Yamamoto' }).waitFor();
  await item.waitFor({ state: 'detached' });

  const mio = await newPage();
  await signIn(mio, 'mio.yamamoto@rungs.example');
  const pay = mio.locator('[data-testid="pay-history"]');
  await pay.waitFor();
  assert.match(await pay.textContent(), /Merit raise/);
  await shot(mio, '21-my-pay');
  for (const page of [manager, hr, mio]) await page.context().close();
});

test('a manager proposes a merit raise within the guideline and HR follows the cycle', async () => {
  const manager = await newPage();
  await signIn(manager, 'daichi.okada@rungs.example');
  await manager.getByRole('link', { name: 'My team' }).click();
  await manager.getByRole('button', { name: 'Propose a merit raise for Mio Yamamoto' }).click();
  const dialog = manager.getByRole('dialog');
  const guide = dialog.locator('[data-testid="merit-guideline"]');
  await guide.filter({ hasNotText: 'Reading' }).waitFor();
  assert.match(await guide.textContent(), /Guideline: [\d.]+% to [\d.]+% \(rating \d\.\d\d, pay in quarter [1-4] of the band\)|No guideline applies/);
  const percent = dialog.getByLabel('Raise (%)');
  if (!(await percent.inputValue())) {
    await percent.fill('2');
    await dialog.getByLabel(/Why/).fill('Steady quarter, new in the role.');
  }
  await shot(manager, '21b-merit-propose');
  await dialog.getByRole('button', { name: 'Propose' }).click();
  await dialog.waitFor({ state: 'detached' });
  await manager.locator('.toast', { hasText: 'HR applies it when the cycle closes' }).waitFor();

  const hr = await newPage();
  await signIn(hr, 'hr@rungs.example');
  await hr.getByRole('link', { name: 'Dashboard' }).click();
  const cycle = hr.locator('[data-testid="merit"] .merit-cycle', { hasText: '2027 merit review' });
  await cycle.waitFor();
  assert.match(await cycle.textContent(), /open, from .* budget 3% of payroll; \d+ raises? proposed/);
  assert.ok(await cycle.locator('tbody tr').count() >= 1, 'a budget per site');
  await shot(hr, '21c-merit-progress');
  for (const page of [manager, hr]) await page.context().close();
});

test('a manager sees the dashboard for their chain, read-only queue', async () => {
  const page = await newPage();
  await signIn(page, 'ops.tokyo@rungs.example');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('figure.chart').first().waitFor();
  assert.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0);
  await shot(page, '14-dashboard-manager');
  await page.context().close();
});

test('HR follows a dashboard figure to the people behind it', async () => {
  const page = await newPage();
  await signIn(page, 'hr@rungs.example');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('figure.chart').first().waitFor();
  const drill = page.locator('details.drill').first();
  await drill.locator('summary').click();
  const link = drill.getByRole('link', { name: /^\d+ eligible$/ }).first();
  const figure = Number((await link.textContent()).split(' ')[0]);
  await link.click();
  await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
  await page.locator('[data-testid="people"] p[role="status"]', { hasText: 'match' }).waitFor();
  assert.match(await page.locator('[data-testid="people"] p[role="status"]').textContent(), new RegExp(`^${figure} (person|people) match`));
  const rows = page.locator('[data-testid="people"] tbody tr');
  assert.equal(await rows.count(), Math.min(figure, 50));
  for (const badge of await page.locator('[data-testid="people"] tbody .badge[data-status]').all()) {
    assert.equal(await badge.getAttribute('data-status'), 'ELIGIBLE');
  }
  await shot(page, '17-people-drill-down');
  await page.setViewportSize(PHONE);
  await shot(page, '18-people-phone', false);
  await page.context().close();
});

test('the team page and the dashboard read at a phone width', async () => {
  const page = await newPage(PHONE);
  await signIn(page, 'ops.tokyo@rungs.example');
  await page.getByRole('link', { name: 'My team' }).click();
  await page.locator('table.team-table tbody tr').first().waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(await overflow() <= 1, 'team: no horizontal scrolling');
  await shot(page, '15-team-phone', false);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('figure.chart').first().waitFor();
  assert.ok(await overflow() <= 1, 'dashboard: no horizontal scrolling');
  await shot(page, '16-dashboard-phone');
  await page.context().close();
});

/** The value of one fact of My progression ("Service", "Manager", ...). */
function fact(page, label) {
  return page.locator('.fact').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
}

test('a CSR in Osaka applies for a Team Lead seat in Tokyo, is offered it and moves, keeping her service', async () => {
  const koharu = await newPage();
  await signIn(koharu, 'koharu.yoshida@rungs.example');
  await koharu.locator('.facts').waitFor();
  const service = await fact(koharu, 'Service').textContent();
  await koharu.getByRole('link', { name: 'Openings' }).click();
  const seat = koharu.locator('[data-testid="opening"]', { hasText: 'Team Lead, Tokyo' });
  await seat.waitFor();
  assert.match(await seat.textContent(), /Eligible/);
  const form = seat.getByRole('form', { name: 'Apply for Team Lead, Tokyo' });
  await form.getByLabel('Why you (the hiring manager reads it)').fill('I have coached new joiners in Osaka for a year.');
  await shot(koharu, '30-openings');
  await form.getByRole('button', { name: 'Send application' }).click();
  await koharu.locator('.toast', { hasText: 'Applied: Team Lead, Tokyo' }).waitFor();

  const takeshi = await newPage();
  await signIn(takeshi, 'ops.tokyo@rungs.example');
  await takeshi.getByRole('link', { name: 'Openings' }).click();
  const applicant = takeshi.locator('[data-testid="applicant"]', { hasText: 'Koharu Yoshida' });
  await applicant.waitFor();
  await shot(takeshi, '31-applicants');
  await applicant.getByRole('button', { name: 'Shortlist Koharu Yoshida' }).click();
  await takeshi.locator('.toast', { hasText: 'Shortlisted: Koharu Yoshida' }).waitFor();
  await takeshi.locator('[data-testid="applicant"]', { hasText: 'Koharu Yoshida' })
    .getByRole('button', { name: 'Offer the seat to Koharu Yoshida' }).click();
  await takeshi.locator('.toast', { hasText: 'Offered: Koharu Yoshida' }).waitFor();

  await koharu.reload();
  const accept = koharu.getByRole('button', { name: 'Accept the offer for Team Lead, Tokyo' });
  await accept.waitFor();
  await accept.click();
  await koharu.locator('.toast', { hasText: 'You accepted: Team Lead, Tokyo' }).waitFor();

  await koharu.getByRole('link', { name: 'My progression' }).click();
  const lead = koharu.locator('p.lead');
  await lead.waitFor();
  assert.match(await lead.textContent(), /Koharu Yoshida · Team Lead · Tokyo/);
  assert.equal(await fact(koharu, 'Service').textContent(), service);
  assert.match(await fact(koharu, 'Manager').textContent(), /Takeshi Ogawa/);
  assert.match(await fact(koharu, 'Time in role').textContent(), /0 months/);
  await shot(koharu, '32-moved');
  for (const page of [koharu, takeshi]) await page.context().close();
});

test('HR sees the bench, the slates and the 9-box, and changes a successor\'s readiness', async () => {
  const naomi = await newPage();
  await signIn(naomi, 'hr@rungs.example');
  await naomi.getByRole('link', { name: 'Succession' }).click();
  await naomi.locator('[data-testid="bench"]').waitFor();
  await naomi.getByRole('button', { name: 'Open Tokyo' }).click();
  const riku = naomi.locator('[data-testid="successor"]', { hasText: 'Riku Nakamura' });
  await riku.waitFor();
  assert.match(await riku.textContent(), /Ready now · confirmed by Takeshi Ogawa/);
  await naomi.locator('[data-testid="nine-box"]').waitFor();
  await riku.getByLabel('Readiness of Riku Nakamura for Team Lead').selectOption('ONE_TO_TWO_YEARS');
  await riku.getByRole('button', { name: 'Save' }).click();
  await naomi.locator('.toast', { hasText: 'Riku Nakamura: 1–2 years for Team Lead' }).waitFor();
  const after = naomi.locator('[data-testid="successor"]', { hasText: 'Riku Nakamura' });
  await after.filter({ hasText: '1–2 years · confirmed by Naomi' }).waitFor();
  // Last: a screenshot resizes the page, which redraws it.
  await shot(naomi, '33-succession');
  await naomi.context().close();
});

test('no page logged an error or broke its Content-Security-Policy', () => {
  assert.deepEqual(problems, []);
});
