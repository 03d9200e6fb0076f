// The coordinator's desk without the DOM: how visits are ordered, how a
// visit's consolidation becomes a side-by-side table and a queue, how values
// and audit entries read, and where reports come from. Unit-tested in Node
// (client/test/coord.test.js); coord.js draws what these return.
import { t, txt, fmtNum, fmtTime } from './i18n.js';

const STATUS_ORDER = { submitted: 0, draft: 1, approved: 2 };

/** sortVisits orders visits for review: submitted first, then drafts, then approved; newest first within each. */
export function sortVisits(list) {
  return [...list].sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) ||
    String(b.started_at || '').localeCompare(String(a.started_at || '')));
}

/** itemDefs maps a template's item ids to their definitions (empty for no template). */
export function itemDefs(template) {
  return new Map(((template && template.items) || []).map((i) => [i.id, i]));
}

/** itemLabel is "code · label" of an item, or its id when the template lacks it. */
export function itemLabel(def, id) {
  if (!def) return id;
  return `${def.code ? `${def.code} · ` : ''}${txt(def.label) || def.id}`;
}

/** formatValue shows a value the way the field app does: units, yes/no and choices in words. */
export function formatValue(def, v) {
  if (v === null || v === undefined || v === '') return '—';
  const type = def ? def.type : typeof v === 'number' ? 'number' : '';
  if (type === 'yesno' || typeof v === 'boolean') return v ? t('yes') : t('no');
  if (type === 'choice') {
    const o = (def.options || []).find((x) => x.id === v);
    return o ? txt(o.label) : String(v);
  }
  if (type === 'multichoice' && Array.isArray(v)) {
    return v.length ? v.map((id) => { const o = (def.options || []).find((x) => x.id === id); return o ? txt(o.label) : String(id); }).join(', ') : '—';
  }
  if (typeof v === 'number') return `${fmtNum(v)} ${def && def.unit_label ? txt(def.unit_label) : ''}`.trim();
  if (type === 'datetime') return fmtTime(v) || String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** scopeTitle names a consolidation scope: the location's label, or "the visit as a whole". */
export function scopeTitle(scope) {
  if (!scope.location_id) return t('whole_visit');
  return scope.label || t(`lk_${scope.kind || 'other'}`);
}

/**
 * sideBySide turns one scope of a consolidation (the visit, or a location)
 * into table rows: the members as columns (team order first, then any other
 * author), one row per item someone answered or the coordinator decided,
 * each member's value (with note) and the consolidated value.
 * Returns {members: [{id, name}], rows: [{item, label, def, status, cells, consolidated, decision, changed}], unanswered}.
 */
export function sideBySide(scope, template, team = []) {
  const defs = itemDefs(template);
  const members = team.map((m) => ({ id: m.id, name: m.name || m.username || m.id }));
  const known = new Set(members.map((m) => m.id));
  const rows = [];
  let unanswered = 0;
  for (const it of scope.items || []) {
    const values = it.values || [];
    if (!values.length && !it.decision) {
      unanswered++;
      continue;
    }
    for (const v of values) {
      if (!known.has(v.author_id)) {
        known.add(v.author_id);
        members.push({ id: v.author_id, name: v.author_name || v.author_id });
      }
    }
    const def = defs.get(it.item);
    rows.push({
      item: it.item, label: itemLabel(def, it.item), def, status: it.status, decision: it.decision || null,
      changed: !!it.changed_since_decision, answered: values.filter((v) => v.value !== null && v.value !== undefined).length,
      consolidated: it.status === 'agreed' || it.status === 'decided' ? formatValue(def, it.value) : '',
      byAuthor: new Map(values.map((v) => [v.author_id, v])),
    });
  }
  for (const r of rows) {
    r.cells = members.map((m) => {
      const v = r.byAuthor.get(m.id);
      return v ? { value: formatValue(r.def, v.value), note: v.note || '', observationId: v.observation_id } : null;
    });
    delete r.byAuthor;
  }
  return { members, rows, unanswered };
}

/**
 * consolidatedNote says how a row's consolidated value came about: decided by
 * the coordinator, one member's answer (nobody to agree with), or the members'
 * common value.
 */
export function consolidatedNote(r) {
  if (r.status === 'not_applicable') return t('st_not_applicable');
  if (r.status === 'decided') return t('st_decided_by', { name: (r.decision && r.decision.decided_by_name) || '' });
  return r.answered === 1 ? t('st_one_answered') : t('st_agreed');
}

/** openItemKey identifies a queue entry (for element ids and scrolling to it). */
export function openItemKey(o) {
  return o.kind === 'conflict' && o.conflict ? `c-${o.conflict.id}` : `d-${o.location_id || 'visit'}-${o.item}`;
}

/** describeOpenItem says in the current language what a queue entry is: where, which item, and why it is open. */
export function describeOpenItem(o, template) {
  const defs = itemDefs(template);
  const item = o.item || (o.conflict && o.conflict.item) || '';
  const where = o.location_label || (o.location_id ? t('rt_location') : t('whole_visit'));
  const what = item ? itemLabel(defs.get(item), item) : o.conflict ? conflictTitle(o.conflict) : '';
  if (o.kind === 'conflict') return `${where} · ${what}: ${t('open_conflict')}`;
  const vals = (o.values || []).map((v) => formatValue(defs.get(item), v.value)).join(' / ');
  return `${where} · ${what}: ${t('open_disagreement')}${vals ? ` (${vals})` : ''}`;
}

/**
 * parseDecisionValue reads the value a coordinator types for an item:
 * numbers in either decimal separator within the item's range, whole numbers
 * for integer items, text up to its length, yes/no and choices as picked.
 * Returns {value} or {error: 'empty'|'not_number'|'not_whole'|'range'|'too_long'|'choice'}.
 */
export function parseDecisionValue(def, raw) {
  const s = String(raw ?? '').trim();
  if (s === '') return { error: 'empty' };
  const type = def ? def.type : 'text';
  if (type === 'number' || type === 'integer') {
    const norm = s.replace(/\s/g, '').replace(',', '.');
    if (!/^-?\d*\.?\d+$|^-?\d+\.$/.test(norm)) return { error: 'not_number' };
    const v = Number(norm);
    if (type === 'integer' && !Number.isInteger(v)) return { error: 'not_whole' };
    if ((def.min != null && v < def.min) || (def.max != null && v > def.max)) return { error: 'range' };
    return { value: v === 0 ? 0 : v };
  }
  if (type === 'yesno') {
    if (s === 'true' || s === 'false') return { value: s === 'true' };
    return { error: 'choice' };
  }
  if (type === 'choice') {
    return (def.options || []).some((o) => o.id === s) ? { value: s } : { error: 'choice' };
  }
  if (def && def.max_length && s.length > def.max_length) return { error: 'too_long' };
  return { value: s };
}

/** keyIndicators lists the indicators worth a column on a facility page: those that applied at some visit, in template order. */
export function keyIndicators(visits) {
  const seen = new Map();
  for (const hv of visits || []) {
    for (const ind of hv.indicators || []) {
      if (ind.applicable && !seen.has(ind.id)) seen.set(ind.id, ind);
    }
  }
  return [...seen.values()];
}

/** indicatorText is "value unit — band in words" of one indicator result ("no value" when missing). */
export function indicatorText(ind) {
  const unit = ind.unit_label ? txt(ind.unit_label) : '';
  const value = ind.value === null || ind.value === undefined ? t('no_value') : `${fmtNum(ind.value)} ${unit}`.trim();
  const worst = ind.worst_band && ind.worst_band !== ind.band;
  const band = worst ? ind.worst_band : ind.band;
  const label = worst ? ind.worst_band_label : ind.band_label;
  return band ? `${value} — ${label ? txt(label) : t(`band_${band}`)}` : value;
}

/** indicatorInputs lists, per indicator id, the items it is computed from. */
export function indicatorInputs(template) {
  const out = new Map();
  for (const ind of (template && template.indicators) || []) {
    const f = ind.formula || {};
    out.set(ind.id, [f.num, f.den, f.item].filter(Boolean));
  }
  return out;
}

export const REPORT_LANGS = ['ru', 'kk', 'en'];
export const CSV_KINDS = ['observations', 'indicators', 'recommendations', 'access'];

/**
 * reportPath is the API path of a report: of a facility (`facility`, id) or a
 * region (`region`, code); format pdf or csv; opts {lang, kind, from, to}.
 */
export function reportPath(of, id, format, opts = {}) {
  const base = of === 'region' ? `/api/v1/regions/${encodeURIComponent(id)}` : `/api/v1/facilities/${encodeURIComponent(id)}`;
  const q = new URLSearchParams();
  q.set('lang', opts.lang || 'ru');
  if (format === 'csv') q.set('kind', opts.kind || 'observations');
  if (opts.from) q.set('from', opts.from);
  if (opts.to) q.set('to', opts.to);
  if (opts.detail === 'all' && format === 'pdf') q.set('detail', 'all');
  if (opts.unapproved) q.set('unapproved', '1');
  return `${base}/report.${format}?${q}`;
}

/** fileNameFrom reads the file name of a Content-Disposition header, else returns fallback. */
export function fileNameFrom(disposition, fallback) {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || '');
  if (!m) return fallback;
  let name = m[1];
  try { name = decodeURIComponent(name); } catch (e) { /* keep it as sent */ }
  // A file name is never a path.
  return name.replace(/[/\\]/g, '_') || fallback;
}

/** fmtBytes says a size as "12 KB" (never "0 KB" for a non-empty file). */
export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${fmtNum(Math.round(n / 102.4 / 1024) / 10)} MB`;
}

// The label of each record field in the audit trail (by record type where the same name means two things).
const FIELD_LABELS = {
  announced: 'announced_short', started_at: 'started_at', ended_at: 'ended_at', team: 'team', ombudsperson_rep_present: 'ombuds_short',
  access_refused: 'refused_short', status: 'status', checklist: 'af_checklist', label: 'loc_label', item: 'item', location_id: 'where',
  value: 'af_value', note: 'note', reason: 'reason_short', observation_id: 'af_chosen', category: 'rec_category', addressee: 'rec_addressee',
  checked_visit_id: 'af_checked_visit', consent_to_publish: 'consent_given', name: 'name', authority: 'authority', address: 'address',
  capacity: 'capacity', region: 'region', facility_id: 'facility', visit_id: 'visit',
};

const DAY_MS = 24 * 3600 * 1000;
const YEAR_2000 = Date.UTC(2000, 0, 1);

/**
 * visitDateWarnings lists what looks wrong in a visit's dates, as
 * [{key, params}] for t(): an end before the start, a date more than a day
 * after now, a date before 2000. Such a visit is not refused (a phone's
 * clock may be wrong, and what was recorded must not be lost), but the
 * coordinator is told, to check the times with the team.
 */
export function visitDateWarnings(visit, now = Date.now()) {
  const out = [];
  const at = (f) => {
    const ms = visit && visit[f] ? Date.parse(visit[f]) : NaN;
    return Number.isNaN(ms) ? null : ms;
  };
  const start = at('started_at');
  const end = at('ended_at');
  if (start !== null && end !== null && end < start) {
    out.push({ key: 'date_warn_end_before_start', params: { start: fmtTime(visit.started_at), end: fmtTime(visit.ended_at) } });
  }
  for (const [f, ms] of [['started_at', start], ['ended_at', end]]) {
    if (ms === null) continue;
    const params = { field: t(f), date: fmtTime(visit[f]) };
    if (ms > now + DAY_MS) out.push({ key: 'date_warn_future', params });
    else if (ms < YEAR_2000) out.push({ key: 'date_warn_before_2000', params });
  }
  return out;
}

/** fieldLabel names a record's field in words (the raw name when unknown). */
export function fieldLabel(type, k) {
  if (k === 'kind') return t(type === 'visit' ? 'visit_kind' : 'loc_kind');
  if (k === 'text') return t(type === 'confidential_note' ? 'confidential_text' : 'rec_text');
  if (k === 'type' && type === 'facility') return t('type');
  return FIELD_LABELS[k] ? t(FIELD_LABELS[k]) : k;
}

/**
 * auditFields turns an op's fields into [name, label, text] triples for the
 * audit trail: field names in words, item ids as their labels, locations by
 * label, team members by name, values formatted for their item. Everything
 * stays text; nothing is interpreted as markup.
 * ctx: {type (record type), locations: Map id → label, people: Map id → name}.
 */
export function auditFields(fields, template, ctx = {}) {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return [];
  const type = ctx.type || '';
  const locations = ctx.locations || new Map();
  const people = ctx.people || new Map();
  const defs = itemDefs(template);
  const def = fields.item ? defs.get(fields.item) : null;
  const short = (id) => `…${String(id).slice(-6)}`;
  const out = [];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'visit_id' || (k === 'facility_id' && type !== 'recommendation') || (k === 'reason' && !v)) continue;
    let text;
    if (k === 'item') text = itemLabel(def, v);
    else if (k === 'location_id') text = v ? locations.get(v) || short(v) : t('whole_visit');
    else if (k === 'value') text = formatValue(def, v);
    else if (k === 'team' && Array.isArray(v)) text = v.map((id) => people.get(id) || short(id)).join(', ');
    else if (k === 'kind' && typeof v === 'string') text = t(`${type === 'visit' ? 'vk' : 'lk'}_${v}`);
    else if (k === 'status' && typeof v === 'string') text = t(`${type === 'recommendation' ? 'rs' : 'vs'}_${v}`);
    else if ((k === 'started_at' || k === 'ended_at') && typeof v === 'string') text = fmtTime(v) || v;
    else if ((k === 'observation_id' || k === 'checked_visit_id' || k === 'facility_id') && typeof v === 'string') text = v ? short(v) : '—';
    else if (typeof v === 'string') text = v;
    else text = formatValue(null, v);
    // A key missing from the table comes back as itself: show the raw value then.
    if (k === 'kind' || k === 'status') text = /^(vk|lk|vs|rs)_/.test(text) ? String(v) : text;
    out.push([k, fieldLabel(type, k), text]);
  }
  return out;
}

/**
 * deviceLabel shortens a device name that is a browser's user agent (the web
 * app names its devices so) to "Browser version · system"; other names stay.
 */
export function deviceLabel(name) {
  const s = String(name || '');
  if (!/^Mozilla\//.test(s)) return s;
  const browsers = [[/Edg\/(\d+)/, 'Edge'], [/OPR\/(\d+)/, 'Opera'], [/YaBrowser\/(\d+)/, 'Yandex'], [/Firefox\/(\d+)/, 'Firefox'],
    [/CriOS\/(\d+)/, 'Chrome'], [/Chrome\/(\d+)/, 'Chrome'], [/Version\/(\d+).*Safari/, 'Safari']];
  const systems = [[/Android/, 'Android'], [/iPhone/, 'iPhone'], [/iPad/, 'iPad'], [/Windows/, 'Windows'], [/Mac OS X/, 'macOS'], [/Linux/, 'Linux']];
  const b = browsers.find(([re]) => re.test(s));
  const os = systems.find(([re]) => re.test(s));
  return [b ? `${b[1]} ${b[0].exec(s)[1]}` : 'Browser', os ? os[1] : ''].filter(Boolean).join(' · ');
}

/** auditAction names an op log action in words. */
export function auditAction(e) {
  const key = `aa_${e.action}`;
  const s = t(key);
  return s === key ? e.action : s;
}

/** quarantineSummary reads a quarantined operation's raw JSON: its type, record and fields, tolerating anything. */
export function quarantineSummary(raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { type: '', id: '', text: typeof raw === 'string' ? raw : JSON.stringify(raw) };
  const text = JSON.stringify(raw.fields ?? raw);
  return { type: typeof raw.type === 'string' ? raw.type : '', id: typeof raw.id === 'string' ? raw.id : '', text: text.length > 400 ? `${text.slice(0, 400)}…` : text };
}

/** conflictTitle names what a sync conflict is about: the record type and the field, in words. */
export function conflictTitle(c) {
  if (c.field === '_deleted') return `${t(`rt_${c.record_type}`)} · ${t('af_deleted')}`;
  // A visit's own field: "the visit as a whole" already says which record.
  if (c.record_type === 'visit') return fieldLabel('visit', c.field);
  return `${t(`rt_${c.record_type}`)} · ${fieldLabel(c.record_type, c.field)}`;
}

/**
 * conflictValue shows one side of a sync conflict: an item's value as the
 * item reads, another field's value as the audit trail shows it.
 */
export function conflictValue(c, v, template, ctx = {}) {
  const item = c.item ? itemDefs(template).get(c.item) : null;
  if (item || c.field === 'value') return formatValue(item, v);
  if (c.field === '_deleted') return v ? t('af_deleted') : t('af_kept');
  const pairs = auditFields({ [c.field]: v }, template, { ...ctx, type: c.record_type });
  return pairs.length ? pairs[0][2] : formatValue(null, v);
}
