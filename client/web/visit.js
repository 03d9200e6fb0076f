// Screens of one visit: start (or edit) it, its hub with the locations, the
// checklist per location and for the visit with live indicators,
// recommendations, confidential notes, and submitting it.
import { h, field, select, radios, lazyDetails, drawnFrom, fieldsOf, same } from './dom.js';
import { t, txt, fmtNum, fmtTime, lang } from './i18n.js';
import { answered, copyPlan, isRelevant, missingRequired, notSavedText, previousPlace, saved, sectionsLeft } from './fieldrules.js';
import { uuidv7 } from './synccore.js';
import { evaluate, KIND_KEY } from './indicators.js';
import { facilityName } from './names.js';
import { photoSection, listPhotos } from './photos.js';
import { isLocked, approvedBanner, TEAM_CAPS } from './visitstate.js';
import { accessView, interviewsView } from './access.js';
import { offeredChecklists } from './store.js';
import { refreshChecklists } from './sync.js';
import { yieldToEvents } from './pack.js';

// The kinds of place of the general checklist; a checklist for a facility type offers its own (location_kinds).
const LOCATION_KINDS = ['cell', 'ward', 'dormitory', 'yard', 'sanitary', 'medical', 'kitchen', 'visiting_room', 'other'];
const CHECK_STATES = ['in_progress', 'implemented', 'not_implemented'];

export function registerVisitViews(register) {
  register('visit-new', /^\/visit-new\/([^/]+)$/, (ctx, fid) => visitForm(ctx, fid, null));
  register('visit-edit', /^\/visit-edit\/([^/]+)$/, (ctx, vid) => visitForm(ctx, null, vid));
  register('visit', /^\/visit\/([^/]+)$/, visitHub);
  register('checklist', /^\/visit\/([^/]+)\/check\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/, checklist);
  register('recommendations', /^\/visit\/([^/]+)\/recommendations$/, recommendations);
  register('confidential', /^\/visit\/([^/]+)\/confidential$/, confidential);
  // Access and interviews (access.js): in the first load, as they are used offline at the gate.
  register('visit-access', /^\/visit\/([^/]+)\/access$/, accessView);
  register('visit-interviews', /^\/visit\/([^/]+)\/interviews$/, interviewsView);
}

const yesNo = () => [[true, t('yes')], [false, t('no')]];

function userName(users, id, me) {
  if (id === me.id) return t('me');
  const u = (users || []).find((x) => x.id === id);
  return u ? u.name || u.username : `${t('member')} ${id.slice(-4)}`;
}

/** openRecommendations are the facility's recommendations still waiting for a check. */
async function openRecommendations(store, facilityId, visitId) {
  return (await store.ofFacility('recommendation', facilityId))
    .filter((r) => r.fields.visit_id !== visitId && ['open', 'in_progress'].includes(r.fields.status || 'open') || (visitId && r.fields.checked_visit_id === visitId));
}

/** forgetTyping unmarks a form's typed text once it is saved, so the redraw shows the form empty. */
function forgetTyping(form) {
  for (const el of form.querySelectorAll('[data-dirty]')) delete el.dataset.dirty;
}

/**
 * checkList renders recommendations with a status choice; changes go to
 * `picked`. Only a coordinator sets a status (the server's rule, protocol
 * 1.1): a member sees it read-only.
 */
function checkList(recs, picked, visitId, locked = false, coordinator = false) {
  if (!recs.length) return h('p', { class: 'empty', text: t('no_open_recommendations') });
  return h('ul', { class: 'list', id: 'check-list' }, recs.map((r) => {
    const cur = r.fields.checked_visit_id === visitId && visitId ? r.fields.status : '';
    if (!coordinator) {
      return h('li', { class: 'card' }, h('span', { text: r.fields.text }),
        h('span', { class: 'meta rec-status', id: `rec-${r.id}`, 'data-rec': r.id, text: `${t('rec_status')}: ${t(`rs_${r.fields.status || 'open'}`)}` }));
    }
    return h('li', { class: 'card' }, h('span', { text: r.fields.text }),
      field(t('status_now'), select([['', t('not_checked')], ...CHECK_STATES.map((s) => [s, t(`rs_${s}`)])], cur, {
        id: `rec-${r.id}`, 'data-rec': r.id, disabled: locked, on: { change: (e) => { picked[r.id] = e.target.value; } },
      })));
  }));
}

/** isCoordinator: the signed-in user sets recommendations' status. */
const isCoordinator = (store) => !!(store.session && store.session.user && store.session.user.role === 'coordinator');

async function saveChecks(store, picked, visitId) {
  for (const [id, status] of Object.entries(picked)) {
    if (status) await store.change('recommendation', id, { status, checked_visit_id: visitId });
  }
}

async function visitForm(ctx, facilityId, visitId) {
  const { store } = ctx;
  const me = store.session.user;
  const visit = visitId ? await store.get('visit', visitId) : null;
  if (visitId && !visit) return h('p', { text: t('not_found') });
  facilityId = facilityId || visit.fields.facility_id;
  const fac = await store.get('facility', facilityId);
  const users = ((await store.meta('users')) || []).filter((u) => u.id !== me.id && ['member', 'coordinator'].includes(u.role));
  // Whether the visit was announced and whether the Ombudsperson's representative came are
  // asked, never assumed: a report prints "not recorded", not a "No" nobody gave.
  const f = visit ? { ...visit.fields } : { kind: 'regular', team: [me.id] };
  const team = new Set(f.team || [me.id]);
  const started = h('input', { id: 'visit-started', type: 'datetime-local', value: toLocalInput(f.started_at || new Date().toISOString()) });
  const arrived = h('input', { id: 'visit-arrived', type: 'datetime-local', value: f.arrived_at ? toLocalInput(f.arrived_at) : '' });
  const admitted = h('input', { id: 'visit-admitted', type: 'datetime-local', value: f.admitted_at ? toLocalInput(f.admitted_at) : '' });
  const teamSize = h('input', { id: 'visit-team-size', type: 'number', inputmode: 'numeric', min: 1, max: 50, step: 1, value: f.team_size == null ? '' : String(f.team_size) });
  const capHint = h('p', { class: 'hint', id: 'team-cap' });
  const showCap = () => {
    const cap = TEAM_CAPS[f.kind];
    const n = teamSize.value === '' ? null : Number(teamSize.value);
    capHint.textContent = cap ? [t('team_size_hint', { cap }), n != null && n >= cap ? t('team_at_cap') : ''].join(' ').trim() : '';
  };
  teamSize.addEventListener('input', showCap);
  showCap();
  const picked = {};
  const recs = await openRecommendations(store, facilityId, visitId);
  // A new visit takes the checklist of its facility's type, or the one picked
  // among those for the type and the general ones.
  const type = fac && fac.fields.type;
  const forType = (list) => list.some((c) => (c.facility_types || []).includes(type));
  let offered = visit ? [] : offeredChecklists(await store.checklists(), type);
  // A phone that has only its region's checklists so far (sign-in) asks for
  // the whole list before a visit to a facility of another type starts on
  // the general one; offline, it says so.
  let pending = false;
  if (!visit && type && !forType(offered) && (await store.meta('checklists_partial'))) {
    await refreshChecklists(store, { everyMs: 0 }).catch(() => {});
    offered = offeredChecklists(await store.checklists(), type);
    pending = !forType(offered) && !!(await store.meta('checklists_partial'));
  }
  if (!visit && offered.length) f.checklist = offered[0].ref;
  const msg = h('p', { class: 'error', role: 'alert' });
  const locked = isLocked(visit);
  const banner = await approvedBanner(store, visit);
  return h('form', { on: { submit: async (e) => {
    e.preventDefault();
    if (locked) return;
    const id = visitId || uuidv7();
    const startedAt = started.value ? new Date(started.value).toISOString().replace(/\.\d{3}Z$/, 'Z') : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const iso = (input) => (input.value ? new Date(input.value).toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
    const fields = { kind: f.kind, announced: f.announced, started_at: startedAt, team: [...team],
      ombudsperson_rep_present: f.ombudsperson_rep_present, rep_in_interviews: f.rep_in_interviews || '',
      arrived_at: iso(arrived), admitted_at: iso(admitted) };
    const n = teamSize.value === '' ? null : Number(teamSize.value);
    if (n != null && (!Number.isInteger(n) || n < 1 || n > 50)) { msg.textContent = t('team_size_invalid'); return; }
    if (fields.arrived_at && fields.admitted_at && fields.admitted_at < fields.arrived_at) { msg.textContent = t('admitted_before_arrived'); return; }
    fields.team_size = n;
    for (const k of ['announced', 'ombudsperson_rep_present']) if (fields[k] === undefined) delete fields[k];
    if (!visit) for (const k of ['rep_in_interviews', 'arrived_at', 'admitted_at', 'team_size']) if (fields[k] === '' || fields[k] == null) delete fields[k];
    if (!visit) {
      const tpl = f.checklist ? null : await store.checklist();
      Object.assign(fields, { facility_id: facilityId, status: 'draft' });
      if (f.checklist || tpl) fields.checklist = f.checklist || tpl.ref;
    }
    const ok = await saved(msg, async () => {
      await store.change('visit', id, fields, visit ? {} : { localFields: { created_by: me.id } });
      await saveChecks(store, picked, id);
    });
    if (ok) ctx.go(`/visit/${id}`);
  } } },
  h('h1', { text: visit ? t('edit_visit') : t('start_visit') }),
  h('p', { class: 'lead', text: fac ? facilityName(fac.fields, lang()) : '' }),
  banner,
  h('fieldset', { class: 'plain', disabled: locked },
  radios('kind', t('visit_kind'), ['regular', 'special', 'follow_up'].map((k) => [k, t(`vk_${k}`)]), f.kind, (v) => { f.kind = v; showCap(); }),
  radios('announced', t('announced'), yesNo(), f.announced, (v) => { f.announced = v; }),
  pending ? h('p', { class: 'notice', role: 'note', id: 'checklist-pending', text: t('checklist_type_pending') }) : null,
  offered.length > 1 ? radios('checklist', t('visit_checklist_pick'), offered.map((c) => [c.ref, txt(c.title)]), f.checklist, (v) => { f.checklist = v; }) : null,
  field(t('started_at'), started),
  h('fieldset', { class: 'checks', id: 'team' }, h('legend', { text: t('team') }),
    h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'team-me', checked: true, disabled: true }), h('label', { for: 'team-me', text: `${me.name || me.username} (${t('me')})` })),
    users.map((u) => {
      const id = `tm-${u.id}`;
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, 'data-user': u.username, checked: team.has(u.id),
        on: { change: (e) => (e.target.checked ? team.add(u.id) : team.delete(u.id)) } }), h('label', { for: id, text: u.name || u.username }));
    }),
    users.length ? null : h('p', { class: 'hint', text: t('team_unavailable') })),
  radios('ombuds', t('ombuds_rep'), yesNo(), f.ombudsperson_rep_present, (v) => { f.ombudsperson_rep_present = v; }),
  field(t('arrived_at'), arrived),
  field(t('admitted_at'), admitted),
  field(t('team_size'), teamSize, capHint),
  radios('rep-iv', t('rep_in_interviews'), [['yes', t('yes')], ['no', t('no')], ['no_interviews', t('rep_no_interviews')]], f.rep_in_interviews || '', (v) => { f.rep_in_interviews = v; }),
  h('section', {}, h('h2', { text: t('check_recommendations') }), h('p', { class: 'hint', text: isCoordinator(store) ? t('check_recommendations_hint') : t('rec_status_coordinator') }), checkList(recs, picked, visitId, locked, isCoordinator(store)))),
  msg,
  locked ? null : h('button', { type: 'submit', class: 'primary', id: 'visit-save', text: visit ? t('save') : t('start_visit') }));
}

function toLocalInput(iso) {
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function visitHub(ctx, visitId) {
  const { store } = ctx;
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const fac = await store.get('facility', visit.fields.facility_id);
  const locations = (await store.ofVisit('location', visitId)).sort((a, b) => (a.fields.label || '').localeCompare(b.fields.label || '', lang(), { numeric: true }));
  const observations = await store.ofVisit('observation', visitId);
  const count = (locId) => new Set(observations.filter((o) => (o.fields.location_id || '') === locId && answered(o.fields.value)).map((o) => o.fields.item)).size;
  const submitted = visit.fields.status !== 'draft' && visit.fields.status;
  const locked = isLocked(visit);
  const tpl = await store.checklist(visit.fields.checklist);
  const kinds = (tpl && tpl.location_kinds && tpl.location_kinds.length) ? tpl.location_kinds : LOCATION_KINDS;
  const kind = select(kinds.map((k) => [k, t(`lk_${k}`)]), kinds[0], { id: 'loc-kind' });
  const label = h('input', { id: 'loc-label', maxlength: 100, placeholder: t('loc_label_example') });
  const msg = h('p', { class: 'error', role: 'alert' });
  const confirmBox = h('div', { id: 'submit-box', 'data-keep': true });
  const placeName = (l) => l.fields.label || t(`lk_${l.fields.kind || 'other'}`);
  // Before submitting: the required questions nobody answered yet, per place, each one tap away.
  const missingList = () => {
    if (!tpl) return null;
    const missing = missingRequired(tpl, observations, locations.map((l) => ({ id: l.id, label: placeName(l) })));
    if (!missing.length) return h('p', { class: 'notice good', id: 'missing-none', text: t('missing_none') });
    return h('section', { id: 'missing', class: 'boxed' }, h('h3', { text: t('missing_title') }), h('p', { class: 'hint', text: t('missing_hint') }),
      missing.map((p) => h('div', { class: 'missing-place', 'data-location': p.locationId }, h('h4', { text: p.label }),
        h('ul', { class: 'list compact' }, p.items.map((it) => h('li', {}, h('a', { class: 'card missing-item', 'data-item': it.id,
          href: `#/visit/${visitId}/check/${p.locationId || 'visit'}/${it.section}/${it.id}`, text: `${it.code} · ${txt(it.label)}` })))))));
  };
  const submit = () => confirmBox.replaceChildren(h('div', { class: 'warning' }, missingList(), h('p', { text: t('submit_confirm') }),
    h('button', { type: 'button', class: 'primary', id: 'submit-confirm', on: { click: async () => {
      const msg = h('p', { class: 'error', role: 'alert', id: 'submit-failed' });
      if (!await saved(msg, () => store.change('visit', visitId, { status: 'submitted', ended_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }))) {
        confirmBox.replaceChildren(msg);
        return;
      }
      confirmBox.replaceChildren();
      ctx.render();
    } }, text: t('submit_visit') }),
    h('button', { type: 'button', on: { click: () => confirmBox.replaceChildren() }, text: t('cancel') })));
  // Drawn from the same reads (a pulled page of other visits): the screen stays (dom.js, drawnFrom).
  const users = (await store.meta('users')) || [];
  const inputs = { visit: visit.fields, fac: fac && fac.fields, locations: fieldsOf(locations), observations: fieldsOf(observations), tpl, users };
  return drawnFrom(inputs, async () => h('div', {},
    h('h1', { text: fac ? facilityName(fac.fields, lang()) : t('visit') }),
    h('p', { class: 'meta', id: 'visit-status' }, `${t(`vk_${visit.fields.kind || 'regular'}`)} · ${fmtTime(visit.fields.started_at)} · `,
      h('span', { class: `badge ${submitted ? 'good' : ''}`, text: t(`vs_${visit.fields.status || 'draft'}`) })),
    await approvedBanner(store, visit),
    h('nav', { class: 'grid' },
      h('a', { class: 'button', href: `#/visit/${visitId}/check/visit`, id: 'visit-checklist' }, t('visit_checklist'), h('span', { class: 'count', text: String(count('')) })),
      h('a', { class: 'button', href: `#/visit/${visitId}/recommendations`, id: 'visit-recs', text: t('recommendations') }),
      h('a', { class: 'button', href: `#/visit/${visitId}/access`, id: 'visit-access', text: t('access_button') }),
      h('a', { class: 'button confidential', href: `#/visit/${visitId}/interviews`, id: 'visit-interviews', text: t('interviews') }),
      h('a', { class: 'button confidential', href: `#/visit/${visitId}/confidential`, id: 'visit-conf', text: t('confidential_notes') }),
      h('a', { class: 'button', href: `#/visit-edit/${visitId}`, id: 'visit-edit', text: t('edit_visit') })),
    h('h2', { text: t('locations') }),
    h('ul', { class: 'list', id: 'location-list' }, locations.map((l) => h('li', {},
      h('a', { class: 'card', href: `#/visit/${visitId}/check/${l.id}`, 'data-label': l.fields.label },
        h('strong', { text: placeName(l) }),
        h('span', { class: 'meta', text: `${t(`lk_${l.fields.kind || 'other'}`)} · ${t('answered_n', { n: count(l.id) })}` })))),
    locations.length ? null : h('li', { class: 'empty', text: t('no_locations') })),
    locked ? null : h('form', { class: 'boxed', id: 'add-location', on: { submit: async (e) => {
      e.preventDefault();
      if (!label.value.trim()) { msg.textContent = t('label_required'); label.focus(); return; }
      if (!await saved(msg, () => store.change('location', uuidv7(), { visit_id: visitId, kind: kind.value, label: label.value.trim() }))) return;
      label.value = '';
      delete label.dataset.dirty;
      ctx.render();
    } } }, h('h3', { text: t('add_location') }), field(t('loc_kind'), kind), field(t('loc_label'), label), msg,
    h('button', { type: 'submit', id: 'loc-add', text: t('add') })),
    locked ? null : submitted ? h('p', { class: 'notice', text: t('visit_submitted_note') })
      : h('div', {}, h('button', { type: 'button', class: 'primary', id: 'submit-visit', on: { click: submit }, text: t('submit_visit') }), confirmBox)));
}

/** parseAnswer turns an input's text into the item's value; returns {value} or {error}. */
export function parseAnswer(item, raw) {
  const s = String(raw).trim();
  if (s === '') return { value: null };
  if (item.type === 'number' || item.type === 'integer') {
    const norm = s.replace(/\s/g, '').replace(',', '.');
    if (!/^-?\d*\.?\d+$|^-?\d+\.$/.test(norm)) return { error: 'not_number' };
    const v = Number(norm);
    if (item.type === 'integer' && !Number.isInteger(v)) return { error: 'not_whole' };
    if (v < item.min || v > item.max) return { error: 'range' };
    return { value: v === 0 ? 0 : v };
  }
  if (item.type === 'text') return s.length > item.max_length ? { error: 'too_long' } : { value: s };
  return { value: s };
}

/** BUILD_SLICE_MS bounds the main thread's work of building a place's page in one task. */
const BUILD_SLICE_MS = 30;

// Indicator standards opened by a tap stay open through redraws (keyed by visit, place and indicator).
const openStandards = new Set();
// The item a link asked to show (#/visit/V/check/L/S/item) is focused once, not at every redraw.
let focusedLink = '';

/** copiedKey is where the marks of copied answers of a place are kept on the device. */
const copiedKey = (visitId, locId) => `copied:${visitId}:${locId}`;

/**
 * drawnPage is the place page on the screen: its key (visit, place,
 * section), its element, and what it was drawn from (pageInputs), kept up to
 * date with what the member saved on it. A redraw that would draw the same
 * keeps the page as it is (issue 20: every pulled page rebuilt a page of a
 * hundred questions, 100 to 200 ms of style, layout and garbage collection
 * at 4× CPU, while the member typed); anything else it shows that changed
 * (a teammate's answer, a value taken back, the visit approved, another
 * language) draws it anew.
 */
let drawnPage = null;

/** pageInputs is what a place page is drawn from, besides the template and the section. */
function pageInputs({ me, visit, loc, users, allObs, copied, locations }) {
  return {
    lang: lang(), me: me.id, visit: visit.fields, loc: loc ? loc.fields : null, users,
    obs: new Map(allObs.map((o) => [o.key, o])), copied, locations,
  };
}

/**
 * previousRead is previousPlace (fieldrules.js) on answers read a place at a
 * time: the places it looks at, from the one before locId back to the first
 * with an answer of the member's, are read into byPlace (place id → its
 * observations) through read, and no other.
 */
async function previousRead(locations, locId, byPlace, mineIn, read) {
  for (;;) {
    let unread = null;
    const prev = previousPlace(locations, locId, (lid) => {
      if (byPlace.has(lid)) return mineIn(lid);
      unread = lid;
      return true; // the walk stops here: this place is read, and the walk made again
    });
    if (!unread) return prev;
    byPlace.set(unread, await read(unread));
  }
}

/** sameInputs says whether two pageInputs draw the same page. */
function sameInputs(a, b) {
  if (a.lang !== b.lang || a.me !== b.me || !same(a.visit, b.visit) || !same(a.loc, b.loc) || !same(a.users, b.users)) return false;
  if (a.obs.size !== b.obs.size || a.copied.size !== b.copied.size) return false;
  for (const [k, o] of a.obs) {
    const p = b.obs.get(k);
    if (!p || !!o.own !== !!p.own || !same(o.fields, p.fields)) return false;
  }
  for (const [k, v] of a.copied) if (b.copied.get(k) !== v) return false;
  if (!a.locations !== !b.locations) return false;
  if (a.locations) {
    if (a.locations.length !== b.locations.length) return false;
    for (let i = 0; i < a.locations.length; i++) {
      if (a.locations[i].key !== b.locations[i].key || !same(a.locations[i].fields, b.locations[i].fields)) return false;
    }
  }
  return true;
}

async function checklist(ctx, visitId, locId, sectionId, focusItem) {
  const { store } = ctx;
  const me = store.session.user;
  const epoch = store.visitEpoch(visitId); // before any read of the visit's records
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const tpl = await store.checklist(visit.fields.checklist);
  if (!tpl) return h('p', { class: 'error', text: t('no_checklist') });
  const locked = isLocked(visit);
  const scope = locId === 'visit' ? 'visit' : 'location';
  const loc = scope === 'location' ? await store.get('location', locId) : null;
  const locationId = loc ? loc.id : '';
  const users = (await store.meta('users')) || [];
  // Answers copied from the previous place stay marked until confirmed or changed.
  const copied = new Map(Object.entries((await store.meta(copiedKey(visitId, locId))) || {}));
  const sections = tpl.sections.filter((s) => tpl.items.some((i) => i.scope === scope && i.section === s.id));
  const section = sections.find((s) => s.id === sectionId) || sections[0];
  const key = `${visitId}/${locId}/${section.id}`;
  const shown = drawnPage && drawnPage.key === key && drawnPage.tpl === tpl && drawnPage.inputs && drawnPage.el && drawnPage.el.isConnected ? drawnPage : null;
  // No record of the visit written since the page was drawn from them (a
  // pulled page of other visits' history): nothing of them is read again.
  if (shown && shown.epoch === epoch && sameInputs(shown.inputs, { ...shown.inputs, lang: lang(), me: me.id, visit: visit.fields, loc: loc ? loc.fields : null, users, copied })) {
    return null;
  }
  // The place's own answers, through the index by visit and place (a full
  // visit's thousand records were 40 to 60 ms of IndexedDB at 4× CPU, issue 20),
  // and those of the places "same as the previous place" looks at.
  const isMine = (o) => o.fields.author_id === me.id || (o.own && !o.fields.author_id);
  const byPlace = new Map([[locationId, await store.placeOf('observation', visitId, locationId)]]);
  const locations = scope === 'location' && !locked ? await store.ofVisit('location', visitId) : null;
  const mineIn = (lid) => byPlace.get(lid).some((o) => isMine(o) && answered(o.fields.value));
  const prev = locations ? await previousRead(locations, locId, byPlace, mineIn, (lid) => store.placeOf('observation', visitId, lid)) : null;
  const allObs = [...byPlace.values()].flat();
  // Comparing and building start in a task of their own.
  await yieldToEvents();
  const base = `/visit/${visitId}/check/${locId}`;
  const link = `${base}/${section.id}/${focusItem || ''}`;
  if (focusItem && focusedLink !== link) {
    focusedLink = link;
    requestAnimationFrame(() => {
      const block = document.querySelector(`.item[data-item="${CSS.escape(focusItem)}"]`);
      if (!block) return;
      block.scrollIntoView({ block: 'center' });
      firstControl(block)?.focus({ preventScroll: true });
    });
  }
  const inputs = pageInputs({ me, visit, loc, users, allObs, copied, locations });
  // Drawn from the same: the page on the screen stays (app.js keeps the screen when a view gives nothing).
  if (shown && sameInputs(shown.inputs, inputs)) {
    shown.epoch = epoch;
    return null;
  }
  const page = { key, tpl, inputs, epoch, el: null };
  drawnPage = page;

  const obs = byPlace.get(locationId);
  const mine = new Map();
  const others = new Map();
  for (const o of obs) {
    if (isMine(o)) mine.set(o.fields.item, o);
    else {
      if (!others.has(o.fields.item)) others.set(o.fields.item, []);
      others.get(o.fields.item).push(o);
    }
  }
  const values = {};
  for (const [item, o] of mine) values[item] = o.fields.value;
  // The kind of place is the one question for it: indicators read it (when.kind_in), no item asks it again.
  if (loc && loc.fields.kind) values[KIND_KEY] = loc.fields.kind;
  const idx = sections.indexOf(section);
  const items = tpl.items.filter((i) => i.scope === scope && i.section === section.id);
  const inds = tpl.indicators.filter((i) => i.scope === scope);
  // Each indicator is shown beside the item it is anchored to: its denominator or its value.
  const anchors = new Map();
  for (const ind of inds) {
    const a = ind.formula.den || ind.formula.item;
    if (!anchors.has(a)) anchors.set(a, []);
    anchors.get(a).push(ind);
  }
  const indBoxes = new Map();
  const chipsDrawn = new Map(); // anchor item → what its chips show
  const blockOf = new Map(); // item id → its block
  const leftOf = new Map(); // section id → its "left" mark in the list of sections
  const left = sectionsLeft(tpl, scope, values);
  const progress = h('p', { class: 'progress', id: 'section-left', 'aria-live': 'polite' });
  const drawProgress = (all) => {
    const l = all.get(section.id) || { left: 0, total: 0 };
    progress.textContent = l.left ? t('left_in_section', { n: l.left, total: l.total }) : `✓ ${t('section_done')}`;
    progress.classList.toggle('done', !l.left);
    for (const [id, mark] of leftOf) {
      const n = (all.get(id) || { left: 0 }).left;
      mark.textContent = n ? t('left_n', { n }) : '✓';
      mark.classList.toggle('done', !n);
    }
  };
  // What a key or a tap changes: which questions are asked, the indicators, what is left.
  const redraw = () => {
    // A question is shown only when its condition holds on this place's answers.
    for (const it of items) {
      if (!it.relevant) continue;
      const block = blockOf.get(it.id);
      if (block) block.hidden = !isRelevant(it, values);
    }
    for (const [itemId, box] of indBoxes) {
      const results = anchors.get(itemId).map((ind) => evaluate(ind, values));
      const shows = JSON.stringify(results);
      if (chipsDrawn.get(itemId) === shows) continue; // the chips of an unchanged result stay
      chipsDrawn.set(itemId, shows);
      box.replaceChildren(...anchors.get(itemId).map((ind, i) => indicatorChip(ind, results[i], `${visitId}/${locId}/${ind.id}`)).filter(Boolean));
    }
    drawProgress(sectionsLeft(tpl, scope, values));
  };
  // A key or a tap redraws in a task of its own, once for keys that come
  // together: the key's own task (the browser's text input and layout) and
  // the redraw each stay short (issue 20: at 4× CPU they were one task of 100 to 270 ms).
  let soon = null;
  const redrawSoon = () => {
    if (!soon) soon = setTimeout(() => { soon = null; redraw(); }, 0);
  };

  const saveCopied = () => store.setMeta(copiedKey(visitId, locId), Object.fromEntries(copied));
  const unmark = async (itemId) => {
    if (!copied.delete(itemId)) return;
    await saveCopied();
    const block = blockOf.get(itemId);
    if (block) {
      block.classList.remove('copied');
      block.querySelector('.copied-mark')?.remove();
    }
    const all = document.getElementById('confirm-copied');
    const n = items.filter((i) => copied.has(i.id)).length;
    if (all) {
      if (n) all.textContent = t('confirm_copied_n', { n });
      else all.remove();
    }
  };

  // save stores an answer (or its note) on this phone and queues it for the
  // server. When the phone cannot store it (its storage full, the database
  // closed) it says so beside the question, the question counts as it was
  // stored, not as it was typed, and the error is returned (null when saved).
  async function save(item, value, note) {
    if (locked) return null;
    const own = mine.get(item.id);
    const fields = {};
    if (value !== undefined) fields.value = value;
    if (note !== undefined) fields.note = note;
    try {
      const id = own ? own.id : uuidv7();
      if (own) {
        await store.change('observation', id, fields);
      } else {
        Object.assign(fields, { visit_id: visitId, item: item.id });
        if (locationId) fields.location_id = locationId;
        await store.change('observation', id, fields, { localFields: { author_id: me.id } });
      }
      // The page shows what was saved: what it is drawn from says so too.
      const rec = await store.get('observation', id);
      mine.set(item.id, rec);
      if (rec) page.inputs.obs.set(rec.key, rec);
    } catch (err) {
      const stored = mine.get(item.id);
      values[item.id] = stored ? stored.fields.value : undefined;
      if (values[item.id] === undefined) delete values[item.id];
      notSaved(item.id, err);
      redrawSoon();
      return err;
    }
    notSaved(item.id, null);
    if (value !== undefined) await unmark(item.id);
    return null;
  }

  // "Same as the previous place": asks first, never overwrites an answer given here.
  let copyRow = null;
  if (locations) {
    if (prev) {
      const from = {};
      for (const o of byPlace.get(prev.id)) if (isMine(o)) from[o.fields.item] = o.fields.value;
      const prevName = prev.fields.label || t(`lk_${prev.fields.kind || 'other'}`);
      const box = h('div', { id: 'copy-box', 'data-keep': true });
      // The plan is made at the tap, on the answers given here by then.
      const doCopy = async (plan) => {
        for (const p of plan) {
          const err = await save(p.item, p.value);
          if (err) {
            // Those copied so far stay; the rest is not copied, and the monitor is told why.
            await saveCopied();
            box.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'copy-failed', text: notSavedText(err) }));
            page.inputs = null; // those copied are drawn anew (the message, kept, stays)
            ctx.render();
            return;
          }
          copied.set(p.item.id, prevName);
        }
        await saveCopied();
        box.replaceChildren();
        page.inputs = null; // the copied answers are drawn anew
        ctx.render();
      };
      const ask = () => {
        const plan = copyPlan(tpl, from, values);
        if (!plan.length) {
          copyRow.remove();
          return;
        }
        box.replaceChildren(h('div', { class: 'boxed copy-ask', role: 'alertdialog' },
          h('p', { text: t('copy_confirm', { n: plan.length, place: prevName }) }),
          h('button', { type: 'button', class: 'primary', id: 'copy-do', on: { click: () => doCopy(plan) }, text: t('copy_do', { n: plan.length }) }),
          h('button', { type: 'button', id: 'copy-cancel', on: { click: () => box.replaceChildren() }, text: t('cancel') })));
      };
      copyRow = copyPlan(tpl, from, values).length ? h('div', { class: 'copy-prev' },
        h('button', { type: 'button', id: 'copy-prev', on: { click: ask }, text: t('copy_prev', { place: prevName }) }), box) : null;
    }
  }

  // The sections as a list that wraps (a select would cut long Kazakh titles at 360 px), each with what is left.
  const nav = h('details', { class: 'sections', id: 'sections' },
    h('summary', {}, h('span', { text: `${t('section')} ${idx + 1}/${sections.length}` }), h('span', { class: 'meta', text: ` · ${t('all_sections')}` })),
    h('ol', { class: 'section-list' }, sections.map((s, i) => {
      const l = left.get(s.id) || { left: 0 };
      const mark = h('span', { class: `left${l.left ? '' : ' done'}`, text: l.left ? t('left_n', { n: l.left }) : '✓' });
      leftOf.set(s.id, mark);
      return h('li', {}, h('a', { href: `#${base}/${s.id}`, class: `section-link${s === section ? ' current' : ''}`, 'data-section': s.id,
        'aria-current': s === section ? 'page' : null },
      h('span', { text: `${i + 1}. ${txt(s.title)}` }), mark));
    })));
  // One read of the visit's photos for the first draw of the place's photos.
  const visitPhotos = listPhotos(store, visitId);
  const env = { save, values, redraw: redrawSoon, users, me, locked, copied, unmark, store, visitId, locationId, mine };
  const copiedHere = items.filter((i) => copied.has(i.id));

  // The questions are built a slice at a time with the main thread free in
  // between (issue 20: a place's page was one task of 150 to 230 ms at 4× CPU).
  const blocks = [];
  let t0 = performance.now();
  for (const item of items) {
    const box = anchors.has(item.id) ? h('div', { class: 'indicators', 'aria-live': 'polite' }) : null;
    if (box) indBoxes.set(item.id, box);
    const block = itemBlock(item, mine.get(item.id), others.get(item.id) || [], env, box);
    blockOf.set(item.id, block);
    blocks.push(block);
    if (performance.now() - t0 > BUILD_SLICE_MS) {
      await yieldToEvents();
      t0 = performance.now();
    }
  }
  page.el = h('div', { class: 'checklist', 'data-scope': scope },
    h('p', { class: 'crumb' }, h('a', { href: `#/visit/${visitId}`, text: `← ${t('back_to_visit')}` })),
    h('h1', { text: loc ? loc.fields.label || t(`lk_${loc.fields.kind}`) : t('visit_checklist') }),
    await approvedBanner(store, visit),
    copyRow,
    nav,
    h('h2', { text: txt(section.title) }),
    progress,
    blocks,
    scope === 'location' ? h('section', { class: 'place-photos' }, h('h2', { text: t('photos_of_place') }),
      photoSection(store, { visitId, locationId, locked, id: 'place-photos', visitPhotos })) : null,
    copiedHere.length ? h('button', { type: 'button', id: 'confirm-copied', on: { click: async () => {
      for (const i of copiedHere) await unmark(i.id);
    } }, text: t('confirm_copied_n', { n: copiedHere.length }) }) : null,
    h('div', { class: 'row pager' },
      idx > 0 ? h('a', { class: 'button', href: `#${base}/${sections[idx - 1].id}`, id: 'prev-section', text: `← ${t('prev_section')}` }) : h('span'),
      idx < sections.length - 1 ? h('a', { class: 'button primary', href: `#${base}/${sections[idx + 1].id}`, id: 'next-section', text: `${t('next_section')} →` })
        : h('a', { class: 'button primary', href: `#/visit/${visitId}`, id: 'next-section', text: t('done') })));
  redraw();
  return page.el;
}

/** firstControl is the control a question is answered with (the chosen option of a choice). */
function firstControl(block) {
  return block.querySelector('input[type=radio]:checked:not(:disabled)') ||
    block.querySelector('input:not([type=hidden]):not(:disabled), textarea:not(.note-text):not(:disabled)');
}

/** focusNext moves to the next question of the section, or to "Next section" after the last one (Enter / Next on the keyboard). */
function focusNext(from) {
  const blocks = [...document.querySelectorAll('.checklist .item')];
  const i = blocks.indexOf(from.closest('.item'));
  for (const b of blocks.slice(i + 1)) {
    const c = firstControl(b);
    if (c) {
      c.focus();
      c.scrollIntoView({ block: 'center' });
      return;
    }
  }
  document.getElementById('next-section')?.focus();
}

function unitOf(item) {
  return item.unit_label ? txt(item.unit_label) : '';
}

// notSaved shows beside a question that its answer was not stored on the
// phone (err), or clears that message once it is (err null). A range or
// format message on the same line is left to its own code.
function notSaved(itemId, err) {
  const msg = document.getElementById(`msg-${itemId}`);
  const block = msg && msg.closest('.item');
  if (!err) {
    if (msg && msg.dataset.unsaved) {
      msg.textContent = '';
      delete msg.dataset.unsaved;
    }
    if (block) block.classList.remove('unsaved');
    return;
  }
  console.warn('answer not saved', err);
  if (!msg) return;
  msg.textContent = notSavedText(err);
  msg.dataset.unsaved = '1';
  if (block) block.classList.add('unsaved');
}

function itemBlock(item, own, others, env, indBox) {
  const value = own ? own.fields.value : null;
  const msg = h('p', { class: 'error', role: 'alert', id: `msg-${item.id}` });
  const setError = (input, code) => {
    if (!code) {
      msg.textContent = '';
      input && input.removeAttribute('aria-invalid');
      return;
    }
    input && input.setAttribute('aria-invalid', 'true');
    msg.textContent = t(`err_${code}`, { min: fmtNum(item.min), max: fmtNum(item.max), unit: unitOf(item), n: item.max_length });
  };
  const store = async (v) => {
    env.values[item.id] = v;
    env.redraw();
    await env.save(item, v);
  };
  const onEnter = (input) => input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing) return;
    e.preventDefault();
    focusNext(input);
  });
  let control;
  const inputId = `in-${item.id}`;
  const labelText = `${item.code} · ${txt(item.label)}${item.required ? ' *' : ''}`;
  if (item.type === 'number' || item.type === 'integer') {
    const input = h('input', { id: inputId, type: 'text', inputmode: item.type === 'integer' ? 'numeric' : 'decimal', enterkeyhint: 'next',
      autocomplete: 'off', 'data-item': item.id, value: value === null || value === undefined ? '' : fmtNum(value, true),
      'aria-describedby': `msg-${item.id}`, disabled: env.locked });
    input.addEventListener('input', () => {
      const r = parseAnswer(item, input.value);
      if (!r.error) {
        env.values[item.id] = r.value;
        env.redraw();
      }
    });
    input.addEventListener('change', () => {
      const r = parseAnswer(item, input.value);
      setError(input, r.error);
      if (!r.error) store(r.value);
    });
    onEnter(input);
    control = h('div', { class: 'field' }, h('label', { for: inputId, text: labelText }),
      h('div', { class: 'with-unit' }, input, unitOf(item) ? h('span', { class: 'unit', text: unitOf(item) }) : null),
      h('p', { class: 'range', text: t('range_hint', { min: fmtNum(item.min), max: fmtNum(item.max), unit: unitOf(item) }) }));
  } else if (item.type === 'yesno' || item.type === 'choice') {
    const opts = item.type === 'yesno' ? [[true, t('yes')], [false, t('no')]] : item.options.map((o) => [o.id, txt(o.label)]);
    control = radios(`r-${item.id}`, labelText, opts, value, (v) => store(v), { 'data-item': item.id, disabled: env.locked });
  } else if (item.type === 'multichoice') {
    // Several options: the answer is the chosen option ids, in the options' order.
    const chosen = new Set(Array.isArray(value) ? value : []);
    const boxes = item.options.map((o) => {
      const id = `mc-${item.id}-${o.id}`;
      const box = h('input', { type: 'checkbox', id, value: o.id, checked: chosen.has(o.id), disabled: env.locked, 'data-item': item.id });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(o.id); else chosen.delete(o.id);
        store(item.options.map((x) => x.id).filter((x) => chosen.has(x)));
      });
      return h('div', { class: 'check' }, box, h('label', { for: id, text: txt(o.label) }));
    });
    control = h('fieldset', { class: 'field multi', 'data-item': item.id }, h('legend', { text: labelText }), boxes);
  } else if (item.type === 'date' || item.type === 'time') {
    const input = h('input', { id: inputId, type: item.type, 'data-item': item.id, value: value || '', disabled: env.locked });
    input.addEventListener('change', () => store(input.value || null));
    control = h('div', { class: 'field' }, h('label', { for: inputId, text: labelText }), input);
  } else if (item.type === 'note') {
    control = h('p', { class: 'note-item', id: inputId, text: `${item.code} · ${txt(item.label)}` });
  } else if (item.type === 'datetime') {
    const input = h('input', { id: inputId, type: 'datetime-local', 'data-item': item.id, value: value ? toLocalInput(value) : '', disabled: env.locked });
    input.addEventListener('change', () => store(input.value ? new Date(input.value).toISOString() : null));
    control = h('div', { class: 'field' }, h('label', { for: inputId, text: labelText }), h('div', { class: 'row' }, input,
      env.locked ? null : h('button', { type: 'button', class: 'small', on: { click: () => { input.value = toLocalInput(new Date().toISOString()); store(new Date().toISOString()); } }, text: t('now') })));
  } else {
    const input = h('textarea', { id: inputId, rows: 3, maxlength: item.max_length, 'data-item': item.id, value: value || '', disabled: env.locked });
    input.addEventListener('change', () => {
      const r = parseAnswer(item, input.value);
      setError(input, r.error);
      if (!r.error) store(r.value);
    });
    control = h('div', { class: 'field' }, h('label', { for: inputId, text: labelText }), input,
      item.personal ? h('p', { class: 'hint', text: t('personal_hint') }) : null);
  }
  if (item.type === 'note') {
    return h('div', { class: 'item note', 'data-item': item.id, hidden: !isRelevant(item, env.values) },
      control, item.help ? h('p', { class: 'hint', text: txt(item.help) }) : null);
  }
  const from = env.copied.get(item.id);
  return h('div', { class: `item${from ? ' copied' : ''}`, 'data-item': item.id, hidden: !isRelevant(item, env.values) },
    control, msg,
    from ? h('div', { class: 'copied-mark' }, h('span', { text: t('copied_mark', { place: from }) }),
      h('button', { type: 'button', class: 'small confirm-copy', 'data-item': item.id, on: { click: () => env.unmark(item.id) }, text: t('confirm') })) : null,
    indBox,
    others.length ? h('ul', { class: 'others', 'aria-label': t('others_values') }, others.map((o) => h('li', { 'data-author': o.fields.author_id },
      `${userName(env.users, o.fields.author_id, env.me)}: ${showValue(item, o.fields.value)}${o.fields.note ? ` — ${o.fields.note}` : ''}`))) : null,
    lazyDetails({ class: 'help', id: `help-${item.id}` }, h('summary', { text: t('help_and_note') }), () => helpAndNote(item, env)));
}

/**
 * helpAndNote is what a question's "help and note" holds: built when it is
 * first opened (dom.js, lazyDetails), with the note as saved by then and the
 * question's photos read then.
 */
function helpAndNote(item, env) {
  const noteId = `note-${item.id}`;
  const own = env.mine.get(item.id);
  const note = h('textarea', { id: noteId, class: 'note-text', rows: 2, maxlength: 2000, value: (own && own.fields.note) || '', disabled: env.locked });
  note.addEventListener('change', () => env.save(item, undefined, note.value));
  return [item.help ? h('p', { text: txt(item.help) }) : null,
    item.source ? h('p', { class: 'meta item-source', text: `${t('source')}: ${txt(item.source)}` }) : null,
    h('label', { for: noteId, text: t('note') }), note,
    photoSection(env.store, { visitId: env.visitId, locationId: env.locationId, item: item.id, locked: env.locked, id: `photos-${item.id}` })];
}

function showValue(item, v) {
  if (v === null || v === undefined) return '—';
  if (item.type === 'yesno') return v ? t('yes') : t('no');
  if (item.type === 'choice') {
    const o = item.options.find((x) => x.id === v);
    return o ? txt(o.label) : v;
  }
  if (item.type === 'multichoice' && Array.isArray(v)) {
    return v.length ? v.map((id) => { const o = item.options.find((x) => x.id === id); return o ? txt(o.label) : id; }).join(', ') : '—';
  }
  if (typeof v === 'number') return `${fmtNum(v)} ${unitOf(item)}`.trim();
  if (item.type === 'datetime') return fmtTime(v);
  return String(v);
}

const COMPARE = { gte: '≥', gt: '>', lte: '≤', lt: '<' };

/** indicatorChip shows one indicator result: colour and words, and its standard on tap (kept open under key). */
function indicatorChip(ind, res, key) {
  if (!res.applicable) return null;
  const unit = ind.unit_label ? txt(ind.unit_label) : '';
  const value = res.value === null ? t('no_value') : `${fmtNum(res.value)} ${unit}`.trim();
  const open = openStandards.has(key);
  const src = h('div', { class: 'source', hidden: !open, id: `std-${ind.id}` },
    ind.threshold != null ? h('p', { text: `${t('standard')}: ${COMPARE[ind.comparison] || ''} ${fmtNum(ind.threshold)} ${unit}` }) : null,
    ind.source ? h('p', { text: `${t('source')}: ${txt(ind.source)}` }) : null,
    ind.verify ? h('p', { text: t('band_context_long') }) : null);
  const btn = h('button', { type: 'button', class: `ind band-${res.band}`, 'aria-expanded': String(open), 'aria-controls': `std-${ind.id}`,
    id: `ind-${ind.id}`, 'data-indicator': ind.id, 'data-band': res.band,
    on: { click: () => {
      src.hidden = !src.hidden;
      btn.setAttribute('aria-expanded', String(!src.hidden));
      if (src.hidden) openStandards.delete(key); else openStandards.add(key);
    } } },
  h('span', { class: 'ind-label', text: `${txt(ind.label)}: ` }), h('strong', { text: value }), h('span', { class: 'ind-band', text: ` — ${res.band_label ? txt(res.band_label) : t(`band_${res.band}`)}` }));
  return h('div', { class: 'ind-wrap' }, btn, src);
}

async function recommendations(ctx, visitId) {
  const { store } = ctx;
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const made = (await store.ofFacility('recommendation', visit.fields.facility_id)).filter((r) => r.fields.visit_id === visitId);
  const recs = await openRecommendations(store, visit.fields.facility_id, visitId);
  const picked = {};
  const text = h('textarea', { id: 'rec-text', rows: 4, maxlength: 4000, required: true });
  const category = h('input', { id: 'rec-category', maxlength: 100 });
  const addressee = h('input', { id: 'rec-addressee', maxlength: 200 });
  const msg = h('p', { class: 'error', role: 'alert' });
  return h('div', {},
    h('p', { class: 'crumb' }, h('a', { href: `#/visit/${visitId}`, text: `← ${t('back_to_visit')}` })),
    h('h1', { text: t('recommendations') }),
    await approvedBanner(store, visit),
    h('ul', { class: 'list', id: 'rec-list' }, made.map((r) => h('li', { class: 'card' }, h('span', { text: r.fields.text }),
      h('span', { class: 'meta', text: [r.fields.category, r.fields.addressee, t(`rs_${r.fields.status || 'open'}`)].filter(Boolean).join(' · ') })))),
    isLocked(visit) ? null : h('form', { class: 'boxed', on: { submit: async (e) => {
      e.preventDefault();
      if (!text.value.trim()) { msg.textContent = t('text_required'); return; }
      const ok = await saved(msg, () => store.change('recommendation', uuidv7(), { facility_id: visit.fields.facility_id, visit_id: visitId,
        text: text.value.trim(), category: category.value.trim(), addressee: addressee.value.trim(), status: 'open' }));
      if (!ok) return;
      forgetTyping(e.target);
      ctx.render();
    } } }, h('h2', { text: t('new_recommendation') }), field(t('rec_text'), text), field(t('rec_category'), category),
    field(t('rec_addressee'), addressee), msg, h('button', { type: 'submit', class: 'primary', id: 'rec-add', text: t('add') })),
    h('section', {}, h('h2', { text: t('check_recommendations') }), checkList(recs, picked, visitId, isLocked(visit), isCoordinator(store)),
      recs.length && !isLocked(visit) && isCoordinator(store) ? h('button', { type: 'button', on: { click: async () => { if (await saved(msg, () => saveChecks(store, picked, visitId))) ctx.render(); } }, text: t('save') }) : null));
}

async function confidential(ctx, visitId) {
  const { store } = ctx;
  const me = store.session.user;
  const visit = await store.get('visit', visitId);
  if (!visit) return h('p', { text: t('not_found') });
  const notes = await store.ofVisit('confidential_note', visitId);
  const locations = await store.ofVisit('location', visitId);
  const text = h('textarea', { id: 'conf-text', rows: 5, maxlength: 10000, required: true });
  const where = select([['', t('whole_visit')], ...locations.map((l) => [l.id, l.fields.label || t(`lk_${l.fields.kind}`)])], '', { id: 'conf-location' });
  const consent = h('input', { type: 'checkbox', id: 'conf-consent' });
  const msg = h('p', { class: 'error', role: 'alert' });
  return h('div', { class: 'confidential-page' },
    h('p', { class: 'crumb' }, h('a', { href: `#/visit/${visitId}`, text: `← ${t('back_to_visit')}` })),
    h('h1', {}, h('span', { class: 'badge bad', text: t('confidential') }), ' ', t('confidential_notes')),
    h('p', { class: 'warning', role: 'note', text: t('confidential_explainer') }),
    await approvedBanner(store, visit),
    h('ul', { class: 'list', id: 'conf-list' }, notes.map((n) => h('li', { class: 'card confidential' },
      h('span', { class: 'badge bad', text: t('confidential') }), h('span', { class: 'pre', text: n.fields.text }),
      h('span', { class: 'meta', text: [n.fields.author_id && n.fields.author_id !== me.id ? t('member') : t('me'),
        n.fields.consent_to_publish ? t('consent_given') : t('no_consent')].join(' · ') })))),
    isLocked(visit) ? null : h('form', { class: 'boxed confidential', on: { submit: async (e) => {
      e.preventDefault();
      if (!text.value.trim()) { msg.textContent = t('text_required'); return; }
      const fields = { visit_id: visitId, text: text.value.trim(), consent_to_publish: consent.checked };
      if (where.value) fields.location_id = where.value;
      if (!await saved(msg, () => store.change('confidential_note', uuidv7(), fields, { localFields: { author_id: me.id } }))) return;
      forgetTyping(e.target);
      ctx.render();
    } } }, h('h2', { text: t('new_confidential_note') }), field(t('confidential_text'), text), field(t('where'), where),
    h('div', { class: 'check' }, consent, h('label', { for: 'conf-consent', text: t('consent_label') })), msg,
    h('button', { type: 'submit', class: 'primary', id: 'conf-add', text: t('add') })));
}
