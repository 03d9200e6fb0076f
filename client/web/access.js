// Screens of a visit's access and interviews (issue 13): when the team
// arrived and was let in, each refusal or delay of access, and the private
// interviews — no name and nothing identifying, seen by their author and the
// region's coordinator only.
import { h, field, select, radios } from './dom.js';
import { t, fmtTime } from './i18n.js';
import { uuidv7 } from './synccore.js';
import { api } from './sync.js';
import { approvedBanner, isLocked, TEAM_CAPS } from './visitstate.js';
import { saved } from './fieldrules.js';

export const OBSTRUCTION_KINDS = ['refused', 'delayed'];
export const OBSTRUCTION_TARGETS = ['area', 'documents', 'person', 'devices'];
export const OBSTRUCTION_REASONS = ['security', 'no_authorisation', 'staff_absent', 'regime', 'quarantine', 'person_unwilling', 'none_given', 'other'];
export const INTERVIEW_PRESENT = ['none', 'staff', 'ombudsperson_rep', 'other_detainees', 'medical', 'interpreter', 'other'];
export const INTERVIEW_COMPLAINTS = ['ill_treatment', 'conditions', 'health', 'contact', 'legal'];

const yesNo = () => [[true, t('yes')], [false, t('no')]];
const back = (visitId) => h('p', { class: 'crumb' }, h('a', { href: `#/visit/${visitId}`, text: `← ${t('back_to_visit')}` }));

/** obstructionText is one refusal or delay in words. */
export function obstructionText(f) {
  const parts = [t(`ob_${f.kind || 'refused'}`), t(`obt_${f.target || 'area'}`)];
  if (f.minutes != null && f.minutes !== '') parts.push(t('minutes_n', { n: f.minutes }));
  if (f.reason_given) parts.push(t(`obr_${f.reason_given}`));
  return parts.join(' · ');
}

/** accessView: the visit's access — the times and each obstruction. */
export async function accessView(ctx, visitId) {
  const { store } = ctx;
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const locked = isLocked(visit);
  const list = await store.ofVisit('obstruction', visitId);
  const o = { kind: 'refused', target: 'area', reason_given: '' };
  const minutes = h('input', { id: 'ob-minutes', type: 'number', inputmode: 'numeric', min: 0, max: 10080, step: 1 });
  const reason = select([['', '—'], ...OBSTRUCTION_REASONS.map((r) => [r, t(`obr_${r}`)])], '', { id: 'ob-reason' });
  const note = h('textarea', { id: 'ob-note', rows: 3, maxlength: 2000, placeholder: t('ob_note_hint') });
  const msg = h('p', { class: 'error', role: 'alert' });
  const f = visit.fields;
  const wait = f.arrived_at && f.admitted_at ? Math.round((Date.parse(f.admitted_at) - Date.parse(f.arrived_at)) / 60000) : null;
  return h('div', { class: 'access-page' }, back(visitId),
    h('h1', { text: t('access_title') }),
    await approvedBanner(store, visit),
    h('dl', { class: 'facts', id: 'access-facts' },
      h('dt', { text: t('arrived_at') }), h('dd', { text: f.arrived_at ? fmtTime(f.arrived_at) : '—' }),
      h('dt', { text: t('admitted_at') }), h('dd', { text: f.admitted_at ? fmtTime(f.admitted_at) : '—' }),
      h('dt', { text: t('wait_at_gate') }), h('dd', { id: 'access-wait', text: wait == null ? '—' : t('minutes_n', { n: wait }) })),
    h('p', { class: 'hint' }, h('a', { href: `#/visit-edit/${visitId}`, text: t('access_times_hint') })),
    h('h2', { text: t('obstructions') }),
    h('ul', { class: 'list', id: 'ob-list' }, list.map((r) => h('li', { class: 'card', 'data-kind': r.fields.kind, 'data-target': r.fields.target },
      h('span', { text: obstructionText(r.fields) }), r.fields.note ? h('span', { class: 'meta pre', text: r.fields.note }) : null)),
    list.length ? null : h('li', { class: 'empty', text: t('no_obstructions') })),
    locked ? null : h('form', { class: 'boxed', id: 'ob-form', on: { submit: async (e) => {
      e.preventDefault();
      const m = minutes.value === '' ? null : Number(minutes.value);
      if (m != null && (!Number.isInteger(m) || m < 0 || m > 10080)) { msg.textContent = t('minutes_invalid'); return; }
      const fields = { visit_id: visitId, kind: o.kind, target: o.target };
      if (m != null) fields.minutes = m;
      if (reason.value) fields.reason_given = reason.value;
      if (note.value.trim()) fields.note = note.value.trim();
      if (!await saved(msg, () => store.change('obstruction', uuidv7(), fields))) return;
      ctx.render();
    } } },
    h('h2', { text: t('new_obstruction') }),
    radios('ob-kind', t('ob_kind'), OBSTRUCTION_KINDS.map((k) => [k, t(`ob_${k}`)]), o.kind, (v) => { o.kind = v; }),
    radios('ob-target', t('ob_target'), OBSTRUCTION_TARGETS.map((k) => [k, t(`obt_${k}`)]), o.target, (v) => { o.target = v; }),
    field(t('ob_minutes'), minutes), field(t('ob_reason'), reason), field(t('ob_note'), note),
    msg, h('button', { type: 'submit', class: 'primary', id: 'ob-add', text: t('add') })));
}

/**
 * followUps returns the earlier follow-ups of a facility (no identities):
 * fetched when online and kept on the phone for the visit without signal.
 */
export async function followUps(store, facilityId, visitId) {
  const key = `followups/${facilityId}`;
  try {
    const resp = await api(store, 'GET', `/api/v1/facilities/${encodeURIComponent(facilityId)}/followups?except=${encodeURIComponent(visitId)}`);
    await store.setMeta(key, resp.follow_ups || []);
  } catch (e) {
    // Offline, or a facility not yet on the server: what was kept.
  }
  return (await store.meta(key)) || [];
}

/** checks builds checkboxes for a list; exclusive is the option that excludes the others ("no one else"). */
function checks(name, options, picked, exclusive = null) {
  const boxes = {};
  const set = (v, on) => { boxes[v].checked = on; if (on) picked.add(v); else picked.delete(v); };
  return options.map(([v, l]) => {
    const id = `${name}-${v}`;
    boxes[v] = h('input', { type: 'checkbox', id, value: v, checked: picked.has(v), on: { change: (e) => {
      set(v, e.target.checked);
      if (!e.target.checked || !exclusive) return;
      if (v === exclusive) for (const o of Object.keys(boxes)) { if (o !== v) set(o, false); } else set(exclusive, false);
    } } });
    return h('div', { class: 'check' }, boxes[v], h('label', { for: id, text: l }));
  });
}

/** interviewText is one interview's answers in words (for its author and the coordinator). */
export function interviewText(f) {
  const parts = [f.private_setting ? t('iv_private') : t('iv_not_private'), f.consent ? t('iv_consent') : t('iv_no_consent')];
  if (f.fear_of_reprisal) parts.push(t('iv_fear'));
  const c = (f.complaints || []).map((k) => t(`ivc_${k}`));
  if (c.length) parts.push(c.join(', '));
  if (f.follow_up) parts.push(t('iv_follow_up'));
  return parts.join(' · ');
}

/** interviewsView: the earlier follow-ups, the visit's interviews and a form for a new one. */
export async function interviewsView(ctx, visitId) {
  const { store } = ctx;
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const locked = isLocked(visit);
  const list = await store.ofVisit('interview', visitId);
  const earlier = await followUps(store, visit.fields.facility_id, visitId);
  const a = { private_setting: true, consent: true, fear_of_reprisal: false, follow_up: false };
  const present = new Set(['none']);
  const complaints = new Set();
  const msg = h('p', { class: 'error', role: 'alert', id: 'iv-msg' });
  return h('div', { class: 'confidential-page' }, back(visitId),
    h('h1', {}, h('span', { class: 'badge bad', text: t('confidential') }), ' ', t('interviews')),
    h('p', { class: 'warning', role: 'note', text: t('interviews_explainer') }),
    await approvedBanner(store, visit),
    h('section', { class: 'boxed', id: 'followups' }, h('h2', { text: t('earlier_follow_ups') }),
      h('p', { class: 'hint', text: t('earlier_follow_ups_hint') }),
      earlier.length ? h('ul', { class: 'list compact', id: 'followup-list' }, earlier.map((fu) => h('li', { class: 'card' },
        h('strong', { text: fu.visit_started_at ? fmtTime(fu.visit_started_at) : '—' }),
        h('span', { class: 'meta', text: (fu.about || []).map((k) => t(`ivc_${k}`)).join(', ') || t('iv_no_complaint') }))))
        : h('p', { class: 'empty', id: 'followup-none', text: t('no_follow_ups') })),
    h('h2', { text: t('interviews_this_visit') }),
    h('ul', { class: 'list', id: 'iv-list' }, list.map((r, i) => h('li', { class: 'card confidential' },
      h('strong', { text: t('interview_n', { n: i + 1 }) }), h('span', { class: 'meta', text: interviewText(r.fields) }))),
    list.length ? null : h('li', { class: 'empty', text: t('no_interviews') })),
    locked ? null : h('form', { class: 'boxed confidential', id: 'iv-form', on: { submit: async (e) => {
      e.preventDefault();
      const fields = { visit_id: visitId, ...a, present: [...present], complaints: INTERVIEW_COMPLAINTS.filter((c) => complaints.has(c)) };
      if (!await saved(msg, () => store.change('interview', uuidv7(), fields))) return;
      ctx.render();
    } } },
    h('h2', { text: t('new_interview') }),
    h('p', { class: 'hint', text: t('interview_no_names') }),
    radios('iv-private', t('iv_private_q'), yesNo(), a.private_setting, (v) => { a.private_setting = v; }),
    h('fieldset', { class: 'checks', id: 'iv-present' }, h('legend', { text: t('iv_present_q') }),
      checks('ivp', INTERVIEW_PRESENT.map((k) => [k, t(`ivp_${k}`)]), present, 'none')),
    radios('iv-consent', t('iv_consent_q'), yesNo(), a.consent, (v) => { a.consent = v; }),
    radios('iv-fear', t('iv_fear_q'), yesNo(), a.fear_of_reprisal, (v) => { a.fear_of_reprisal = v; }),
    h('fieldset', { class: 'checks', id: 'iv-complaints' }, h('legend', { text: t('iv_complaints_q') }),
      checks('ivc', INTERVIEW_COMPLAINTS.map((k) => [k, t(`ivc_${k}`)]), complaints)),
    radios('iv-follow', t('iv_follow_q'), yesNo(), a.follow_up, (v) => { a.follow_up = v; }),
    msg, h('button', { type: 'submit', class: 'primary', id: 'iv-add', text: t('add') })));
}

/**
 * deskAccess is the coordinator's desk section on a visit's access: the
 * times, the team against the cap, each refusal or delay (its note when the
 * reader may see it) and, for the region's coordinator, the interview counts.
 */
export function deskAccess(visit, obstructions, interviews) {
  const wait = visit.arrived_at && visit.admitted_at ? Math.round((Date.parse(visit.admitted_at) - Date.parse(visit.arrived_at)) / 60000) : null;
  const cap = TEAM_CAPS[visit.kind];
  const size = visit.team_size == null ? '—' : String(visit.team_size);
  const facts = [
    [t('arrived_at'), visit.arrived_at ? fmtTime(visit.arrived_at) : '—'],
    [t('admitted_at'), visit.admitted_at ? fmtTime(visit.admitted_at) : '—'],
    [t('wait_at_gate'), wait == null ? '—' : t('minutes_n', { n: wait })],
    [t('team_size'), cap ? `${size} / ${cap}` : size],
    [t('rep_in_interviews'), visit.rep_in_interviews ? (visit.rep_in_interviews === 'no_interviews' ? t('rep_no_interviews') : t(visit.rep_in_interviews)) : '—'],
  ];
  const counts = interviews ? [[t('interviews'), String(interviews.total)], [t('iv_private'), String(interviews.private)],
    [t('iv_fear'), String(interviews.fear)], [t('iv_follow_up'), String(interviews.follow_up_count)],
    ...INTERVIEW_COMPLAINTS.map((c) => [t(`ivc_${c}`), String((interviews.complaints_count || {})[c] || 0)])] : [];
  return h('section', { id: 'desk-access', class: 'boxed' }, h('h2', { text: t('access_title') }),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
    h('ul', { class: 'list compact', id: 'desk-obstructions' }, obstructions.map((o) => h('li', { class: 'card', 'data-kind': o.kind, 'data-target': o.target },
      h('span', { text: obstructionText(o) }), o.note ? h('span', { class: 'meta pre', text: o.note }) : null)),
    obstructions.length ? null : h('li', { class: 'empty', text: t('no_obstructions') })),
    counts.length ? h('div', { id: 'desk-interviews' }, h('h3', {}, h('span', { class: 'badge bad', text: t('confidential') }), ' ', t('interviews')),
      h('dl', { class: 'facts' }, counts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]))) : null);
}
