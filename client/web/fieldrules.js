// The field app's rules without the DOM: which questions a place still needs,
// what copying the previous place's answers would do, and how a change the
// server refused reads for the monitor. Unit-tested in Node
// (client/test/fieldrules.test.js); visit.js and views.js draw what these return.
import { t } from './i18n.js';
import { formatValue, itemDefs, itemLabel, fieldLabel } from './coord-format.js';
import { refusalText } from './refusals.js';

/**
 * notSavedText says in the current language that what the monitor entered
 * was NOT stored on this phone, and why (err from IndexedDB: the phone's
 * storage full, or another failure named by its kind).
 */
export function notSavedText(err) {
  if (err && err.name === 'QuotaExceededError') return t('not_saved_full');
  return t('not_saved', { reason: (err && err.name) || '?' }); // its kind; the English message stays in the log
}

/**
 * saved runs save, which stores something the monitor entered on this phone.
 * When it throws, msg (the form's role=alert line) says it was not saved and
 * why, and saved returns false: the form keeps what was typed.
 */
export async function saved(msg, save) {
  try {
    await save();
    return true;
  } catch (err) {
    console.warn('not saved', err);
    msg.textContent = notSavedText(err);
    return false;
  }
}

/** answered says whether a value counts as an answer (null and "" do not). */
export const answered = (v) => v !== null && v !== undefined && v !== '';

/**
 * isRelevant says whether an item is asked given the answers of its scope
 * (item id → value), as schema.Item.IsRelevant does: its condition's item is
 * one of `in` (a yes/no answer read as "yes" or "no"; a multiple choice when
 * any chosen option is listed), or none of `not_in` (also when unanswered).
 */
export function isRelevant(item, values) {
  const c = item.relevant;
  if (!c) return true;
  const v = values[c.item];
  let answers = [];
  if (typeof v === 'string') answers = [v];
  else if (typeof v === 'boolean') answers = [v ? 'yes' : 'no'];
  else if (Array.isArray(v)) answers = v.filter((x) => typeof x === 'string');
  if (c.in && c.in.length) return answers.some((a) => c.in.includes(a));
  return !answers.some((a) => (c.not_in || []).includes(a));
}

/** asks says whether an item takes an answer (a note does not). */
export const asks = (item) => item.type !== 'note';

/**
 * requiredItems lists, in template order, the items of a scope ("visit" or
 * "location") that must be answered: those the checklist marks required, and
 * those the standards are measured with (the inputs of the scope's
 * indicators and the items their conditions read). Without them a report can
 * only say "no value".
 */
export function requiredItems(template, scope) {
  const ids = new Set();
  for (const ind of template.indicators || []) {
    if (ind.scope !== scope) continue;
    const f = ind.formula || {};
    for (const id of [f.num, f.den, f.item, ind.when && ind.when.item]) if (id) ids.add(id);
  }
  return template.items.filter((i) => i.scope === scope && asks(i) && (ids.has(i.id) || i.required));
}

/**
 * sectionsLeft counts, per section of a scope, the items without an answer in
 * values (item id → value): Map section id → {left, total}.
 */
export function sectionsLeft(template, scope, values) {
  const out = new Map();
  for (const it of template.items) {
    if (it.scope !== scope) continue;
    if (!out.has(it.section)) out.set(it.section, { left: 0, total: 0 });
    if (!asks(it) || !isRelevant(it, values)) continue; // a note, or a question not asked here
    const s = out.get(it.section);
    s.total++;
    if (!answered(values[it.id])) s.left++;
  }
  return out;
}

/**
 * missingRequired lists, per place and for the visit as a whole, the required
 * items nobody on the team has answered yet: [{locationId ('' for the
 * visit), label, items: [item]}], places in the order given, empty places left out.
 * observations are the visit's observation records; locations [{id, label}].
 */
export function missingRequired(template, observations, locations) {
  const have = new Set();
  const values = new Map(); // place → item → an answer (for relevance: a question not asked is not missing)
  for (const o of observations) {
    if (!answered(o.fields.value)) continue;
    const place = o.fields.location_id || '';
    have.add(`${place}/${o.fields.item}`);
    if (!values.has(place)) values.set(place, {});
    values.get(place)[o.fields.item] = o.fields.value;
  }
  const places = [{ id: '', label: t('whole_visit'), scope: 'visit' }, ...locations.map((l) => ({ ...l, scope: 'location' }))];
  const out = [];
  for (const p of places) {
    const items = requiredItems(template, p.scope).filter((i) => !have.has(`${p.id}/${i.id}`) && isRelevant(i, values.get(p.id) || {}));
    if (items.length) out.push({ locationId: p.id, label: p.label, items });
  }
  return out;
}

/**
 * copyPlan says which answers copying from the previous place would write:
 * every answered item of `from` (item id → value) that `to` has not answered,
 * in template order. Answers already given in `to` are never overwritten.
 */
export function copyPlan(template, from, to) {
  return template.items.filter((i) => i.scope === 'location' && asks(i) && answered(from[i.id]) && !answered(to[i.id]) && !i.personal && i.type !== 'text')
    .map((i) => ({ item: i, value: from[i.id] }));
}

/**
 * previousPlace is the place recorded just before `current` in the visit (by
 * creation order, which UUIDv7 ids keep) that has answers of this member,
 * or null.
 */
export function previousPlace(locations, current, answeredIn) {
  const sorted = [...locations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const i = sorted.findIndex((l) => l.id === current);
  for (let j = (i < 0 ? sorted.length : i) - 1; j >= 0; j--) {
    if (answeredIn(sorted[j].id)) return sorted[j];
  }
  return null;
}

// The codes of docs/protocol.md ("Push", rejected); an unknown one reads as a plain refusal.
const REFUSAL_CODES = ['invalid', 'forbidden', 'locked', 'bad_base', 'op_id_taken', 'parent_deleted'];

/**
 * describeRefusal says in the current language what the server refused and
 * why: {where (facility and place), what (the question or the field), value
 * (what was sent, as it reads), why}. ctx: {record (the local record the
 * operation changed), template, locationLabel, facilityName}. No field names
 * or JSON reach the monitor; the server's own English message is left out.
 */
export function describeRefusal(entry, ctx = {}) {
  const op = entry.op || {};
  const rec = ctx.record || null;
  const fields = { ...((rec && rec.fields) || {}), ...(op.fields || {}) };
  const code = entry.error && REFUSAL_CODES.includes(entry.error.code) ? entry.error.code : 'other';
  const where = [ctx.facilityName, op.type === 'observation' || op.type === 'confidential_note'
    ? (fields.location_id ? ctx.locationLabel || t('rt_location') : t('whole_visit'))
    : op.type === 'location' ? fields.label : ''].filter(Boolean).join(' · ');
  let what;
  let value = '';
  if (op.type === 'observation') {
    const def = itemDefs(ctx.template).get(fields.item);
    what = fields.item ? itemLabel(def, fields.item) : t('rt_observation');
    if (op.fields && 'value' in op.fields) value = formatValue(def, op.fields.value);
  } else {
    const names = Object.keys(op.fields || {}).filter((k) => !['visit_id', 'facility_id', 'item', 'location_id'].includes(k));
    what = `${t(`rt_${op.type}`)}${names.length ? `: ${names.map((k) => fieldLabel(op.type, k)).join(', ')}` : ''}`;
    if (op.action === 'delete') what = `${t(`rt_${op.type}`)}: ${t('af_deleted')}`;
  }
  // A refusal the monitor can act on gets its own words.
  // (The app writes the gate times as ISO times: the order is what can be refused.)
  const gate = code === 'invalid' && ['fields.arrived_at', 'fields.admitted_at'].includes(entry.error && entry.error.field);
  // A code without words of its own here is said as every screen says it (refusals.js).
  const why = gate ? t('admitted_before_arrived')
    : code === 'other' && entry.error && entry.error.code ? refusalText(entry.error) : t(`refused_${code}`);
  return { where, what, value, why };
}

/**
 * signInMessage says why signing in failed, from the answer's status and
 * code, in the user's language; the server's English message is not shown.
 */
export function signInMessage(err) {
  if (err.code === 'other_user') return t('signin_other_user');
  if (err.status === 0) return t('signin_offline');
  if (err.status === 401) return t('bad_credentials');
  if (err.code === 'signin_locked' || err.code === 'locked') return t('signin_locked'); // "locked": a server before review 9
  return t('signin_failed');
}
