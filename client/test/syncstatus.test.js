// The sync status line (views.js statusText, issue 20) in ru, kk and en:
// while a push runs, how many operations of all are sent and at what rate;
// when pushes are cut by the timeout, "the connection is too weak right now;
// your data is safe on this phone", never "Offline"; "Offline" only when no
// request reached the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.document ??= { documentElement: {} }; // setLang marks <html lang>
const { setLang, strings } = await import('../web/i18n.js');
const { statusText } = await import('../web/views.js');

const IDX = { en: 0, ru: 1, kk: 2 };
const NBSP = '\u00a0';
const word = (key, l, params = {}) => Object.entries(params).reduce((s, [k, v]) => s.replace(`{${k}}`, v), strings[key][IDX[l]]);
// How each language writes 1,091, 340 and 12.5 (i18n.js formatNumber).
const THOUSANDS = { en: '1,091', ru: `1${NBSP}091`, kk: `1${NBSP}091` };
const RATE = { en: '12.5', ru: '12,5', kk: '12,5' };

test('a push running says how many operations of all are sent and at what rate', async () => {
  for (const l of ['en', 'ru', 'kk']) {
    await setLang(l);
    const s = { running: true, sending: { done: 340, total: 1091 }, rate: 12800, waiting: 751, clockSkewMs: 0 };
    assert.equal(statusText(s), `${word('sending_n_of_m', l, { n: '340', m: THOUSANDS[l] })} · ${word('rate_kbs', l, { r: RATE[l] })}`, l);
    // The first request of a push: no rate measured yet, none shown.
    assert.equal(statusText({ ...s, sending: { done: 0, total: 1091 }, rate: 0 }), word('sending_n_of_m', l, { n: '0', m: THOUSANDS[l] }), l);
  }
  await setLang('en');
  assert.equal(statusText({ running: true, sending: { done: 340, total: 1091 }, rate: 12800, waiting: 751 }), 'Sending 340 of 1,091 · 12.5 KB/s');
});

test('pushes cut by the timeout say the link is too weak and the data safe, not offline', async () => {
  for (const l of ['en', 'ru', 'kk']) {
    await setLang(l);
    const cut = { running: false, error: { status: 0, code: 'timeout' }, weak: true, waiting: 1091, clockSkewMs: 0 };
    const waiting = word('waiting_n', l, { n: THOUSANDS[l] });
    assert.equal(statusText(cut), `${word('link_too_weak', l)} · ${waiting}`, l);
    assert.ok(!statusText(cut).includes(word('offline', l)), l);
    // A pull cut the same way (weak set by the run's failure) says the same.
    assert.equal(statusText({ ...cut, weak: false }), `${word('link_too_weak', l)} · ${waiting}`, l);
    // No request reached the server at all: offline, the data saved on the phone.
    assert.equal(statusText({ ...cut, error: { status: 0, code: 'offline' }, weak: false }), `${word('offline', l)} · ${waiting}`, l);
  }
  await setLang('en');
  assert.equal(statusText({ error: { status: 0, code: 'timeout' }, weak: true, waiting: 3 }),
    'The connection is too weak right now; your data is safe on this phone · 3 waiting to send');
});
