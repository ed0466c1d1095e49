// Drives Debian's chromium through the shopcare console against the demo data:
// the owner signs in and sees every shop, ticks a checklist item, filters one shop's
// negative reviews, sends a compliant reply, sees a non-compliant one blocked (live and
// by the server) with the finding highlighted, acts on an after-sales case, opens the
// scorecard chart and logs out; an operator signs in and cannot reach a shop not
// assigned to them. Screenshots go to
// $SHOPCARE_ARTIFACTS (default: <workspace>/artifacts/console).
//
// Needs: SHOPCARE_BIN (the shopcare binary), /usr/bin/chromium, `npm ci` run here.

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.SHOPCARE_BIN ?? resolve(here, '../../../../target/debug/shopcare');
const artifacts = process.env.SHOPCARE_ARTIFACTS ?? resolve(here, '../../../../artifacts/console');
const ownerPassword = 'browser-owner-pass-1';
const operatorPassword = 'browser-operator-pass-2';

mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'shopcare-browser-'));
const db = `sqlite://${join(work, 'store.db')}`;

/** Starts the demo server and resolves with its base URL once it serves. */
function startDemo() {
  const child = spawn(binary, ['demo', '--db', db, '--listen', '127.0.0.1:0', '--shops', '3', '--orders', '2000'], {
    cwd: work,
    env: { RUST_LOG: 'error', ...process.env, SHOPCARE_DEMO_PASSWORD: ownerPassword },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/serving on (http:\/\/\S+)/);
      if (match) resolvePromise({ child, base: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`demo exited with ${code} before serving:\n${output}`)));
  });
}

function shopcare(args, input) {
  return execFileSync(binary, args, { input, encoding: 'utf8', cwd: work });
}

async function signIn(page, base, username, password) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/, 'anonymous visitors land on the sign-in page');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

async function logOut(page, base) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${base}/login`);
}

const { child, base } = await startDemo();
const browser = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
let failed = false;
try {
  const shops = JSON.parse(shopcare(['shops', 'list', '--db', db, '--json']));
  assert.ok(shops.length >= 2, 'the demo has several shops');
  const [mine, other] = shops;
  shopcare(['user', 'add', 'operator', '--role', 'operator', '--shops', mine.id, '--password-stdin', '--db', db],
    `${operatorPassword}\n`);

  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(`${base}/login`);
  await page.screenshot({ path: join(artifacts, '01-login.png') });

  // Owner: every shop on the overview.
  await signIn(page, base, 'owner', ownerPassword);
  for (const shop of shops) {
    await page.getByRole('heading', { name: shop.name }).waitFor();
  }
  await page.screenshot({ path: join(artifacts, '02-owner-overview-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, '03-owner-overview-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Keyboard: the first Tab reaches the skip link.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');

  // The daily checklist: tick the first item.
  await page.goto(`${base}/shops/${other.id}/checklist`);
  await page.getByRole('button', { name: 'Mark done' }).first().click();
  await page.getByText('done by owner').waitFor();
  await page.screenshot({ path: join(artifacts, '04-checklist.png'), fullPage: true });

  // Review inbox: the negatives of one shop (the first shop that has any).
  let inboxShop = null;
  for (const shop of shops) {
    await page.goto(`${base}/shops/${shop.id}/reviews`);
    await page.locator('select[name="stars"]').selectOption('negative');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/stars=negative/);
    if (await page.locator('details.editor').count() >= 2) { inboxShop = shop; break; }
  }
  assert.ok(inboxShop, 'some shop has at least two unreplied negative reviews');
  const starLabels = await page.locator('article.review header strong').allTextContents();
  assert.ok(starLabels.every((stars) => stars.startsWith('★☆☆') || stars.startsWith('★★☆')), 'only 1–2★ shown');
  await page.screenshot({ path: join(artifacts, '07-inbox-negatives.png'), fullPage: false });

  // A compliant reply: the live check passes, the reply is sent.
  const compliant = 'We are sorry about this. Please message us in the TikTok Shop chat and we will sort it out.';
  let editor = page.locator('details.editor').first();
  await editor.locator('summary').click();
  await editor.locator('textarea').fill(compliant);
  await editor.locator('form.reply[data-checked="ok"]').waitFor();
  assert.equal(await editor.locator('button.send').isEnabled(), true);
  await editor.locator('button.send').click();
  await page.waitForURL(/sent=/);
  await page.getByText('passed the compliance check').waitFor();

  // A non-compliant reply: blocked live with the finding highlighted ...
  const offending = 'Sorry! Change your review to 5 stars and we send a voucher, WhatsApp me at +62 812 3456 7890';
  editor = page.locator('details.editor').first();
  await editor.locator('summary').click();
  await editor.locator('textarea').fill(offending);
  await editor.locator('form.reply[data-checked="blocked"]').waitFor();
  assert.equal(await editor.locator('button.send').isDisabled(), true, 'a blocked reply cannot be sent');
  const marked = await editor.locator('.preview mark.finding').allTextContents();
  assert.ok(marked.length > 0 && marked.every((text) => offending.includes(text)), `highlights: ${marked}`);
  await editor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, '08-reply-blocked-live.png') });
  // ... and by the server too, even when the browser's check is bypassed.
  await editor.locator('form.reply').evaluate((form) => form.submit());
  await page.getByRole('heading', { name: 'Reply blocked' }).waitFor();
  assert.ok(await page.locator('.preview mark.finding').count() > 0);
  await page.screenshot({ path: join(artifacts, '09-reply-blocked-server.png'), fullPage: true });

  // After-sales: approve the first case that can be approved, in any shop.
  await page.goto(`${base}/cases`);
  await page.locator('[data-due]').first().waitFor();
  const firstClock = await page.locator('[data-due]').first().textContent();
  assert.match(firstClock, /left|overdue/);
  await page.screenshot({ path: join(artifacts, '10-cases-all-shops.png') });
  await page.getByRole('button', { name: 'Approve', exact: true }).first().click();
  await page.getByText(/Action on case \S+ queued/).waitFor();
  await page.screenshot({ path: join(artifacts, '11-case-approved.png') });

  // Scorecard: the SNRR chart of the inbox shop.
  await page.goto(`${base}/shops/${inboxShop.id}/scorecard`);
  const chart = page.locator('svg.chart[data-metric="snrr"]');
  await chart.waitFor();
  assert.ok(await chart.locator('circle').count() > 0, 'the SNRR chart has points');
  await page.screenshot({ path: join(artifacts, '12-scorecard-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/shops/${inboxShop.id}/reviews?stars=negative`);
  await page.screenshot({ path: join(artifacts, '13-inbox-phone.png'), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });
  await logOut(page, base);

  // Operator: only the assigned shop, and the other one is out of reach.
  await signIn(page, base, 'operator', operatorPassword);
  await page.getByRole('heading', { name: mine.name }).waitFor();
  assert.equal(await page.getByRole('heading', { name: other.name }).count(), 0, 'other shop hidden');
  await page.screenshot({ path: join(artifacts, '05-operator-overview.png'), fullPage: true });
  const response = await page.goto(`${base}/shops/${other.id}`);
  assert.equal(response.status(), 404, 'an operator cannot open another shop');
  assert.equal(await page.getByText(other.name).count(), 0);
  for (const path of ['reviews', 'cases', 'scorecard']) {
    const denied = await page.goto(`${base}/shops/${other.id}/${path}`);
    assert.equal(denied.status(), 404, `an operator cannot open another shop's ${path}`);
  }
  await page.screenshot({ path: join(artifacts, '06-operator-denied.png') });
  console.log(`browser checks passed; screenshots in ${artifacts}`);
} catch (error) {
  failed = true;
  console.error(error);
  const open = browser.pages()[0];
  if (open) await open.screenshot({ path: join(artifacts, 'failure.png'), fullPage: true });
} finally {
  await browser.close();
  child.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
