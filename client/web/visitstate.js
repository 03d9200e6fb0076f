// What every screen of a visit needs to know of its state: whether it is
// approved (locked), the banner that says so, and the cap on the team size.
import { h } from './dom.js';
import { t } from './i18n.js';

// The cap on the team size per visit kind (schema/obstruction.go: from the
// Coalition's account, to be verified against the law).
export const TEAM_CAPS = { regular: 3, special: 2 };

/** isLocked says whether a visit is approved: then the phone shows it and changes nothing. */
export const isLocked = (visit) => visit && visit.fields.status === 'approved';

/**
 * approvedBanner says, on every screen of an approved visit, who approved it
 * and how to get it reopened. Only the region's coordinator approves (the
 * server's rule), so the one coordinator among the colleagues is named; with
 * several or none known, "your region's coordinator".
 */
export async function approvedBanner(store, visit) {
  if (!isLocked(visit)) return null;
  const coords = ((await store.meta('users')) || []).filter((u) => u.role === 'coordinator');
  const name = coords.length === 1 ? coords[0].name || coords[0].username : t('your_coordinator');
  return h('div', { class: 'notice approved', role: 'note', id: 'approved-banner' },
    h('p', { class: 'lead', text: t('approved_banner', { name }) }), h('p', { text: t('approved_how_reopen', { name }) }));
}
