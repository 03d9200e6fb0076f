// The header's link to the coordinator's desk. The desk's own modules
// (coord*.js) are loaded only when a desk screen is opened, so that a
// monitor's phone does not download them on its first load.
import { h } from './dom.js';
import { t } from './i18n.js';

/** DESK_ROLES are the roles that work at the desk. */
export const DESK_ROLES = ['coordinator', 'staff', 'admin'];

/** DESK_PATH matches the hash paths of the desk's and the admin's screens. */
export const DESK_PATH = /^\/(desk|admin)(\/|$)/;

/** updateDeskLink shows the header's link to the desk to coordinators, staff and admins only. */
export function updateDeskLink(ctx) {
  const role = ctx.store.session && ctx.store.session.user && ctx.store.session.user.role;
  let a = document.getElementById('desk-link');
  if (!DESK_ROLES.includes(role)) {
    if (a) a.remove();
    return;
  }
  if (!a) {
    a = h('a', { id: 'desk-link', class: 'desk-link', href: '#/desk' });
    const settings = document.getElementById('settings-link');
    settings.parentNode.insertBefore(a, settings);
  }
  a.textContent = t('desk_nav');
}
