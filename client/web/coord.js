// The coordinator's desk (issue 5) and the report buttons (issue 6): visits
// to review, a visit's consolidation with its "to resolve" queue, approval
// and reopening, the facility page with its reports, the audit trail and the
// quarantine. Unlike the field app these screens need the server: they read
// and decide through the API and keep nothing on the device. Staff see the
// same screens read-only where the API lets them; admins' users and devices
// screens are in coord-admin.js. User text goes in as text only (dom.js).
import './i18n-desk.js'; // the desk's strings, before any screen of it is drawn
import { h, field, select, nextId } from './dom.js';
import { t, txt, fmtNum, fmtTime, lang } from './i18n.js';
import { regionName } from './views.js';
import {
  sortVisits, sideBySide, scopeTitle, openItemKey, describeOpenItem, parseDecisionValue, formatValue, itemDefs,
  itemLabel, keyIndicators, indicatorText, indicatorInputs, reportPath, fmtBytes, auditFields,
  auditAction, quarantineSummary, deviceLabel, conflictTitle, conflictValue, consolidatedNote, REPORT_LANGS, CSV_KINDS,
  visitDateWarnings,
} from './coord-format.js';
import { registerAdminViews } from './coord-admin.js';
import { deskApi, downloadReport, deskErrorText } from './coord-api.js';
import { fieldName, refusalText } from './refusals.js';
import { facilityCheckBox, publicationCheckBox } from './coord-publish.js';
import { photoBlock, visitPhotos } from './coord-photos.js';
import { annualReports } from './coord-org.js';
import { deletedScreen } from './coord-deleted.js';
import { facilityName, localText, visitFacilityName } from './names.js';
import { DESK_ROLES } from './desklink.js';
import { facilityNamesForm } from './coord-names.js';

// Every kind of place (schema.LocationKinds): a conflict may be on a place of any checklist.
const LOCATION_KINDS = ['cell', 'ward', 'dormitory', 'yard', 'sanitary', 'medical', 'kitchen', 'visiting_room', 'other',
  'shared_cell', 'single_cell', 'disciplinary_cell', 'police_cell', 'interview_room', 'room', 'single_room', 'isolation_room'];

export function registerDeskViews(register) {
  register('desk', /^\/desk$/, desk);
  register('desk-facilities', /^\/desk\/facilities$/, deskFacilities);
  register('desk-visit', /^\/desk\/visit\/([^/]+)$/, deskVisit);
  register('desk-audit', /^\/desk\/visit\/([^/]+)\/audit$/, deskAudit);
  register('desk-facility', /^\/desk\/facility\/([^/]+)$/, deskFacility);
  register('desk-quarantine', /^\/desk\/quarantine$/, deskQuarantine);
  register('desk-deleted', /^\/desk\/deleted$/, deskDeleted);
  registerAdminViews(register);
}

const errorText = (e) => deskErrorText(e);

// ------------------------------------------------------------------ pieces

function me(ctx) {
  return ctx.store.session.user;
}

function canDecide(ctx, visit) {
  const u = me(ctx);
  return u.role === 'coordinator' && u.region_id === visit.region;
}

function crumb(href, text) {
  return h('p', { class: 'crumb' }, h('a', { href, text: `← ${text}` }));
}

/** deskNav is the row of the desk's screens that the user's role may open. */
function deskNav(ctx, active) {
  const role = me(ctx).role;
  const tabs = [['desk', '#/desk', t('desk_visits')], ['desk-facilities', '#/desk/facilities', t('facilities')]];
  if (role === 'coordinator' || role === 'admin') tabs.push(['desk-quarantine', '#/desk/quarantine', t('quarantine')]);
  if (role === 'coordinator') tabs.push(['desk-deleted', '#/desk/deleted', t('deleted_title')]);
  if (role === 'admin') tabs.push(['admin', '#/admin', t('users_devices')]);
  return h('nav', { class: 'tabs', 'aria-label': t('desk_nav') }, tabs.map(([name, href, text]) =>
    h('a', { href, class: name === active ? 'tab active' : 'tab', 'aria-current': name === active ? 'page' : null, text })));
}

function notForRole() {
  return h('p', { class: 'notice', role: 'note', text: t('desk_not_for_role') });
}

function failure(e) {
  return h('p', { class: 'error', role: 'alert', title: [e.code, e.field, e.message].filter(Boolean).join(' · '), text: errorText(e) });
}

function statusBadge(status) {
  const cls = status === 'approved' ? 'badge good' : status === 'submitted' ? 'badge info' : 'badge';
  return h('span', { class: cls, 'data-status': status, text: t(`vs_${status || 'draft'}`) });
}

/** chip shows one indicator with its band in colour and in words. */
function chip(ind, extra = '') {
  const band = ind.worst_band || ind.band || 'none';
  return h('span', { class: `chip band-${band}`, 'data-indicator': ind.id, 'data-band': band },
    h('span', { class: 'chip-label', text: `${txt(ind.label) || ind.id}${extra}: ` }), h('strong', { text: indicatorText(ind) }));
}

async function templateFor(store, ref) {
  return (await store.checklist(ref)) || null;
}

function flash(ctx) {
  const f = ctx.deskFlash;
  ctx.deskFlash = null;
  return f ? h('p', { class: 'notice good', role: 'status', id: 'desk-flash', text: f }) : null;
}

/** rerender draws the screen again where the user was. */
async function rerender(ctx) {
  const y = scrollY;
  await ctx.render();
  scrollTo(0, y);
}

// ------------------------------------------------------------------ review list

async function desk(ctx) {
  const { store } = ctx;
  const u = me(ctx);
  if (!DESK_ROLES.includes(u.role)) return notForRole();
  const regions = (await store.meta('regions')) || [];
  const state = ctx.deskFilter || (ctx.deskFilter = { status: '', region: '', q: '' });
  let visits;
  try {
    visits = sortVisits((await deskApi(store, 'GET', '/api/v1/visits')).visits || []);
  } catch (e) {
    return h('div', {}, h('h1', { text: t('desk_title') }), deskNav(ctx, 'desk'), failure(e));
  }
  const list = h('ul', { class: 'list', id: 'desk-visits' });
  const count = h('p', { class: 'meta', id: 'desk-count' });
  const draw = () => {
    const q = state.q.trim().toLocaleLowerCase();
    const shown = visits.filter((v) => (!state.status || v.status === state.status) && (!state.region || v.region === state.region) &&
      (!q || visitFacilityName(v, lang()).toLocaleLowerCase().includes(q)));
    count.textContent = t('shown_of', { n: shown.length, total: visits.length });
    list.replaceChildren(...shown.map((v) => h('li', {},
      h('a', { class: `card visit-card status-${v.status}`, href: `#/desk/visit/${v.id}`, 'data-visit': v.id, 'data-status': v.status },
        h('span', { class: 'card-head' }, h('strong', { text: visitFacilityName(v, lang()) || t('facility') }), statusBadge(v.status),
          visitDateWarnings(v).length ? h('span', { class: 'badge warn', 'data-date-warning': '', text: t('date_warn_badge') }) : null),
        h('span', { class: 'meta', text: [fmtTime(v.started_at), t(`vk_${v.kind || 'regular'}`), t('team_n', { n: (v.team || []).length }),
          u.role !== 'coordinator' ? regionName(regions, v.region) : '', v.demo ? t('demo') : ''].filter(Boolean).join(' · ') })))));
    if (!shown.length) list.append(h('li', { class: 'empty', text: visits.length ? t('no_match') : t('no_visits_desk') }));
  };
  const statusSel = select([['', t('all_statuses')], ...['submitted', 'draft', 'approved'].map((s) => [s, t(`vs_${s}`)])], state.status,
    { id: 'desk-status', on: { change: (e) => { state.status = e.target.value; draw(); } } });
  const search = h('input', { id: 'desk-search', type: 'search', value: state.q, on: { input: (e) => { state.q = e.target.value; draw(); } } });
  const regionSel = u.role === 'coordinator' ? null : select([['', t('all_regions')], ...regions.map((r) => [r.code, txt(r.name)])], state.region,
    { id: 'desk-region', on: { change: (e) => { state.region = e.target.value; draw(); drawRegionReports(); } } });
  const regionReports = h('section', { id: 'region-reports' });
  const drawRegionReports = () => {
    const code = u.role === 'coordinator' ? u.region_id : state.region;
    if (!code) {
      regionReports.replaceChildren(h('h2', { text: t('region_reports') }), h('p', { class: 'hint', text: t('pick_region_for_report') }));
      return;
    }
    regionReports.replaceChildren(h('h2', { text: `${t('region_reports')}: ${regionName(regions, code)}` }), reportButtons(ctx, 'region', code));
  };
  draw();
  drawRegionReports();
  return h('div', { class: 'desk' },
    h('h1', { text: t('desk_title') }),
    deskNav(ctx, 'desk'),
    u.role === 'coordinator' ? h('p', { class: 'hint', text: t('desk_intro', { region: regionName(regions, u.region_id) }) }) : null,
    h('div', { class: 'row filters' }, field(t('status'), statusSel), regionSel ? field(t('region'), regionSel) : null, field(t('search_name'), search)),
    count, list, regionReports, annualReports(ctx, regions));
}

async function deskFacilities(ctx) {
  const { store } = ctx;
  const u = me(ctx);
  if (!DESK_ROLES.includes(u.role)) return notForRole();
  const regions = (await store.meta('regions')) || [];
  let facilities;
  try {
    facilities = ((await deskApi(store, 'GET', '/api/v1/facilities')).facilities || [])
      .sort((a, b) => facilityName(a, lang()).localeCompare(facilityName(b, lang()), lang()));
  } catch (e) {
    return h('div', {}, h('h1', { text: t('facilities') }), deskNav(ctx, 'desk-facilities'), failure(e));
  }
  return h('div', { class: 'desk' },
    h('h1', { text: t('facilities') }),
    deskNav(ctx, 'desk-facilities'),
    h('ul', { class: 'list', id: 'desk-facility-list' }, facilities.map((f) => h('li', {},
      h('a', { class: 'card', href: `#/desk/facility/${f.id}`, 'data-facility': f.id },
        h('strong', { text: facilityName(f, lang()) }),
        h('span', { class: 'meta', text: [t(`ft_${f.type || 'other'}`), regionName(regions, f.region), f.verified ? '' : t('unverified')].filter(Boolean).join(' · ') })))),
    facilities.length ? null : h('li', { class: 'empty', text: t('no_facilities_desk') })));
}

// ------------------------------------------------------------------ one visit

async function deskVisit(ctx, visitId) {
  const { store } = ctx;
  const u = me(ctx);
  if (!DESK_ROLES.includes(u.role)) return notForRole();
  let detail;
  let cons;
  try {
    [detail, cons] = await Promise.all([deskApi(store, 'GET', `/api/v1/visits/${encodeURIComponent(visitId)}`),
      deskApi(store, 'GET', `/api/v1/visits/${encodeURIComponent(visitId)}/consolidation`)]);
  } catch (e) {
    return h('div', {}, crumb('#/desk', t('desk_visits')), failure(e));
  }
  const visit = detail.visit;
  const vc = cons.consolidation;
  const template = await templateFor(store, vc.checklist || visit.checklist);
  const decide = canDecide(ctx, visit);
  const locked = visit.status === 'approved';
  const queue = vc.to_resolve || [];
  const team = detail.team || [];
  const facts = [
    [t('status'), statusBadge(visit.status)],
    [t('started_at'), fmtTime(visit.started_at)],
    visit.ended_at ? [t('ended_at'), fmtTime(visit.ended_at)] : null,
    [t('visit_kind'), t(`vk_${visit.kind || 'regular'}`)],
    [t('team'), team.map((m) => m.name || m.username).join(', ') || '—'],
    [t('announced_short'), yesNoSet(visit, detail, 'announced')],
    [t('ombuds_short'), yesNoSet(visit, detail, 'ombudsperson_rep_present')],
    visit.access_refused ? [t('refused_short'), t('yes')] : null,
  ].filter(Boolean);
  const access = await import('./access.js');

  const photoList = visitPhotos(store, visit.id);
  const approveBox = h('div', { id: 'approve-box' });
  // Approved, the check stays: a text is still withheld from the reports there (nothing cleared).
  const pubBox = decide ? publicationCheckBox(ctx, visit, { locked }) : null;
  const decisionBox = h('section', { class: 'boxed decision', id: 'decision' }, h('h2', { text: t('approval') }),
    locked ? h('p', { class: 'notice good', id: 'approved-note', text: t('approved_note') }) : null,
    decide && !locked ? h('div', {},
      pubBox,
      h('p', { class: 'hint', text: queue.length ? t('approve_blocked_hint', { n: queue.length }) : t('approve_hint') }),
      h('button', { type: 'button', class: 'primary', id: 'approve', on: { click: () => approve(ctx, visit, template, approveBox, pubBox) }, text: t('approve_visit') }),
      approveBox) : null,
    decide && locked ? pubBox : null,
    decide && locked ? reopenForm(ctx, visit) : null,
    !decide ? h('p', { class: 'hint', text: t('read_only_desk') }) : null);

  return h('div', { class: 'desk desk-visit', 'data-visit': visit.id },
    crumb('#/desk', t('desk_visits')),
    flash(ctx),
    h('h1', {}, h('a', { href: `#/desk/facility/${visit.facility_id}`, id: 'facility-link', text: visitFacilityName(visit, lang()) || t('facility') })),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    dateWarnings(visit),
    h('nav', { class: 'row links' },
      h('a', { class: 'button', href: `#/desk/facility/${visit.facility_id}`, text: t('facility_page') }),
      u.role !== 'staff' ? h('a', { class: 'button', href: `#/desk/visit/${visit.id}/audit`, id: 'audit-link', text: t('audit_trail') }) : null),
    h('section', { id: 'queue-section', class: queue.length ? 'queue open' : 'queue' },
      h('h2', {}, t('to_resolve'), ' ', h('span', { class: queue.length ? 'count bad' : 'count good', id: 'queue-count', text: String(queue.length) })),
      queue.length ? h('p', { class: 'hint', text: decide ? t('queue_hint') : t('queue_hint_readonly') }) : h('p', { class: 'empty', id: 'queue-empty', text: t('queue_empty') }),
      h('ol', { class: 'list', id: 'queue' }, queue.map((o) => queueEntry(ctx, visit, o, template, decide && !locked)))),
    decisionBox,
    access.deskAccess(visit, detail.obstructions || [], detail.interviews),
    vc.indicators && vc.indicators.some((i) => i.applicable) ? h('section', { id: 'visit-indicators' }, h('h2', { text: t('key_indicators') }),
      h('div', { class: 'chips' }, vc.indicators.filter((i) => i.applicable).map((i) => chip(i)))) : null,
    h('section', { id: 'side-by-side' }, h('h2', { text: t('side_by_side') }), h('p', { class: 'hint', text: t('side_by_side_hint') }),
      [vc.visit, ...(vc.locations || [])].map((scope) => [scopeBlock(scope, template, team),
        photoBlock(ctx, { list: photoList, locationId: scope.location_id || '', template, decide: decide && u.role === 'coordinator' })])),
    h('section', { id: 'status-history' }, h('h2', { text: t('status_history') }), statusHistory(detail.status_history || [])));
}

/** dateWarnings tells the coordinator that the visit's dates look wrong (visitDateWarnings), or is null. */
function dateWarnings(visit) {
  const list = visitDateWarnings(visit);
  if (!list.length) return null;
  return h('div', { class: 'warning', role: 'note', id: 'visit-date-warnings' },
    h('p', { class: 'lead', text: t('date_warn_title') }),
    h('ul', {}, list.map((w) => h('li', { 'data-warning': w.key, text: t(w.key, w.params) }))),
    h('p', { class: 'hint', text: t('date_warn_hint') }));
}

/** queueEntry is one open item with the ways to settle it: a member's value, another value, and the reason. */
function queueEntry(ctx, visit, o, template, decide) {
  const defs = itemDefs(template);
  const c = o.conflict || null;
  const item = o.item || (c && c.item) || '';
  const def = item ? defs.get(item) : null;
  const key = openItemKey(o);
  const reasonId = nextId('reason');
  const reason = h('input', { id: reasonId, class: 'reason', maxlength: 500, autocomplete: 'off', placeholder: t('reason_example') });
  const msg = h('p', { class: 'error', role: 'alert' });
  const where = o.location_label || (o.location_id ? t('rt_location') : t('whole_visit'));
  const title = item ? itemLabel(def, item) : c ? conflictTitle(c) : '';
  const buttons = [];

  async function send(path, body, saved) {
    const why = reason.value.trim();
    if (!why) {
      msg.textContent = t('reason_required');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    msg.textContent = '';
    for (const b of buttons) b.disabled = true;
    try {
      await deskApi(ctx.store, 'POST', path, { ...body, reason: why });
      ctx.deskFlash = t('decision_saved', { what: `${where} · ${title}`, value: saved });
      await rerender(ctx);
    } catch (e) {
      msg.textContent = errorText(e);
      for (const b of buttons) b.disabled = false;
    }
  }
  // Each decision carries the version the screen showed: a colleague's decision in between makes it a visible conflict.
  const consolidate = (body, saved) => send(`/api/v1/visits/${visit.id}/consolidations`, { location_id: o.location_id || '', item, version: o.version || 0, ...body }, saved);
  const resolve = (body, saved) => send(`/api/v1/visits/${visit.id}/conflicts/${c.id}/resolve`, { version: c.version || 0, ...body }, saved);

  let choices;
  if (o.kind === 'conflict' && c) {
    // The server names the set-aside value's author only when that writer's op lost; else its device.
    const loser = c.loser_user_name || (c.loser_device ? `${t('device')} …${c.loser_device.slice(-4)}` : t('member'));
    const win = conflictValue(c, c.winner_value, template);
    const lose = conflictValue(c, c.loser_value, template);
    choices = h('div', { class: 'choices' },
      h('p', { class: 'meta', text: t('conflict_explain', { name: loser, time: fmtTime(c.created_at) }) }),
      h('ul', { class: 'values' },
        h('li', {}, h('span', { class: 'who', text: `${t('kept_value')}: ` }), h('strong', { text: win })),
        h('li', {}, h('span', { class: 'who', text: `${t('set_aside_value')} (${loser}): ` }), h('strong', { text: lose }))),
      decide ? h('div', { class: 'row pick-row' },
        pickButton(buttons, t('keep_value', { value: win }), { 'data-keep': 'winner' }, () => resolve({ keep: 'winner' }, win)),
        pickButton(buttons, t('keep_value', { value: lose }), { 'data-keep': 'loser' }, () => resolve({ keep: 'loser' }, lose))) : null);
  } else {
    choices = h('div', { class: 'choices' },
      h('ul', { class: 'values' }, (o.values || []).map((v) => h('li', { 'data-author': v.author_id },
        h('span', { class: 'who', text: `${v.author_name || t('member')}: ` }), h('strong', { text: formatValue(def, v.value) }),
        v.note ? h('span', { class: 'note', text: ` — ${v.note}` }) : null))),
      decide ? h('div', { class: 'row pick-row' }, (o.values || []).map((v) => {
        const shown = formatValue(def, v.value);
        return pickButton(buttons, t('use_value', { value: shown, name: v.author_name || t('member') }), { 'data-observation': v.observation_id },
          () => consolidate({ observation_id: v.observation_id }, shown));
      })) : null);
  }
  let other = null;
  if (decide) {
    const input = valueInput(def || (c && kindChoices(c)), o.kind === 'conflict' && c ? c.winner_value : null);
    const otherBtn = pickButton(buttons, t('use_other_value'), { class: 'other-apply' }, () => {
      const r = input.read();
      if (r.error) {
        msg.textContent = valueError(def, r.error);
        return;
      }
      const shown = formatValue(def, r.value);
      if (o.kind === 'conflict' && c) resolve({ value: r.value }, shown);
      else consolidate({ value: r.value }, shown);
    });
    other = h('div', { class: 'other' }, field(t('other_value'), input.el), otherBtn);
  }
  return h('li', { class: `card queue-entry kind-${o.kind}`, id: `q-${key}`, 'data-item': item, 'data-location': o.location_id || '', 'data-kind': o.kind, tabindex: '-1' },
    h('strong', { class: 'q-title', text: `${where} · ${title}` }),
    h('span', { class: `badge ${o.kind === 'conflict' ? 'bad' : 'warn'}`, text: o.kind === 'conflict' ? t('open_conflict') : t('open_disagreement') }),
    decide ? field(t('reason'), reason) : null,
    choices, other, msg);
}

function pickButton(list, text, attrs, onClick) {
  const b = h('button', { type: 'button', ...attrs, class: `pick ${attrs.class || ''}`.trim(), on: { click: onClick }, text });
  list.push(b);
  return b;
}

/** kindChoices makes the kinds of a visit or a location a choice, for settling a conflict over one. */
function kindChoices(c) {
  if (c.field !== 'kind' || !['visit', 'location'].includes(c.record_type)) return null;
  const kinds = c.record_type === 'visit' ? ['regular', 'special', 'follow_up'] : LOCATION_KINDS;
  const p = c.record_type === 'visit' ? 'vk' : 'lk';
  return { type: 'choice', options: kinds.map((k) => ({ id: k, label: { en: t(`${p}_${k}`), ru: t(`${p}_${k}`), kk: t(`${p}_${k}`) } })) };
}

/** valueInput is the control for "another value", typed per item: {el, read() → {value}|{error}}. */
function valueInput(def, start) {
  const type = def ? def.type : typeof start === 'number' ? 'number' : typeof start === 'boolean' ? 'yesno' : 'text';
  if (type === 'yesno') {
    const el = select([['', '—'], ['true', t('yes')], ['false', t('no')]], '', { class: 'other-value' });
    return { el, read: () => parseDecisionValue(def || { type: 'yesno' }, el.value) };
  }
  if (type === 'choice' && def) {
    const el = select([['', '—'], ...(def.options || []).map((o) => [o.id, txt(o.label)])], '', { class: 'other-value' });
    return { el, read: () => parseDecisionValue(def, el.value) };
  }
  if (type === 'datetime') {
    const el = h('input', { type: 'datetime-local', class: 'other-value' });
    return { el, read: () => (el.value ? { value: new Date(el.value).toISOString() } : { error: 'empty' }) };
  }
  const numeric = type === 'number' || type === 'integer';
  const el = h('input', { type: 'text', class: 'other-value', autocomplete: 'off', inputmode: numeric ? 'decimal' : null,
    placeholder: numeric && def ? t('range_hint', { min: fmtNum(def.min), max: fmtNum(def.max), unit: def.unit_label ? txt(def.unit_label) : '' }) : null });
  return { el, read: () => parseDecisionValue(def || { type: numeric ? 'number' : 'text' }, el.value) };
}

function valueError(def, code) {
  const unit = def && def.unit_label ? txt(def.unit_label) : '';
  switch (code) {
    case 'empty': return t('value_required');
    case 'not_number': return t('err_not_number');
    case 'not_whole': return t('err_not_whole');
    case 'range': return t('err_range', { min: fmtNum(def.min), max: fmtNum(def.max), unit });
    case 'too_long': return t('err_too_long', { n: def.max_length });
    default: return t('pick_one');
  }
}

async function approve(ctx, visit, template, box, pubBox) {
  box.replaceChildren();
  const btn = document.getElementById('approve');
  if (btn) btn.disabled = true;
  try {
    // The digest of the publication check on screen: the approval records it.
    const digest = (pubBox && pubBox.dataset.digest) || '';
    await deskApi(ctx.store, 'POST', `/api/v1/visits/${visit.id}/approve`, { publication_check: digest });
    ctx.deskFlash = t('visit_approved');
    await rerender(ctx);
  } catch (e) {
    if (btn) btn.disabled = false;
    if (e.status === 409 && e.code === 'publication_check_stale') {
      // The texts to print changed since the list was shown (a phone synced a
      // label, say): the list as it is now is shown, to be read before approving again.
      if (pubBox && pubBox.reload && e.body && e.body.publication_check) pubBox.reload(Promise.resolve(e.body.publication_check));
      box.replaceChildren(h('p', { class: 'warning', role: 'alert', id: 'approve-stale', text: refusalText(e) }));
      return;
    }
    if (e.status === 409 && e.code === 'open_items') {
      const items = e.body.open_items || [];
      box.replaceChildren(h('div', { class: 'warning', role: 'alert', id: 'approve-refused' },
        h('p', { class: 'lead', text: t('approve_refused', { n: items.length }) }),
        h('ul', { id: 'approve-open-items' }, items.map((o) => h('li', {},
          h('button', { type: 'button', class: 'linkish', on: { click: () => {
            const el = document.getElementById(`q-${openItemKey(o)}`);
            if (el) { el.scrollIntoView({ block: 'start' }); el.focus(); }
          } }, text: describeOpenItem(o, template) }))))));
      return;
    }
    box.replaceChildren(failure(e));
  }
}

function reopenForm(ctx, visit) {
  const reason = h('input', { id: 'reopen-reason', maxlength: 500, autocomplete: 'off' });
  const msg = h('p', { class: 'error', role: 'alert' });
  return h('form', { class: 'reopen', on: { submit: async (e) => {
    e.preventDefault();
    if (!reason.value.trim()) {
      msg.textContent = t('reason_required');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    try {
      await deskApi(ctx.store, 'POST', `/api/v1/visits/${visit.id}/reopen`, { reason: reason.value.trim() });
      ctx.deskFlash = t('visit_reopened');
      await rerender(ctx);
    } catch (err) {
      msg.textContent = errorText(err);
    }
  } } },
  h('h3', { text: t('reopen_visit') }), h('p', { class: 'hint', text: t('reopen_hint') }),
  field(t('reason_short'), reason), msg, h('button', { type: 'submit', id: 'reopen', text: t('reopen_visit') }));
}

/** scopeBlock is one location (or the visit as a whole): its indicators and the members' values side by side. */
function scopeBlock(scope, template, team) {
  const { members, rows, unanswered } = sideBySide(scope, template, team);
  const inds = (scope.indicators || []).filter((i) => i.applicable);
  const table = rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack side-by-side' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('item') }), members.map((m) => h('th', { scope: 'col', text: m.name })),
      h('th', { scope: 'col', class: 'cons', text: t('consolidated') }))),
    h('tbody', {}, rows.map((r) => h('tr', { class: `st-${r.status}`, 'data-item': r.item },
      h('th', { scope: 'row', class: 'item-label', text: r.label }),
      r.cells.map((c, i) => h('td', { 'data-label': members[i].name, class: c ? 'val' : 'val none' },
        c ? [h('span', { class: 'v', text: c.value }), c.note ? h('span', { class: 'note', text: c.note }) : null] : '—')),
      h('td', { class: 'cons', 'data-label': t('consolidated') }, consolidatedCell(r))))))) : h('p', { class: 'empty', text: t('nothing_answered') });
  return h('div', { class: 'scope', 'data-location': scope.location_id || '' },
    h('h3', {}, scopeTitle(scope), scope.location_id ? h('span', { class: 'meta', text: ` · ${t(`lk_${scope.kind || 'other'}`)}` }) : null),
    inds.length ? h('div', { class: 'chips' }, inds.map((i) => chip(i))) : null,
    table,
    unanswered ? h('p', { class: 'meta', text: t('unanswered_n', { n: unanswered }) }) : null);
}

function consolidatedCell(r) {
  if (r.status === 'to_resolve') return h('span', { class: 'badge warn', text: t('st_to_resolve') });
  const d = r.decision;
  return [h('strong', { class: 'v', text: r.consolidated }),
    h('span', { class: 'meta', text: consolidatedNote(r) }),
    d && d.reason ? h('span', { class: 'note', text: d.reason }) : null,
    r.changed ? h('span', { class: 'badge warn', text: t('changed_since_decision') }) : null];
}

function statusHistory(list) {
  if (!list.length) return h('p', { class: 'empty', text: t('no_status_history') });
  return h('ol', { class: 'timeline', id: 'status-history-list' }, list.map((s, i) => h('li', {},
    h('strong', { text: s.status === 'submitted' && i > 0 && list[i - 1].status === 'approved' ? t('reopened') : t(`vs_${s.status}`) }), h('span', { class: 'meta', text: ` · ${fmtTime(s.changed_at)} · ${s.changed_by_name || ''}` }),
    s.reason ? h('span', { class: 'note', text: s.reason }) : null)));
}

// ------------------------------------------------------------------ audit trail

async function deskAudit(ctx, visitId) {
  const { store } = ctx;
  const u = me(ctx);
  if (!['coordinator', 'admin'].includes(u.role)) return notForRole();
  let detail;
  let audit;
  try {
    [detail, audit] = await Promise.all([deskApi(store, 'GET', `/api/v1/visits/${encodeURIComponent(visitId)}`),
      deskApi(store, 'GET', `/api/v1/audit?visit_id=${encodeURIComponent(visitId)}`)]);
  } catch (e) {
    return h('div', {}, crumb(`#/desk/visit/${visitId}`, t('visit')), failure(e));
  }
  const template = await templateFor(store, detail.visit.checklist);
  const locations = new Map((detail.locations || []).map((l) => [l.id, l.label]));
  const people = new Map((detail.team || []).map((m) => [m.id, m.name || m.username]));
  const entries = audit.entries || [];
  const cols = [t('audit_when'), t('audit_who'), t('audit_record'), t('audit_change')];
  return h('div', { class: 'desk desk-audit' },
    crumb(`#/desk/visit/${visitId}`, t('visit')),
    h('h1', { text: t('audit_trail') }),
    h('p', { class: 'lead', text: `${visitFacilityName(detail.visit, lang())} · ${fmtTime(detail.visit.started_at)}` }),
    h('p', { class: 'hint', text: t('audit_hint') }),
    entries.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack audit' },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', { id: 'audit-list' }, entries.map((e) => {
        const pairs = auditFields(e.fields && typeof e.fields === 'object' ? e.fields : null, template, { type: e.type, locations, people });
        return h('tr', { class: `audit-entry st-${e.status}`, 'data-type': e.type, 'data-action': e.action, 'data-status': e.status },
          h('td', { 'data-label': cols[0], class: 'when', text: fmtTime(e.at) }),
          h('td', { 'data-label': cols[1], class: 'by' }, h('span', { text: e.user_name || '' }),
            e.device_name ? h('span', { class: 'meta block', title: e.device_name, text: deviceLabel(e.device_name) }) : null),
          h('td', { 'data-label': cols[2], class: 'rec' }, h('strong', { text: `${t(`rt_${e.type}`)} · ${auditAction(e)}` }),
            e.status !== 'applied' ? h('span', { class: `badge ${e.status === 'rejected' ? 'bad' : 'warn'}`, text: t(`op_${e.status}`) }) : null),
          h('td', { 'data-label': cols[3] },
            pairs.length ? h('dl', { class: 'facts small' }, pairs.map(([, label, v]) => [h('dt', { text: label }), h('dd', { text: v })])) : null,
            e.redacted ? h('p', { class: 'meta', text: t('redacted') }) : null,
            e.error_code || e.error_message || e.error_field ? h('p', { class: 'error', title: e.error_message || '', 'data-code': e.error_code || '',
              text: auditRefusal(e) }) : null));
      })))) : h('p', { class: 'empty', text: t('audit_empty') }));
}

// ------------------------------------------------------------------ facility page

/** reportButtons are the downloads of a facility's or region's reports: PDF in three languages, three CSVs, a period. */
function reportButtons(ctx, of, id) {
  const from = h('input', { type: 'date', class: 'report-from' });
  const to = h('input', { type: 'date', class: 'report-to' });
  const detail = h('input', { type: 'checkbox', class: 'report-detail' });
  const status = h('p', { class: 'meta report-status', role: 'status', 'aria-live': 'polite' });
  const confirmBox = h('div', { class: 'report-confirm', hidden: true });
  const buttons = [];
  const run = async (format, opts, btn) => {
    for (const b of buttons) b.disabled = true;
    status.classList.remove('error');
    confirmBox.hidden = true;
    confirmBox.replaceChildren();
    status.textContent = t('report_preparing');
    try {
      const all = detail.checked ? 'all' : '';
      const got = await downloadReport(ctx.store, reportPath(of, id, format, { ...opts, detail: all, from: from.value, to: to.value }));
      status.textContent = t('report_downloaded', { name: got.name, size: fmtBytes(got.size) });
      status.dataset.name = got.name;
      status.dataset.type = got.type;
    } catch (e) {
      if (e.status === 409 && e.code === 'unapproved' && !opts.unapproved) {
        // Visits not yet approved: export them only when the user confirms.
        status.textContent = t('report_unapproved');
        const yes = h('button', { type: 'button', class: 'report-confirm-yes', text: t('report_unapproved_yes') });
        yes.addEventListener('click', () => run(format, { ...opts, unapproved: true }, btn));
        confirmBox.replaceChildren(yes);
        confirmBox.hidden = false;
        yes.focus();
        return;
      }
      status.classList.add('error');
      status.textContent = errorText(e);
    } finally {
      for (const b of buttons) b.disabled = false;
      btn.focus();
    }
  };
  const mk = (format, opts, text, key) => {
    const b = h('button', { type: 'button', class: 'report-button', 'data-report': key, text });
    b.addEventListener('click', () => run(format, opts, b));
    buttons.push(b);
    return b;
  };
  return h('div', { class: 'reports', 'data-of': of },
    h('div', { class: 'row period' }, field(t('period_from'), from), field(t('period_to'), to)),
    h('p', { class: 'hint', text: t('period_hint') }),
    h('h3', { text: t('report_pdf') }),
    h('label', { class: 'check' }, detail, ` ${t('report_detail_all')}`),
    h('div', { class: 'row report-row' }, REPORT_LANGS.map((l) => mk('pdf', { lang: l }, `PDF · ${t(`lang_${l}`)}`, `pdf-${l}`))),
    h('h3', { text: t('report_csv') }),
    h('div', { class: 'row report-row' }, CSV_KINDS.map((k) => mk('csv', { lang: lang(), kind: k }, `CSV · ${t(`csv_${k}`)}`, `csv-${k}`))),
    status, confirmBox);
}

async function deskFacility(ctx, facilityId) {
  const { store } = ctx;
  const u = me(ctx);
  if (!DESK_ROLES.includes(u.role)) return notForRole();
  let hist;
  try {
    hist = await deskApi(store, 'GET', `/api/v1/facilities/${encodeURIComponent(facilityId)}/history`);
  } catch (e) {
    return h('div', {}, crumb('#/desk/facilities', t('facilities')), failure(e));
  }
  const regions = (await store.meta('regions')) || [];
  const f = hist.facility;
  const visits = hist.visits || [];
  const template = await templateFor(store, visits.length ? visits[visits.length - 1].visit.checklist : undefined);
  const defs = itemDefs(template);
  const inputs = indicatorInputs(template);
  const keys = keyIndicators(visits);
  const byVisit = new Map(visits.map((hv) => [hv.visit.id, hv.visit]));
  const d = (k, v) => (v || v === 0 ? [h('dt', { text: t(k) }), h('dd', { text: String(v) })] : null);

  const timeline = visits.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack history', id: 'fac-history' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('visit') }), keys.map((k) => h('th', { scope: 'col', text: txt(k.label) || k.id })))),
    h('tbody', {}, visits.map((hv) => {
      const byId = new Map((hv.indicators || []).map((i) => [i.id, i]));
      return h('tr', { 'data-visit': hv.visit.id },
        h('th', { scope: 'row' }, h('a', { href: `#/desk/visit/${hv.visit.id}`, text: fmtTime(hv.visit.started_at) }),
          h('span', { class: 'meta', text: ` ${t(`vk_${hv.visit.kind || 'regular'}`)} · ` }), statusBadge(hv.visit.status),
          hv.open_items ? h('span', { class: 'badge warn', text: t('open_items_n', { n: hv.open_items }) }) : null),
        keys.map((k) => {
          const ind = byId.get(k.id);
          const band = ind && ind.applicable ? ind.worst_band || ind.band || 'none' : 'none';
          return h('td', { 'data-label': txt(k.label) || k.id, 'data-indicator': k.id, class: `band-cell band-${band}` },
            ind && ind.applicable ? indicatorText(ind) : '—');
        }));
    })))) : h('p', { class: 'empty', text: t('no_visits_desk') });

  const details = visits.slice().reverse().map((hv) => h('details', { class: 'boxed visit-detail', 'data-visit': hv.visit.id },
    h('summary', { text: `${fmtTime(hv.visit.started_at)} · ${t(`vk_${hv.visit.kind || 'regular'}`)} · ${t(`vs_${hv.visit.status}`)}` }),
    (hv.locations || []).map((l) => {
      const inds = (l.indicators || []).filter((i) => i.applicable);
      const used = [...new Set(inds.flatMap((i) => inputs.get(i.id) || []))].filter((id) => id in (l.values || {}));
      return h('div', { class: 'loc', 'data-location': l.location_id },
        h('h4', { text: `${l.label || t(`lk_${l.kind || 'other'}`)} · ${t(`lk_${l.kind || 'other'}`)}` }),
        inds.length ? h('div', { class: 'chips' }, inds.map((i) => {
          const full = (template && template.indicators || []).find((x) => x.id === i.id) || {};
          return chip({ ...i, label: full.label, unit_label: full.unit_label });
        })) : null,
        used.length ? h('p', { class: 'meta loc-values', text: used.map((id) => `${txt(defs.get(id) && defs.get(id).label) || id}: ${formatValue(defs.get(id), l.values[id])}`).join(' · ') }) : null);
    })));

  const recs = hist.recommendations || [];
  const visitDate = (id) => (byVisit.get(id) ? fmtTime(byVisit.get(id).started_at) : '');
  return h('div', { class: 'desk desk-facility', 'data-facility': f.id },
    crumb('#/desk/facilities', t('facilities')),
    flash(ctx),
    h('h1', { text: facilityName(f, lang()) }),
    h('dl', { class: 'facts' }, d('type', t(`ft_${f.type || 'other'}`)), d('region', regionName(regions, f.region)),
      d('authority', localText(f, 'authority', lang())), d('address', localText(f, 'address', lang())), d('capacity', f.capacity)),
    h('button', { type: 'button', class: 'small to-reports', on: { click: () => document.getElementById('reports').scrollIntoView({ block: 'start' }) }, text: `${t('reports')} ↓` }),
    facilityNamesForm(ctx, f, (done) => { ctx.deskFlash = done; rerender(ctx); }),
    h('section', { id: 'fac-visits' }, h('h2', { text: t('visits_over_time') }), h('p', { class: 'hint', text: t('visits_over_time_hint') }), timeline, details),
    h('section', { id: 'fac-recs' }, h('h2', { text: t('recommendations') }),
      recs.length ? h('ul', { class: 'list', id: 'fac-rec-list' }, recs.map((r) => h('li', { class: 'card rec', 'data-rec': r.id, 'data-status': r.status },
        h('span', { class: 'card-head' }, h('span', { class: 'rec-text', text: r.text }), h('span', { class: `badge rs-${r.status}`, text: t(`rs_${r.status || 'open'}`) })),
        h('span', { class: 'meta', text: [r.category, r.addressee, r.visit_started_at ? t('made_at', { date: fmtTime(r.visit_started_at) }) : ''].filter(Boolean).join(' · ') }),
        (r.history || []).length ? h('ol', { class: 'timeline' }, r.history.map((s) => h('li', {},
          h('strong', { text: t(`rs_${s.status}`) }),
          h('span', { class: 'meta', text: ` · ${fmtTime(s.changed_at)}${s.status !== 'open' && (s.visit_started_at || s.visit_id) ? ` · ${t('checked_at', { date: fmtTime(s.visit_started_at) || visitDate(s.visit_id) })}` : ''}${s.changed_by_name ? ` · ${s.changed_by_name}` : ''}` })))) : null)))
        : h('p', { class: 'empty', text: t('no_recommendations') })),
    // Recommendations made at no visit: checked here, as no visit's approval settles them.
    canDecide(ctx, { region: f.region }) ? facilityCheckBox(ctx, f) : null,
    h('section', { id: 'reports', class: 'boxed' }, h('h2', { text: t('reports') }), reportButtons(ctx, 'facility', f.id)));
}

// ------------------------------------------------------------------ quarantine

async function deskQuarantine(ctx) {
  const { store } = ctx;
  const u = me(ctx);
  if (!['coordinator', 'admin'].includes(u.role)) return notForRole();
  let list;
  try {
    list = (await deskApi(store, 'GET', '/api/v1/quarantine')).quarantine || [];
  } catch (e) {
    return h('div', {}, h('h1', { text: t('quarantine') }), deskNav(ctx, 'desk-quarantine'), failure(e));
  }
  const users = new Map(((await store.meta('users')) || []).map((x) => [x.id, x.name || x.username]));
  return h('div', { class: 'desk' },
    h('h1', { text: t('quarantine') }),
    deskNav(ctx, 'desk-quarantine'),
    h('p', { class: 'hint', text: t('quarantine_hint') }),
    list.length ? h('ul', { class: 'list', id: 'quarantine-list' }, list.map((q) => {
      const s = quarantineSummary(q.raw);
      return h('li', { class: 'card bad', 'data-op': q.op_id },
        h('strong', { text: `${s.type ? t(`rt_${s.type}`) : t('operation')}${q.field ? ` — ${fieldName(q.field)}` : ''}` }),
        h('span', { class: 'why', title: q.message || '', text: t('quarantine_why') }),
        h('span', { class: 'meta', text: [fmtTime(q.received_at), users.get(q.user_id) || (q.user_id ? `${t('member')} …${q.user_id.slice(-4)}` : ''),
          q.device_id ? `${t('device')} …${q.device_id.slice(-4)}` : ''].filter(Boolean).join(' · ') }),
        h('code', { class: 'raw', text: s.text }));
    })) : h('p', { class: 'empty', id: 'quarantine-empty', text: t('quarantine_empty') }));
}

// ------------------------------------------------------------------ deleted visits and places

async function deskDeleted(ctx) {
  if (me(ctx).role !== 'coordinator') return notForRole();
  return deletedScreen(ctx, deskNav(ctx, 'desk-deleted'), rerender);
}

/** yesNoSet says a visit's yes/no field: "not recorded" when nobody ever answered it (detail.unset), never a "No" nobody gave. */
function yesNoSet(visit, detail, field) {
  if ((detail.unset || []).includes(field)) return t('not_recorded');
  return visit[field] ? t('yes') : t('no');
}

/**
 * auditRefusal says why the server refused an operation of the audit trail:
 * by its code when it was logged with one (since migration 0013), else by
 * the field it named.
 */
function auditRefusal(e) {
  if (e.error_code) return refusalText({ code: e.error_code, field: e.error_field });
  return e.error_field ? t('refused_in_field', { field: fieldName(e.error_field) }) : t('quarantine_why');
}
