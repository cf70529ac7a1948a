// End-to-end test of the pages in a real browser (Debian's chromium through playwright-core; no browser download).
// Started by tests/Habitat.Server.Tests/Pages/BrowserEndToEndTests.cs, which runs the server on 127.0.0.1 with a
// temporary data folder and passes: HABITAT_URL, HABITAT_CHROMIUM, HABITAT_STUDY_DIR (T1c/FLAIR/habitat .nii.gz),
// HABITAT_MODEL_JSON, HABITAT_SCREENSHOTS, and the users' names and password. Exit code 0 = every check passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodePng } from './png.mjs';

const env = process.env;
const base = env.HABITAT_URL, password = env.HABITAT_PASSWORD;
const checks = [];
function check(condition, what) {
  if (!condition) throw new Error('FAILED: ' + what);
  checks.push(what);
  console.log('ok - ' + what);
}
const percent = p => (100 * p).toFixed(1) + '%';

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'habitat-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: env.HABITAT_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  acceptDownloads: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const requests = [], pageErrors = [];
context.on('request', r => requests.push(r.url()));
const page = context.pages()[0] ?? await context.newPage();
page.on('pageerror', e => pageErrors.push(e.message));
// Refused requests the test provokes on purpose (wrong password, forbidden pages) are logged by the browser as 'Failed to load resource'.
page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push('console: ' + m.text()); });
page.on('response', r => { if (r.status() >= 500) pageErrors.push(`HTTP ${r.status()} from ${r.url()}`); });
page.setDefaultTimeout(30000);

async function signIn(name, pass = password) {
  await page.goto(base + '/signin');
  await page.fill('#name', name);
  await page.fill('#password', pass);
  await page.click('#signin-button');
}

async function signOut() {
  await page.click('#sign-out');
  await page.waitForURL(u => u.pathname === '/signin');
}

/** Pixels of a canvas screenshot: grey (brain) and saturated (overlay) counts by hue. */
async function canvasPixels(selector) {
  const png = decodePng(await page.locator(selector).screenshot());
  let grey = 0, coloured = 0, red = 0, green = 0, yellow = 0;
  for (let n = 0; n < png.width * png.height; n++) {
    const r = png.pixels[n * png.channels], g = png.pixels[n * png.channels + 1], b = png.pixels[n * png.channels + 2];
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    if (max - min < 12 && max > 40) grey++;
    if (max - min > 60) {
      coloured++;
      if (r > g + 50 && r > b + 50) red++;
      else if (g > r + 50 && g > b + 50) green++;
      else if (r > b + 60 && g > b + 60 && Math.abs(r - g) < 60) yellow++;
    }
  }
  return { png, grey, coloured, red, green, yellow };
}

try {
  // Signed out: pages lead to the sign-in page; a wrong password says so.
  await page.goto(base + '/worklist');
  check(new URL(page.url()).pathname === '/signin', 'signed out, /worklist redirects to the sign-in page');
  await signIn(env.HABITAT_ADMIN, 'not the password');
  await page.waitForSelector('#message.error');
  check((await page.textContent('#message')).includes('Wrong user name or password'), 'a wrong password gives a clear error message');

  // Admin installs the model through the models page.
  await signIn(env.HABITAT_ADMIN);
  await page.waitForURL(u => u.pathname === '/worklist');
  await page.goto(base + '/models');
  await page.fill('#model-name', 'Synthetic demo (e2e)');
  await page.setInputFiles('#model-file', env.HABITAT_MODEL_JSON);
  await page.check('#model-synthetic');
  await page.click('#model-form button[type=submit]');
  await page.waitForSelector('section[data-model] dl.model-card dt');
  const card = await page.textContent('section[data-model] dl.model-card');
  check(card.includes('cross-validated AUC') && card.includes('training cohort') && card.includes('intended use'), 'models page: uploaded bundle shows its model card (cohort, CV AUC, intended use)');
  await signOut();
  await page.goto(base + '/worklist');
  check(new URL(page.url()).pathname === '/signin', 'after sign-out the worklist is closed again');

  // Clinician uploads the synthetic study.
  await signIn(env.HABITAT_CLINICIAN);
  await page.waitForURL(u => u.pathname === '/worklist');
  await page.goto(base + '/upload');
  await page.fill('#patient', 'E2E-0001');
  await page.fill('#studyDate', '2026-11-20');
  await page.fill('#description', 'synthetic follow-up');
  const dir = env.HABITAT_STUDY_DIR;
  await page.setInputFiles('#files', ['T1c.nii.gz', 'FLAIR.nii.gz', 'habitat.nii.gz'].map(f => path.join(dir, f)));
  await page.waitForSelector('#role-2');
  const suggested = await page.$$eval('#file-roles select', s => s.map(x => x.value));
  check(JSON.stringify(suggested) === JSON.stringify(['T1c', 'FLAIR', 'label_map']), `upload suggests roles from file names (${suggested.join(', ')})`);
  await page.click('#upload-button');
  await page.waitForURL(u => u.pathname.startsWith('/studies/'), { timeout: 60000 });
  const studyId = new URL(page.url()).pathname.split('/')[2];

  // Study view: viewer up, run the analysis, follow it live, read the result.
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  await page.waitForTimeout(500);
  const before = await canvasPixels('#canvas-T1c');
  check(before.grey > 2000, `viewer shows the brain (${before.grey} grey pixels)`);
  check(before.coloured > 100 && before.green > 0 && (before.yellow > 0 || before.red > 0),
    `viewer shows the coloured habitat overlay (${before.coloured} coloured: ${before.yellow} enhancing, ${before.red} necrotic, ${before.green} oedema)`);
  // Record every progress text the page shows (the analysis can be quick: polling could miss it).
  await page.evaluate(() => {
    window.habitatStages = [];
    new MutationObserver(() => window.habitatStages.push(document.getElementById('stage').textContent))
      .observe(document.getElementById('stage'), { childList: true, characterData: true, subtree: true });
  });
  await page.click('#analyse');
  await page.waitForSelector('#result:not([hidden]), #failed:not([hidden])', { timeout: 120000 });
  if (await page.isVisible('#failed')) throw new Error('analysis failed: ' + await page.textContent('#failed'));
  const stages = await page.evaluate(() => window.habitatStages);
  check(stages.length >= 1, `progress shown from the moment the analysis starts (${[...new Set(stages)].join(' | ')})`);
  const shownValue = await page.getAttribute('#probability', 'data-value'), shownText = await page.textContent('#probability');
  const analysisId = new URL(await page.getAttribute('#report-link', 'href'), base).pathname.split('/')[2];
  const fromApi = await (await page.request.get(`${base}/api/analyses/${analysisId}`)).json();
  const p = fromApi.analysis.probability;
  check(Number(shownValue) === p && shownText === percent(p), `probability shown (${shownText}, ${shownValue}) equals the API's (${p})`);
  check((await page.textContent('#class')) === fromApi.analysis.predictedClass, `class shown equals the API's (${fromApi.analysis.predictedClass})`);
  const contributions = await page.$$eval('#contributions li', l => l.map(x => x.textContent));
  check(contributions.length > 0 && contributions.every(c => /raises|lowers/.test(c)), `top contributions in plain words with direction (${contributions.length}, e.g. "${contributions[0]}")`);
  check((await page.textContent('#volumes')).includes('mL') && (await page.textContent('#model-card')).includes('cross-validated AUC'), 'volumes and model card shown beside the viewer');

  // Heat map toggles pixels; keyboard moves the slice.
  await page.waitForTimeout(300);
  const labelsOnly = await canvasPixels('#canvas-T1c');
  await page.check('#show-heat');
  await page.waitForTimeout(500);
  const withHeat = await canvasPixels('#canvas-T1c');
  let changed = 0;
  for (let n = 0; n < withHeat.png.pixels.length; n += withHeat.png.channels)
    if (Math.abs(withHeat.png.pixels[n] - labelsOnly.png.pixels[n]) + Math.abs(withHeat.png.pixels[n + 1] - labelsOnly.png.pixels[n + 1]) + Math.abs(withHeat.png.pixels[n + 2] - labelsOnly.png.pixels[n + 2]) > 30) changed++;
  check(changed > 50, `heat map toggled on changes ${changed} pixels of the viewer`);
  await page.screenshot({ path: path.join(env.HABITAT_SCREENSHOTS, 'study.png') });
  const where = await page.textContent('#location');
  await page.locator('h1').click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(300);
  check((await page.textContent('#location')) !== where, `arrow keys move the slice (${where} → ${await page.textContent('#location')})`);

  // PDF report.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pdf-link')]);
  const pdf = fs.readFileSync(await download.path());
  fs.writeFileSync(path.join(os.tmpdir(), 'habitat-e2e-report.pdf'), pdf); // kept for inspection
  check(pdf.subarray(0, 5).toString('latin1') === '%PDF-', `PDF downloaded (${pdf.length} bytes)`);
  const text = pdfText(pdf);
  check(text.includes(percent(p)), `PDF shows the probability ${percent(p)}`);
  check(/\/Subtype\s*\/Image/.test(pdf.toString('latin1')), 'PDF holds an image (representative slice)');
  check(text.includes('not a diagnosis'), 'PDF states the intended use (not a diagnosis)');

  // HTML report page.
  await page.goto(`${base}/analyses/${analysisId}/report`);
  check((await page.textContent('#probability')).includes(`${Math.round(100 * p)}%`), `report page shows the probability (${Math.round(100 * p)}%)`);
  const images = await page.$$eval('img', l => l.map(i => i.naturalWidth));
  check(images.length >= 2 && images.every(w => w > 0), `report page shows ${images.length} rendered slices`);
  check((await page.textContent('#intended-use')).includes('not a diagnosis'), 'report page states the intended use');
  await page.screenshot({ path: path.join(env.HABITAT_SCREENSHOTS, 'report.png'), fullPage: true });

  // Worklist: the study with its result; search and sort.
  await page.goto(base + '/worklist');
  await page.waitForSelector(`tr[data-study="${studyId}"]`);
  const row = await page.textContent(`tr[data-study="${studyId}"]`);
  check(row.includes('E2E-0001') && row.includes('done') && row.includes(percent(p)), `worklist row shows pseudonym, status and result (${row.replace(/\s+/g, ' ')})`);
  await page.fill('#search', 'no such patient');
  check((await page.$$('#worklist tbody tr')).length === 0, 'worklist search filters rows');
  await page.fill('#search', 'E2E');
  await page.click('th[data-key=patient] button');
  check((await page.getAttribute('th[data-key=patient]', 'aria-sort')) === 'ascending', 'worklist sorts by a column');
  await page.screenshot({ path: path.join(env.HABITAT_SCREENSHOTS, 'worklist.png') });

  // A clinician cannot reach the models or audit pages.
  for (const p of ['/models', '/audit']) {
    const response = await page.goto(base + p);
    check(response.status() === 403 && (await page.textContent('main')).includes('Not allowed'), `clinician gets 403 on ${p}`);
  }
  check((await page.request.get(base + '/api/audit')).status() === 403, 'clinician gets 403 from /api/audit');
  await page.goto(base + '/worklist');
  check(!(await page.textContent('#nav')).includes('Audit'), 'clinician navigation has no models/audit links');
  await signOut();

  // Admin reads the audit log.
  await signIn(env.HABITAT_ADMIN);
  await page.waitForURL(u => u.pathname === '/worklist');
  await page.goto(base + '/audit');
  await page.waitForSelector('#audit tbody tr');
  const audit = await page.textContent('#audit tbody');
  check(audit.includes('analysis.started') && audit.includes('report.downloaded'), 'admin audit page lists the analysis and the report download');
  await signOut();

  const foreign = requests.filter(u => !u.startsWith(base + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
  check(foreign.length === 0, `nothing loaded from outside the server (${requests.length} requests${foreign.length ? ': ' + foreign.join(', ') : ''})`);
  check(pageErrors.length === 0, `no script errors in the pages${pageErrors.length ? ': ' + pageErrors.join(' | ') : ''}`);
  console.log(`PASSED ${checks.length} checks`);
} catch (e) {
  console.error(e.message);
  if (pageErrors.length) console.error('page errors: ' + pageErrors.join(' | '));
  try { await page.screenshot({ path: path.join(os.tmpdir(), 'habitat-e2e-failure.png') }); console.error('screenshot: ' + path.join(os.tmpdir(), 'habitat-e2e-failure.png')); } catch { /* closed */ }
  process.exitCode = 1;
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

/** The text of a PDF: literal strings of its content streams (inflated when compressed). */
function pdfText(buffer) {
  const source = buffer.toString('latin1');
  let text = '';
  const stream = /(?<!end)stream\r?\n/g;
  let m;
  while ((m = stream.exec(source))) {
    const start = m.index + m[0].length, end = source.indexOf('endstream', start);
    if (end < 0) break;
    let body = buffer.subarray(start, end);
    try { body = zlib.inflateSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH }); } catch { /* not compressed */ }
    const s = body.toString('latin1');
    for (const literal of s.matchAll(/\((?:\\.|[^\\)])*\)/g)) text += literal[0].slice(1, -1).replace(/\\(.)/g, '$1') + ' ';
    text += '\n';
    stream.lastIndex = end + 'endstream'.length;
  }
  return text;
}
