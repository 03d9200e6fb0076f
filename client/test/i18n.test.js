// Every interface string exists in en, ru and kk, and every key the code uses is defined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { strings, pick } from '../web/i18n.js';
import '../web/i18n-desk.js'; // the desk's strings join the table

test('every string has en, ru and kk', () => {
  for (const [key, row] of Object.entries(strings)) {
    assert.equal(row.length, 3, key);
    for (const s of row) assert.ok(typeof s === 'string' && s.trim() !== '', `${key}: empty translation`);
  }
});

test('every literal key used by the app is defined', () => {
  const dir = new URL('../web/', import.meta.url);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    for (const m of src.matchAll(/\bt\('([a-z_0-9]+)'/g)) assert.ok(m[1] in strings, `${f}: t('${m[1]}') is not defined`);
  }
  for (const prefix of ['ft_', 'lk_', 'vk_', 'vs_', 'rs_', 'rt_', 'band_', 'err_', 'persist_', 'lang_']) {
    assert.ok(Object.keys(strings).some((k) => k.startsWith(prefix)), prefix);
  }
});

test('the first language comes from the browser', () => {
  assert.equal(pick(['kk-KZ', 'ru']), 'kk');
  assert.equal(pick(['ru-RU']), 'ru');
  assert.equal(pick(['en-GB']), 'en');
  assert.equal(pick(['de-DE']), 'ru');
});

test('numbers and dates per language, Kazakh without locale data', async () => {
  const { formatNumber, formatDateTime } = await import('../web/i18n.js');
  const nb = '\u00a0';
  assert.equal(formatNumber(2000.5, 'kk'), `2${nb}000,5`);
  assert.equal(formatNumber(-1234567.125, 'kk'), `-1${nb}234${nb}567,13`);
  assert.equal(formatNumber(11.5, 'kk', true), '11,5');
  assert.equal(formatNumber(2000.5, 'kk', true), '2000,5');
  assert.equal(formatNumber(2000.5, 'ru'), `2${nb}000,5`);
  assert.equal(formatNumber(2000.5, 'en'), '2,000.5');
  assert.equal(formatNumber(NaN, 'kk'), '');
  assert.equal(formatNumber('3', 'kk'), '');
  const local = new Date(2026, 10, 29, 17, 44).toISOString();
  assert.equal(formatDateTime(local, 'kk'), '29.11.2026 17:44');
  assert.equal(formatDateTime(local, 'ru'), '29.11.2026 17:44');
  assert.equal(formatDateTime(local, 'kk', false), '29.11.2026');
  assert.equal(formatDateTime(local, 'en'), '29/11/2026 17:44');
  assert.equal(formatDateTime('not a date', 'kk'), '');
});

test('no string key is defined twice (the later one would silently win), in the app\'s table or the desk\'s', () => {
  const seen = new Set();
  for (const f of ['i18n.js', 'i18n-desk.js']) {
    const src = readFileSync(new URL(`../web/${f}`, import.meta.url), 'utf8');
    for (const m of src.matchAll(/^ {2}([a-z_0-9]+): \[/gm)) {
      assert.ok(!seen.has(m[1]), `${f} defines ${m[1]} again`);
      seen.add(m[1]);
    }
  }
  assert.ok(seen.size > 100);
});

test('the monitor\'s app gets no string only the desk uses: a key of i18n.js is used outside the desk', () => {
  const dir = new URL('../web/', import.meta.url);
  const desk = (f) => f.startsWith('coord') && f !== 'coord-format.js';
  const app = readdirSync(dir).filter((f) => f.endsWith('.js') && !f.startsWith('i18n') && !desk(f))
    .map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  const src = readFileSync(new URL('i18n.js', dir), 'utf8');
  const deskSrc = readdirSync(dir).filter(desk).map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  // Keys the app builds from a prefix (t(`err_${code}`), 'rf_' + code) are the app's.
  const built = [...app.matchAll(/`([a-z][a-z0-9_]*_)\$\{|'([a-z][a-z0-9_]*_)' *\+/g)].map((m) => m[1] || m[2]);
  const isApp = (k) => new RegExp(`['"\`]${k}['"\`]`).test(app) || built.some((p) => k.startsWith(p));
  for (const m of src.matchAll(/^ {2}([a-z_0-9]+): \[/gm)) {
    const k = m[1];
    if (isApp(k) || !new RegExp(`['"\`]${k}['"\`]`).test(deskSrc)) continue;
    assert.fail(`${k} is used by the desk only: it belongs in i18n-desk.js`);
  }
  // And the other way: the desk's table holds nothing the app uses (it would be missing on a phone).
  const desks = readFileSync(new URL('i18n-desk.js', dir), 'utf8');
  for (const m of desks.matchAll(/^ {2}([a-z_0-9]+): \[/gm)) {
    if (m[1].startsWith('xp_')) continue; // said by refusals.js's problemText, which only the desk calls
    assert.ok(!isApp(m[1]), `${m[1]} is used by the app: it belongs in i18n.js`);
  }
});

test('names sort in the Kazakh (and Russian) alphabet, case aside, without a collator', async () => {
  const { compareNames } = await import('../web/i18n.js');
  const names = ['Ұлы дала', 'бухар', 'Әуезов', 'Абай', 'ИВС 2', 'яблоко', 'Ёлка', 'Ежевика', 'IVS', '10 колония', 'Қарағанды'];
  assert.deepEqual(names.sort(compareNames),
    ['10 колония', 'IVS', 'Абай', 'Әуезов', 'бухар', 'Ежевика', 'Ёлка', 'ИВС 2', 'Қарағанды', 'Ұлы дала', 'яблоко']);
  assert.equal(compareNames('', undefined), 0);
});
