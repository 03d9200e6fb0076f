// What a refusal means, in the user's language. The server answers a
// refusal as {code, field, message} (docs/protocol.md); its message is
// English for developers and is never shown alone. Every screen of the desk
// and of the field app turns a refusal into words here, from the code (and
// the field, where it changes what to say): "rf_<code>__<field>" when that
// pair has words of its own, else "rf_<code>" with the field named, else a
// generic sentence with the code. A test (server/errorcodes_test.go) checks
// that every code the server can answer has its rf_ string.
import { t, strings } from './i18n.js';
import { fieldLabel } from './coord-format.js';

/** fieldKey turns a field path ("fields.arrived_at") into a string key part ("fields_arrived_at"). */
function fieldKey(field) {
  return String(field || '').toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * fieldName names the field a refusal is about, in words: a record field
 * ("fields.label") by its label (the audit trail's, else the form's), a request field by its fld_ string, one
 * with no words of its own by its name in quotes; "" when there is none.
 */
export function fieldName(field) {
  if (!field) return '';
  const rec = /^(?:fields|base)\.([a-z0-9_]+)$/.exec(field);
  if (rec) {
    const label = fieldLabel('', rec[1]);
    if (label !== rec[1]) return label;
    if (rec[1] in strings) return t(rec[1]); // the visit form's label ("team_size")
  }
  const key = `fld_${fieldKey(rec ? rec[1] : field)}`;
  return key in strings ? t(key) : `«${rec ? rec[1] : field}»`;
}

/**
 * refusalKey is the string key that says err in words: the pair's own, the
 * code's (in its no-field form when there is no field), or '' for a code
 * the client does not know. err: {status, code, field}.
 */
export function refusalKey(err) {
  const e = err || {};
  const code = fieldKey(e.code);
  if (e.status === 0) return code === 'timeout' ? 'rf_timeout' : 'rf_offline';
  // The sign-in's lock (too many failed tries) is signin_locked (rf_signin_locked
  // below); a server before protocol 1.2's review 9 answered it "locked", as a
  // locked visit, told apart by its status.
  if (code === 'locked' && e.status === 429) return 'rf_signin_locked';
  const pair = `rf_${code}__${fieldKey(e.field)}`;
  if (e.field && pair in strings) return pair;
  if (!e.field && `rf_${code}_nofield` in strings) return `rf_${code}_nofield`;
  return code && `rf_${code}` in strings ? `rf_${code}` : '';
}

/**
 * refusalText says in the current language what was refused and what to do.
 * err: a DeskError, an ApiError or a result's error ({status, code, field,
 * message}); params fill the string's blanks ({n} of a short password) and
 * may name the field (params.field) where the screen knows it better.
 */
export function refusalText(err, params = {}) {
  const e = err || {};
  const key = refusalKey(e);
  const field = params.field || fieldName(e.field);
  if (!key) return t('rf_unknown', { code: e.code || (e.status ? `HTTP ${e.status}` : '—'), ...params, field });
  return t(key, { status: e.status, ...params, field });
}

/**
 * problemText says one problem of a refused checklist file (xlsform.Problem:
 * {code, args, message}) in the current language: its code's xp_ words with
 * the values it names filled in ({0}, {1}…); one whose code the client does
 * not know by a generic sentence naming the code.
 */
export function problemText(p) {
  const key = `xp_${fieldKey(p && p.code)}`;
  if (p && p.code && key in strings) return t(key, Object.fromEntries((p.args || []).map((a, i) => [i, a])));
  return t('xp_unknown', { code: (p && p.code) || '—' });
}

/**
 * failureText says why anything failed, in the current language: a
 * refusal or a failed request (it has a status) as refusalText says it,
 * the device's storage full, or else that something failed on this device,
 * naming the error's kind. The error's own (English) message is left out.
 */
export function failureText(err, params) {
  if (err && typeof err.status === 'number') return refusalText(err, params);
  const name = (err && err.name) || 'Error';
  if (name === 'QuotaExceededError') return t('rf_device_full');
  return t('rf_device_failed', { code: name });
}

/**
 * showRefusal puts a failure's words (failureText) into el and keeps the
 * server's own message (English, for support) and its code in el's title.
 */
export function showRefusal(el, err, params) {
  el.textContent = failureText(err, params);
  const details = [err && err.code, err && err.field, err && err.message].filter(Boolean).join(' · ');
  if (details) el.title = details;
  return el;
}
