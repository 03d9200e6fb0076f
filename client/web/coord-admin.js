// Administrators' screen: users (create, role and region, disable, reset a
// password, lift a sign-in lock) and devices (revoke a lost or seized phone).
// Every action goes straight to the API; nothing is kept on the device.
import { h, field, select } from './dom.js';
import { t, txt, fmtTime } from './i18n.js';
import { regionName } from './views.js';
import { deskApi, deskErrorText } from './coord-api.js';
import { showRefusal } from './refusals.js';
import { deviceLabel, fmtBytes } from './coord-format.js';
import { registerOrgViews } from './coord-org.js';
import { registerChecklistViews } from './coord-checklists.js';

/** lastPush says when the server last received a device's changes (what a revocation loses came after). */
const lastPush = (d) => (d.last_push_at ? t('last_push', { time: fmtTime(d.last_push_at) }) : t('never_pushed'));

const ROLES = ['member', 'coordinator', 'staff', 'admin'];
const MIN_PASSWORD = 10;

export function registerAdminViews(register) {
  register('admin', /^\/admin$/, admin);
  registerOrgViews(register);
  registerChecklistViews(register);
}

// A refused password says why (store.PasswordReasons): {n} is the shortest allowed.
const errorText = (e) => deskErrorText(e, { n: MIN_PASSWORD });

async function admin(ctx) {
  const { store } = ctx;
  const me = store.session.user;
  if (me.role !== 'admin') return h('p', { class: 'notice', role: 'note', text: t('desk_not_for_role') });
  const regions = (await store.meta('regions')) || [];
  let users;
  let devices;
  try {
    [users, devices] = await Promise.all([deskApi(store, 'GET', '/api/v1/users'), deskApi(store, 'GET', '/api/v1/devices')]);
  } catch (e) {
    return h('p', { class: 'error', role: 'alert', text: errorText(e) });
  }
  users = (users.users || []).sort((a, b) => (a.name || a.username).localeCompare(b.name || b.username));
  devices = (devices.devices || []).sort((a, b) => (a.revoked - b.revoked) || String(b.last_seen_at || b.created_at || '').localeCompare(String(a.last_seen_at || a.created_at || '')));
  const state = ctx.adminFilter || (ctx.adminFilter = { device_user: '' });
  const flash = ctx.deskFlash;
  ctx.deskFlash = null;
  const regionOptions = [['', '—'], ...regions.map((r) => [r.code, txt(r.name)])];
  const roleOptions = ROLES.map((r) => [r, t(`role_${r}`)]);

  async function act(msg, method, path, body, done) {
    msg.textContent = '';
    try {
      await deskApi(store, method, path, body);
      ctx.deskFlash = done;
      const y = scrollY;
      await ctx.render();
      scrollTo(0, y);
    } catch (e) {
      msg.textContent = errorText(e);
    }
  }

  // New user.
  const nu = {
    username: h('input', { id: 'nu-username', autocomplete: 'off', autocapitalize: 'none', maxlength: 64, required: true }),
    name: h('input', { id: 'nu-name', maxlength: 200, required: true }),
    role: select(roleOptions, 'member', { id: 'nu-role' }),
    region: select(regionOptions, '', { id: 'nu-region' }),
    password: h('input', { id: 'nu-password', type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD, required: true }),
  };
  const nuMsg = h('p', { class: 'error', role: 'alert' });
  const createForm = h('form', { class: 'boxed', id: 'new-user', on: { submit: (e) => {
    e.preventDefault();
    const body = { username: nu.username.value.trim(), name: nu.name.value.trim(), role: nu.role.value, region: nu.region.value, password: nu.password.value };
    if (!body.username || !body.name) { nuMsg.textContent = t('name_required'); return; }
    if (body.password.length < MIN_PASSWORD) { nuMsg.textContent = t('password_short', { n: MIN_PASSWORD }); return; }
    if ((body.role === 'member' || body.role === 'coordinator') && !body.region) { nuMsg.textContent = t('region_required'); return; }
    act(nuMsg, 'POST', '/api/v1/users', body, t('user_created', { name: body.name }));
  } } },
  h('h3', { text: t('new_user') }),
  h('div', { class: 'row' }, field(t('username'), nu.username), field(t('full_name'), nu.name)),
  h('div', { class: 'row' }, field(t('role'), nu.role), field(t('region'), nu.region)),
  field(t('initial_password'), nu.password, h('p', { class: 'hint', text: t('password_short', { n: MIN_PASSWORD }) })),
  nuMsg, h('button', { type: 'submit', class: 'primary', id: 'nu-create', text: t('create_user') }));

  const userCard = (u) => {
    const msg = h('p', { class: 'error', role: 'alert' });
    const role = select(roleOptions, u.role, { class: 'u-role' });
    const region = select(regionOptions, u.region_id || '', { class: 'u-region' });
    const password = h('input', { type: 'password', class: 'u-password', autocomplete: 'new-password', minlength: MIN_PASSWORD });
    const self = u.id === me.id;
    return h('li', { class: `card user${u.disabled ? ' disabled' : ''}`, 'data-username': u.username },
      h('span', { class: 'card-head' }, h('strong', { text: u.name || u.username }),
        u.disabled ? h('span', { class: 'badge bad', text: t('disabled') }) : null),
      h('span', { class: 'meta', text: [u.username, t(`role_${u.role}`), u.region_id ? regionName(regions, u.region_id) : ''].filter(Boolean).join(' · ') }),
      h('details', { class: 'user-edit' }, h('summary', { text: t('manage') }),
        h('div', { class: 'row' }, field(t('role'), role), field(t('region'), region)),
        h('button', { type: 'button', class: 'small u-save', disabled: self, on: { click: () =>
          act(msg, 'PATCH', `/api/v1/users/${u.id}`, { role: role.value, region: region.value }, t('user_saved', { name: u.name || u.username })) }, text: t('save') }),
        h('div', { class: 'row' }, field(t('new_password'), password)),
        h('button', { type: 'button', class: 'small u-password-set', on: { click: () => {
          if (password.value.length < MIN_PASSWORD) { msg.textContent = t('password_short', { n: MIN_PASSWORD }); return; }
          act(msg, 'POST', `/api/v1/users/${u.id}/password`, { password: password.value }, t('password_set', { name: u.name || u.username }));
        } }, text: t('reset_password') }),
        h('div', { class: 'row actions' },
          h('button', { type: 'button', class: 'small u-unlock', on: { click: () =>
            act(msg, 'POST', '/api/v1/auth/unlock', { username: u.username }, t('user_unlocked', { name: u.name || u.username })) }, text: t('unlock') }),
          h('button', { type: 'button', class: `small u-disable${u.disabled ? '' : ' danger'}`, disabled: self, on: { click: () =>
            act(msg, 'PATCH', `/api/v1/users/${u.id}`, { disabled: !u.disabled }, t(u.disabled ? 'user_enabled' : 'user_disabled', { name: u.name || u.username })) },
          text: u.disabled ? t('enable') : t('disable') }),
          h('button', { type: 'button', class: 'small', on: { click: () => { state.device_user = u.id; drawDevices(); document.getElementById('devices').scrollIntoView(); } }, text: t('devices') })),
        self ? h('p', { class: 'hint', text: t('self_hint') }) : null,
        msg));
  };

  const names = new Map(users.map((u) => [u.id, u.name || u.username]));
  const deviceList = h('ul', { class: 'list', id: 'device-list' });
  const deviceFilter = select([['', t('all_users')], ...users.map((u) => [u.id, u.name || u.username])], state.device_user,
    { id: 'device-user', on: { change: (e) => { state.device_user = e.target.value; drawDevices(); } } });
  function drawDevices() {
    deviceFilter.value = state.device_user;
    const shown = devices.filter((d) => !state.device_user || d.user_id === state.device_user);
    deviceList.replaceChildren(...shown.map((d) => {
      const msg = h('p', { class: 'error', role: 'alert' });
      const confirmBox = h('div');
      return h('li', { class: `card device${d.revoked ? ' disabled' : ''}`, 'data-device': d.id },
        h('span', { class: 'card-head' }, h('strong', { title: d.name || null, text: deviceLabel(d.name) || d.id }),
          d.id === store.session.device_id ? h('span', { class: 'badge info', text: t('this_device') }) : null,
          d.revoked ? h('span', { class: 'badge bad', text: t('revoked') }) : null),
        h('span', { class: 'meta', text: [d.user_name || names.get(d.user_id) || d.username, t('device_since', { time: fmtTime(d.created_at) }),
          d.last_seen_at ? t('last_seen', { time: fmtTime(d.last_seen_at) }) : '', lastPush(d), d.revoked ? t('revoked_at', { time: fmtTime(d.revoked_at) }) : ''].filter(Boolean).join(' · ') }),
        d.revoked || d.id === store.session.device_id ? null : h('button', { type: 'button', class: 'small danger d-revoke', on: { click: () => confirmBox.replaceChildren(
          // Revoking wipes the phone at its next connection: what it has not sent is lost.
          h('div', { class: 'warning', role: 'alert' }, h('p', { class: 'd-revoke-warning', text: t('revoke_confirm') }),
            h('p', { class: 'd-revoke-last', text: lastPush(d) }),
            h('button', { type: 'button', class: 'danger d-revoke-confirm', on: { click: () => act(msg, 'POST', `/api/v1/devices/${d.id}/revoke`, undefined, t('device_revoked')) }, text: t('revoke') }),
            h('button', { type: 'button', on: { click: () => confirmBox.replaceChildren() }, text: t('cancel') }))) }, text: t('revoke') }),
        confirmBox, msg);
    }));
    if (!shown.length) deviceList.append(h('li', { class: 'empty', text: t('no_devices') }));
  }
  drawDevices();

  return h('div', { class: 'desk admin' },
    h('h1', { text: t('users_devices') }),
    h('nav', { class: 'tabs' }, h('a', { class: 'tab', href: '#/desk', text: t('desk_visits') }), h('a', { class: 'tab', href: '#/desk/facilities', text: t('facilities') }),
      h('a', { class: 'tab', href: '#/desk/quarantine', text: t('quarantine') }), h('a', { class: 'tab active', href: '#/admin', 'aria-current': 'page', text: t('users_devices') }),
      h('a', { class: 'tab', href: '#/admin/org', id: 'org-link', text: t('org_title') }),
      h('a', { class: 'tab', href: '#/admin/checklists', id: 'checklists-link', text: t('cl_title') })),
    flash ? h('p', { class: 'notice good', role: 'status', id: 'desk-flash', text: flash }) : null,
    h('section', { id: 'users' }, h('h2', { text: t('users') }),
      h('ul', { class: 'list', id: 'user-list' }, users.map(userCard)), createForm),
    h('section', { id: 'devices' }, h('h2', { text: t('devices') }), h('p', { class: 'hint', text: t('devices_hint') }),
      field(t('user'), deviceFilter), deviceList),
    storageSection(store));
}

/** storageSection says what the database and the photos take on the server's disk. */
function storageSection(store) {
  const line = h('p', { id: 'storage-line', class: 'meta' });
  deskApi(store, 'GET', '/api/v1/storage').then((s) => {
    line.textContent = t('storage_line', { db: fmtBytes(s.database_bytes), photos: fmtBytes(s.stored_bytes), n: s.photos,
      waiting: s.waiting, partial: fmtBytes(s.partial_bytes) });
  }).catch((e) => { showRefusal(line, e); });
  return h('section', { id: 'storage' }, h('h2', { text: t('storage_title') }), line);
}
