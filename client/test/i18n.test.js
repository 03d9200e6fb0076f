// Every interface string exists in en, ru and kk, and every key the code uses is defined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { strings, pick } from '../web/i18n.js';

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

test('no string key is defined twice (the later one would silently win)', () => {
  const src = readFileSync(new URL('../web/i18n.js', import.meta.url), 'utf8');
  const seen = new Set();
  for (const m of src.matchAll(/^ {2}([a-z_0-9]+): \[/gm)) {
    assert.ok(!seen.has(m[1]), `i18n.js defines ${m[1]} twice`);
    seen.add(m[1]);
  }
  assert.ok(seen.size > 100);
});

test('names sort in the Kazakh (and Russian) alphabet, case aside, without a collator', async () => {
  const { compareNames } = await import('../web/i18n.js');
  const names = ['Ұлы дала', 'бухар', 'Әуезов', 'Абай', 'ИВС 2', 'яблоко', 'Ёлка', 'Ежевика', 'IVS', '10 колония', 'Қарағанды'];
  assert.deepEqual(names.sort(compareNames),
    ['10 колония', 'IVS', 'Абай', 'Әуезов', 'бухар', 'Ежевика', 'Ёлка', 'ИВС 2', 'Қарағанды', 'Ұлы дала', 'яблоко']);
  assert.equal(compareNames('', undefined), 0);
});
