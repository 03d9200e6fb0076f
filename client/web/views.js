// Member screens outside a visit: sign in, facilities, a facility, settings.
import { h, field, select, radios, drawnFrom, fieldsOf } from './dom.js';
import { t, lang, setLang, LANGS, txt, fmtTime, fmtNum, compareNames } from './i18n.js';
import { skewMinutes } from './clockwatch.js';
import { api, downloadReference, signIn as signInTo } from './sync.js';
import { uuidv7 } from './synccore.js';
import { yieldToEvents } from './pack.js';
import { describeRefusal, saved, signInMessage } from './fieldrules.js';
import { lockSection, lockNudge } from './lock.js';
import { failureText } from './refusals.js';
import { facilityName } from './names.js';
import { waitingCount as photosWaiting } from './photos.js';

export const FACILITY_TYPES = ['ivs', 'sizo', 'colony', 'special_reception', 'reception_distribution', 'juvenile_centre',
  'psychiatric', 'social_care', 'children_institution', 'military_guardhouse', 'other'];

/** byStartDesc orders visits latest first (started_at is an RFC 3339 time in UTC: text order is time order). */
function byStartDesc(a, b) {
  const x = a.fields.started_at || '';
  const y = b.fields.started_at || '';
  return x < y ? 1 : x > y ? -1 : 0;
}

export function registerMemberViews(register) {
  register('signin', /^\/signin$/, signIn);
  register('home', /^\/$/, home);
  register('facility-new', /^\/facility-new$/, facilityNew);
  register('facility', /^\/facility\/([^/]+)$/, facility);
  register('settings', /^\/settings$/, settings);
}

/**
 * statusText says in one line how sync stands: what is being sent and how
 * fast, whether the link is down or only too weak, and a wrong phone clock.
 */
export function statusText(s) {
  const parts = [];
  if (s.wiped) return t(s.error && s.error.code === 'signed_out' ? 'signed_out_wiped' : 'device_revoked_wiped');
  if (s.signInAgain) return `${t('sign_in_again_needed')} · ${t('waiting_n', { n: fmtNum(s.waiting) })}`;
  if (s.running && s.sending && s.sending.total > 0) {
    parts.push(t('sending_n_of_m', { n: fmtNum(s.sending.done), m: fmtNum(s.sending.total) }));
    if (s.rate > 0) parts.push(t('rate_kbs', { r: fmtNum(Math.round(s.rate / 102.4) / 10) }));
  } else if (s.running && s.pulling) {
    parts.push(t('downloading_n', { n: fmtNum(s.pulling.pages) }));
  } else if (s.error) {
    if (s.error.status === 0) parts.push(s.weak || s.error.code === 'timeout' ? t('link_too_weak') : t('offline'));
    else parts.push(`${t('sync_failed')}: ${failureText(s.error)}`);
  } else if (s.lastSync) parts.push(t('synced_at', { time: fmtTime(s.lastSync) }));
  else parts.push(t('never_synced'));
  if (!(s.running && s.sending)) parts.push(t('waiting_n', { n: fmtNum(s.waiting) }));
  const min = skewMinutes(s.clockSkewMs || 0);
  if (min) parts.push(t('clock_differs', { min: fmtNum(Math.abs(min)) }));
  return parts.join(' · ');
}

/** initDisplay applies the display settings kept on the device (large text). */
export async function initDisplay(store) {
  document.documentElement.dataset.text = (await store.meta('large_text')) ? 'large' : '';
}

export function languagePicker() {
  return field(t('language'), select(LANGS.map((l) => [l, t(`lang_${l}`)]), lang(), {
    id: 'lang', on: { change: (e) => setLang(e.target.value) },
  }));
}

export function regionName(regions, code) {
  const r = (regions || []).find((x) => x.code === code);
  return r ? txt(r.name) : code;
}

export function iosHint() {
  const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = navigator.standalone === true || matchMedia('(display-mode: standalone)').matches;
  return ios && !standalone ? h('p', { class: 'notice', role: 'note', text: t('ios_hint') }) : null;
}

async function signIn(ctx) {
  // Signing in again over kept data (a revoked or expired token): the same user only.
  const again = ctx.store.session && ctx.store.session.user;
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true,
    value: again ? again.username || '' : '', readonly: again ? true : null });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'signin-submit', text: t('sign_in') });
  const form = h('form', { on: { submit: onSubmit } },
    h('h1', { text: t('sign_in_title') }),
    again ? h('p', { class: 'notice', role: 'note', id: 'signin-again', text: t('sign_in_again_hint') }) : h('p', { text: t('sign_in_intro') }),
    iosHint(),
    field(t('username'), user), field(t('password'), pass), msg, button, languagePicker());

  async function onSubmit(e) {
    e.preventDefault();
    msg.textContent = '';
    button.disabled = true;
    button.textContent = t('signing_in');
    try {
      // The tap's own task only redraws the button; the request starts in the
      // next one (issue 20: at 4× CPU the tap was one task of 160 to 240 ms).
      await yieldToEvents();
      await signInTo(ctx.store, ctx.syncer, { username: user.value.trim(), password: pass.value, deviceName: navigator.userAgent.slice(0, 190) });
      button.textContent = t('downloading');
      await downloadReference(ctx.store, ctx.syncer.reader).catch(() => {}); // the syncer retries it
      // The first sync is not awaited: the facilities and visits come first
      // (protocol 1.2's working set) and the screen shows them as they come,
      // while the history follows.
      if (ctx.syncer.autoRetry) ctx.syncer.sync();
      else ctx.syncer.start();
      requestPersistence(ctx.store);
      ctx.go('/');
    } catch (err) {
      msg.textContent = signInMessage(err);
      button.disabled = false;
      button.textContent = t('sign_in');
    }
  }
  return form;
}

/** requestPersistence asks the browser to keep the data and records the answer. */
export async function requestPersistence(store) {
  if (!navigator.storage || !navigator.storage.persist) return store.setMeta('persisted', 'unsupported');
  let granted = await navigator.storage.persisted();
  if (!granted) granted = await navigator.storage.persist();
  await store.setMeta('persisted', granted ? 'granted' : 'denied');
  return granted;
}

async function home(ctx) {
  const { store } = ctx;
  const me = store.session.user;
  const regions = (await store.meta('regions')) || [];
  const facilities = (await store.all('facility')).sort((a, b) => compareNames(a.fields.name, b.fields.name));
  const visits = (await store.all('visit')).filter((v) => (v.fields.team || []).includes(me.id) || v.own);
  const byId = new Map(facilities.map((f) => [f.id, f]));
  const state = ctx.homeFilter || (ctx.homeFilter = { q: '', region: '', type: '' });
  // The filter (state) is changed on the screen itself, which draws the list again.
  return drawnFrom({ me: me.id, sealed: store.codec.sealed, regions, facilities: fieldsOf(facilities), visits: fieldsOf(visits) }, () => {
    const list = h('ul', { class: 'list', id: 'facility-list' });
    const draw = () => {
      const q = state.q.trim().toLocaleLowerCase();
      const shown = facilities.filter((f) => (!q || (f.fields.name || '').toLocaleLowerCase().includes(q)) &&
        (!state.region || f.fields.region === state.region) && (!state.type || f.fields.type === state.type));
      list.replaceChildren(...shown.map((f) => h('li', {},
        h('a', { class: 'card', href: `#/facility/${f.id}`, 'data-name': f.fields.name },
          h('strong', { text: facilityName(f.fields, lang()) }),
          h('span', { class: 'meta', text: `${t(`ft_${f.fields.type || 'other'}`)} · ${regionName(regions, f.fields.region)}` }),
          f.fields.verified === false ? h('span', { class: 'badge', text: t('unverified') }) : null))));
      if (!shown.length) list.append(h('li', { class: 'empty', text: facilities.length ? t('no_match') : t('no_facilities') }));
    };
    const search = h('input', { id: 'search', type: 'search', value: state.q, on: { input: (e) => { state.q = e.target.value; draw(); } } });
    const region = select([['', t('all_regions')], ...regions.map((r) => [r.code, txt(r.name)])], state.region,
      { id: 'filter-region', on: { change: (e) => { state.region = e.target.value; draw(); } } });
    const type = select([['', t('all_types')], ...FACILITY_TYPES.map((x) => [x, t(`ft_${x}`)])], state.type,
      { id: 'filter-type', on: { change: (e) => { state.type = e.target.value; draw(); } } });
    draw();

    const open = visits.filter((v) => v.fields.status !== 'approved')
      .sort(byStartDesc);
    return h('div', {},
      iosHint(),
      lockNudge(ctx),
      open.length ? h('section', {}, h('h2', { text: t('my_visits') }),
        h('ul', { class: 'list', id: 'visit-list' }, open.map((v) => h('li', {},
          h('a', { class: 'card', href: `#/visit/${v.id}` },
            h('strong', { text: facilityName(byId.get(v.fields.facility_id)?.fields, lang()) || t('facility') }),
            h('span', { class: 'meta', text: `${fmtTime(v.fields.started_at)} · ${t(`vs_${v.fields.status || 'draft'}`)}` })))))) : null,
      h('h1', { text: t('facilities') }),
      field(t('search_name'), search),
      h('div', { class: 'row filters' }, field(t('region'), region), field(t('type'), type)),
      list,
      h('a', { class: 'button', href: '#/facility-new', id: 'add-facility', text: t('add_facility') }));
  });
}

async function facilityNew(ctx) {
  const { store } = ctx;
  const regions = (await store.meta('regions')) || [];
  const me = store.session.user;
  const name = h('input', { id: 'fac-name', required: true, maxlength: 200 });
  // Radios, not a select: the long names of facility types would be cut at 360 px.
  let typeValue = 'ivs';
  const type = radios('fac-type', t('type'), FACILITY_TYPES.map((x) => [x, t(`ft_${x}`)]), typeValue, (v) => { typeValue = v; }, { class: 'radios column', id: 'fac-type' });
  const region = select(regions.map((r) => [r.code, txt(r.name)]), me.region_id, { id: 'fac-region' });
  const authority = h('input', { id: 'fac-authority', maxlength: 200 });
  const address = h('input', { id: 'fac-address', maxlength: 300 });
  const capacity = h('input', { id: 'fac-capacity', inputmode: 'numeric', pattern: '[0-9]*' });
  const msg = h('p', { class: 'error', role: 'alert' });
  return h('form', { on: { submit: async (e) => {
    e.preventDefault();
    if (!name.value.trim()) { msg.textContent = t('name_required'); return; }
    const cap = capacity.value.trim();
    if (cap && !/^\d{1,6}$/.test(cap)) { msg.textContent = t('capacity_whole'); return; }
    const id = uuidv7();
    const fields = { name: name.value.trim(), type: typeValue, region: region.value, authority: authority.value.trim(), address: address.value.trim() };
    if (cap) fields.capacity = Number(cap);
    if (!await saved(msg, () => store.change('facility', id, fields, { localFields: { verified: false } }))) return;
    ctx.go(`/facility/${id}`);
  } } },
  h('h1', { text: t('add_facility') }),
  h('p', { class: 'hint', text: t('add_facility_hint') }),
  field(t('name'), name), type, field(t('region'), region),
  field(t('authority'), authority), field(t('address'), address), field(t('capacity'), capacity),
  msg, h('button', { type: 'submit', class: 'primary', text: t('save') }));
}

async function facility(ctx, id) {
  const { store } = ctx;
  const f = await store.get('facility', id);
  if (!f) return h('p', { text: t('not_found') });
  const regions = (await store.meta('regions')) || [];
  const visits = (await store.ofFacility('visit', id)).sort(byStartDesc);
  const recs = (await store.ofFacility('recommendation', id)).filter((r) => r.fields.status !== 'superseded');
  const d = (k, v) => (v || v === 0 ? [h('dt', { text: t(k) }), h('dd', { text: String(v) })] : null);
  return drawnFrom({ f: f.fields, regions, visits: fieldsOf(visits), recs: fieldsOf(recs) }, () => h('div', {},
    h('h1', { text: facilityName(f.fields, lang()) }),
    h('dl', { class: 'facts' }, d('type', t(`ft_${f.fields.type || 'other'}`)), d('region', regionName(regions, f.fields.region)),
      d('authority', f.fields.authority), d('address', f.fields.address), d('capacity', f.fields.capacity)),
    h('a', { class: 'button primary', href: `#/visit-new/${id}`, id: 'start-visit', text: t('start_visit') }),
    visits.length ? h('section', {}, h('h2', { text: t('visits') }), h('ul', { class: 'list' }, visits.map((v) => h('li', {},
      h('a', { class: 'card', href: `#/visit/${v.id}` }, h('strong', { text: fmtTime(v.fields.started_at) }),
        h('span', { class: 'meta', text: `${t(`vk_${v.fields.kind || 'regular'}`)} · ${t(`vs_${v.fields.status || 'draft'}`)}` })))))) : null,
    h('section', {}, h('h2', { text: t('recommendations') }),
      recs.length ? h('ul', { class: 'list' }, recs.map((r) => h('li', { class: 'card' }, h('span', { text: r.fields.text }),
        h('span', { class: 'meta', text: t(`rs_${r.fields.status || 'open'}`) })))) : h('p', { class: 'empty', text: t('no_recommendations') }))));
}

async function settings(ctx) {
  const { store, syncer } = ctx;
  const me = store.session.user;
  const rejected = await store.rejected();
  const regions = (await store.meta('regions')) || [];
  const persisted = (await store.meta('persisted')) || 'unknown';
  // Photos not yet on the server are lost with the data too: they count.
  const waiting = (await store.outboxCount()) + (await photosWaiting(store));
  const large = !!(await store.meta('large_text'));
  const out = h('div', { id: 'signout-box', 'data-keep': true });
  const signOut = () => {
    if (waiting === 0) return doSignOut();
    out.replaceChildren(h('div', { class: 'warning', role: 'alert' },
      h('p', { text: t('signout_warning', { n: waiting }) }),
      h('button', { type: 'button', class: 'danger', id: 'signout-confirm', on: { click: doSignOut }, text: t('signout_delete') }),
      h('button', { type: 'button', on: { click: () => out.replaceChildren() }, text: t('cancel') })));
  };
  async function doSignOut() {
    await syncer.sync().catch(() => {});
    try { await api(store, 'POST', '/api/v1/auth/logout'); } catch (e) { /* offline: the token dies with the data */ }
    await store.wipe();
    location.hash = '#/signin';
    location.reload();
  }
  const largeBox = h('input', { type: 'checkbox', id: 'large-text', checked: large, on: { change: async (e) => {
    await store.setMeta('large_text', e.target.checked);
    await initDisplay(store);
  } } });
  return h('div', {},
    h('h1', { text: t('settings') }),
    h('p', { text: t('signed_in_as', { name: me.name || me.username || '', region: regionName(regions, me.region_id) || '' }) }),
    h('section', {}, h('h2', { text: t('sync') }),
      h('p', { id: 'sync-detail', text: statusText(syncer.state) }),
      h('button', { type: 'button', class: 'primary', on: { click: () => syncer.sync().then(() => ctx.render()) }, text: t('sync_now') }),
      h('button', { type: 'button', on: { click: () => downloadReference(store).then(() => ctx.render()).catch(() => {}) }, text: t('download_again') })),
    h('section', {}, h('h2', { text: t('rejected_title') }),
      rejected.length ? h('ul', { class: 'list', id: 'rejected-list' }, await Promise.all(rejected.map((r) => refusedCard(ctx, r))))
        : h('p', { class: 'empty', text: t('no_rejected') })),
    h('section', {}, h('h2', { text: t('storage') }),
      h('p', { id: 'persist-status', text: t(`persist_${persisted}`) }),
      persisted !== 'granted' ? h('button', { type: 'button', on: { click: () => requestPersistence(store).then(() => ctx.render()) }, text: t('persist_ask') }) : null,
      iosHint()),
    lockSection(ctx),
    h('section', {}, h('h2', { text: t('display') }), languagePicker(),
      h('div', { class: 'check' }, largeBox, h('label', { for: 'large-text', text: t('large_text') })),
      h('p', { class: 'hint', text: t('dark_follows_system') })),
    h('section', {}, h('h2', { text: t('sign_out') }), h('p', { class: 'hint', text: t('signout_hint') }),
      h('button', { type: 'button', class: 'danger', id: 'signout', on: { click: signOut }, text: t('sign_out') }), out));
}

/** refusedCard shows one refused change: where, which question, what was entered, why, in the user's language. */
async function refusedCard(ctx, r) {
  const { store } = ctx;
  const record = await store.get(r.op.type, r.op.id);
  const fields = { ...((record && record.fields) || {}), ...(r.op.fields || {}) };
  const visitId = r.op.type === 'visit' ? r.op.id : fields.visit_id;
  const visit = visitId ? await store.get('visit', visitId) : null;
  const facilityId = fields.facility_id || (visit && visit.fields.facility_id) || (r.op.type === 'facility' ? r.op.id : '');
  const facility = facilityId ? await store.get('facility', facilityId) : null;
  const location = fields.location_id ? await store.get('location', fields.location_id) : null;
  const template = await store.checklist(visit && visit.fields.checklist);
  const d = describeRefusal(r, { record, template, facilityName: facility && facility.fields.name,
    locationLabel: location && (location.fields.label || t(`lk_${location.fields.kind || 'other'}`)) });
  return h('li', { class: 'card bad refused', 'data-item': fields.item || '' },
    d.where ? h('span', { class: 'meta', text: d.where }) : null,
    h('strong', { text: d.what }),
    d.value ? h('span', { text: t('refused_value', { value: d.value }) }) : null,
    h('span', { class: 'why', text: d.why }),
    h('span', { class: 'meta', text: `${fmtTime(new Date(r.at).toISOString())} · ${t('refused_rolled_back')}` }),
    h('button', { type: 'button', class: 'small', on: { click: () => store.dismissRejected(r.key).then(() => ctx.render()) }, text: t('dismiss') }));
}
