// Every refusal and failure a user sees is in their language and names the
// problem (refusals.js): the server's code (and field) in words, a refused
// checklist file's problems by their codes, and no screen showing an
// error's English message as its text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

globalThis.document ??= { documentElement: {} }; // setLang marks <html lang>
const { setLang, strings } = await import('../web/i18n.js');
await import('../web/i18n-desk.js'); // the desk's strings (import problems, desk refusals) join the table
const { refusalText, refusalKey, failureText, problemText, fieldName, showRefusal } = await import('../web/refusals.js');
const { deskErrorText } = await import('../web/coord-api.js');

const IDX = { en: 0, ru: 1, kk: 2 };
const word = (key, l) => strings[key][IDX[l]];
const english = 'this visit belongs to another region';

test('a refusal is said from its code in each language, never the server\'s English', async () => {
  for (const l of ['ru', 'kk', 'en']) {
    await setLang(l);
    const forbidden = refusalText({ status: 403, code: 'forbidden', field: 'id', message: english });
    assert.equal(forbidden, word('rf_forbidden', l), l);
    assert.ok(!forbidden.includes(english));
    assert.equal(refusalText({ status: 409, code: 'locked', message: 'locked' }), word('rf_locked', l));
    assert.equal(refusalText({ status: 507, code: 'storage_full' }), word('rf_storage_full', l));
    // Sign-in's lock shares the code "locked" with an approved visit.
    assert.equal(refusalText({ status: 429, code: 'locked' }), word('rf_signin_locked', l));
    assert.equal(refusalText({ status: 429, code: 'signin_locked' }), word('rf_signin_locked', l));
    assert.equal(refusalText({ status: 0, code: 'offline' }), word('rf_offline', l));
    assert.equal(refusalText({ status: 0, code: 'timeout' }), word('rf_timeout', l));
    assert.equal(refusalText({ status: 400, code: 'password_short', field: 'password' }, { n: 12 }), word('rf_password_short', l).replace('{n}', '12'));
  }
});

test('"invalid" names the field, with words of its own where the field changes what to do', async () => {
  await setLang('ru');
  assert.equal(refusalKey({ status: 400, code: 'invalid', field: 'from' }), 'rf_invalid__from');
  assert.equal(refusalText({ status: 400, code: 'invalid', field: 'from' }), word('rf_invalid__from', 'ru'));
  assert.equal(refusalText({ status: 400, code: 'invalid', field: 'fields.admitted_at' }), word('rf_invalid__fields_admitted_at', 'ru'));
  // A field with no words of its own is named inside the code's sentence.
  const status = refusalText({ status: 400, code: 'invalid', field: 'status', message: 'status must be draft, submitted or approved' });
  assert.equal(status, word('rf_invalid', 'ru').replace('{field}', word('fld_status', 'ru')));
  assert.ok(!status.includes('must be'));
  // A record's field ("fields.label") by the label the audit trail gives it.
  assert.equal(fieldName('fields.label'), word('loc_label', 'ru'));
  assert.equal(fieldName('fields.team'), word('team', 'ru'));
  assert.equal(fieldName('fields.team_size'), word('team_size', 'ru'));
  assert.equal(fieldName('something_new'), '«something_new»');
  assert.equal(refusalText({ status: 400, code: 'invalid' }), word('rf_invalid_nofield', 'ru'));
  // The screen may name the field better (the organisation's form does).
  assert.equal(refusalText({ status: 400, code: 'invalid', field: 'name_kk' }, { field: 'Полное название (Қазақша)' }),
    word('rf_invalid', 'ru').replace('{field}', 'Полное название (Қазақша)'));
});

test('an unknown code says so in the user\'s language and names the code', async () => {
  await setLang('kk');
  const got = refusalText({ status: 418, code: 'teapot', message: 'I am a teapot' });
  assert.equal(got, word('rf_unknown', 'kk').replace('{code}', 'teapot'));
  assert.ok(!got.includes('I am a teapot'));
  assert.equal(refusalText({ status: 502, code: 'http' }), word('rf_http', 'kk').replace('{status}', '502'));
  assert.equal(refusalKey(undefined), '');
  assert.equal(refusalText(null), word('rf_unknown', 'kk').replace('{code}', '—'));
});

test('a failure on the device is said by its kind; the desk adds its own words for no connection and a lost sign-in', async () => {
  await setLang('en');
  const quota = new Error('The quota has been exceeded.');
  quota.name = 'QuotaExceededError';
  assert.equal(failureText(quota), word('rf_device_full', 'en'));
  const bug = new TypeError('cannot read properties of undefined (reading \'x\')');
  assert.equal(failureText(bug), word('rf_device_failed', 'en').replace('{code}', 'TypeError'));
  assert.equal(deskErrorText({ status: 0, code: 'offline' }), word('offline_desk', 'en'));
  assert.equal(deskErrorText({ status: 401, code: 'token_expired' }), word('desk_signed_out', 'en'));
  assert.equal(deskErrorText({ status: 409, code: 'last_admin' }), word('rf_last_admin', 'en'));
  const el = {};
  showRefusal(el, { status: 403, code: 'forbidden', field: 'id', message: english });
  assert.equal(el.textContent, word('rf_forbidden', 'en'));
  assert.equal(el.title, `forbidden · id · ${english}`, 'the English message is kept for support, out of the text');
});

test('a refused checklist file\'s problems are said from their codes with their values', async () => {
  await setLang('ru');
  const p = { sheet: 'choices', row: 7, code: 'choice_twice', args: ['damp', 'problems'], message: 'choice "damp" appears twice in list "problems"' };
  assert.equal(problemText(p), 'Вариант «damp» дважды встречается в списке «problems».');
  await setLang('kk');
  assert.equal(problemText(p), '«damp» нұсқасы «problems» тізімінде екі рет кездеседі.');
  assert.equal(problemText({ code: 'brand_new', message: 'x' }), word('xp_unknown', 'kk').replace('{code}', 'brand_new'));
  assert.equal(problemText({ message: 'from an older server' }), word('xp_unknown', 'kk').replace('{code}', '—'));
});

test('no screen shows an error\'s own message as its text', () => {
  // The English message may go in a title (for support), a log or a thrown error, never in what is read.
  const allowed = /title:|\.title\b|console\.|postMessage|super\(|new \w*Error\(|details = /;
  const dir = new URL('../web/', import.meta.url);
  const found = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    readFileSync(new URL(f, dir), 'utf8').split('\n').forEach((line, i) => {
      if (/\.(message|error_message|error_msg)\b/.test(line) && !allowed.test(line)) found.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('a visit dated wrong is kept but the coordinator is warned: end before start, in the future, before 2000', async () => {
  const { visitDateWarnings } = await import('../web/coord-format.js');
  await setLang('ru');
  const now = Date.parse('2026-11-30T12:00:00Z');
  const keys = (v) => visitDateWarnings(v, now).map((w) => w.key);
  assert.deepEqual(keys({ started_at: '2026-11-29T09:00:00Z', ended_at: '2026-11-29T13:00:00Z' }), []);
  assert.deepEqual(keys({ started_at: '2026-11-29T09:00:00Z' }), [], 'a visit under way has no end yet');
  assert.deepEqual(keys({ started_at: '2026-11-29T13:00:00Z', ended_at: '2026-11-29T09:00:00Z' }), ['date_warn_end_before_start']);
  // A day of slack for time zones and a clock a little fast.
  assert.deepEqual(keys({ started_at: '2026-12-01T11:00:00Z' }), []);
  assert.deepEqual(keys({ started_at: '2026-12-01T13:00:00Z', ended_at: '2026-12-01T15:00:00Z' }), ['date_warn_future', 'date_warn_future']);
  assert.deepEqual(keys({ started_at: '1999-12-31T09:00:00Z', ended_at: '2026-11-29T09:00:00Z' }), ['date_warn_before_2000']);
  assert.deepEqual(keys({ started_at: '1970-01-01T00:00:00Z', ended_at: '1970-01-01T00:00:00Z' }), ['date_warn_before_2000', 'date_warn_before_2000']);
  assert.deepEqual(keys({ started_at: 'not a time' }), []);
  const [w] = visitDateWarnings({ started_at: '2027-01-01T09:00:00Z' }, now);
  const said = (l) => strings[w.key][IDX[l]].replace('{field}', w.params.field).replace('{date}', w.params.date);
  assert.equal(w.params.field, word('started_at', 'ru'));
  for (const l of ['ru', 'kk', 'en']) assert.ok(said(l).includes('2027'), l);
});

test('a refusal\'s or a problem\'s words have the same blanks in every language', () => {
  const blanks = (s) => (s.match(/\{\w+\}/g) || []).sort().join(' ');
  for (const [key, [en, ru, kk]] of Object.entries(strings)) {
    if (!/^(rf_|xp_|fld_|date_warn_)/.test(key)) continue;
    assert.equal(blanks(ru), blanks(en), `${key}: ru`);
    assert.equal(blanks(kk), blanks(en), `${key}: kk`);
  }
});

test('a conflict shown to the member names its field in words, not by its wire name', async () => {
  const { conflictField } = await import('../web/conflicts.js');
  await setLang('kk');
  assert.equal(conflictField('visit', 'kind'), word('visit_kind', 'kk'));
  assert.equal(conflictField('location', 'label'), word('loc_label', 'kk'));
  assert.equal(conflictField('location', '_deleted'), word('conflict_field_deleted', 'kk'));
});
