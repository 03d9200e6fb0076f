// The desk's list of the region's deleted visits and places (the region's
// coordinator): who deleted each, what it holds, and a button that restores
// it with everything inside. A member's change inside a deleted visit or
// place is refused ("parent_deleted") until it is restored here.
import { h } from './dom.js';
import { t, fmtTime } from './i18n.js';
import { deskApi, deskErrorText } from './coord-api.js';

/**
 * deletedScreen draws the list; nav is the desk's row of tabs, rerender
 * draws the screen again after a restore.
 */
export async function deletedScreen(ctx, nav, rerender) {
  const { store } = ctx;
  const title = h('h1', { text: t('deleted_title') });
  let list;
  try {
    list = (await deskApi(store, 'GET', '/api/v1/deleted')).deleted || [];
  } catch (e) {
    return h('div', { class: 'desk' }, title, nav, h('p', { class: 'error', role: 'alert', text: deskErrorText(e) }));
  }
  const row = (d) => {
    const status = h('span', { class: 'meta', role: 'status' });
    const confirmBox = h('div', {});
    const visit = t('deleted_visit_of', { name: d.facility_name, date: fmtTime(d.visit_started_at) });
    const what = d.type === 'visit' ? visit : (d.label || '—');
    const restore = async (button) => {
      button.disabled = true;
      try {
        await deskApi(store, 'POST', `/api/v1/deleted/${d.type}/${d.id}/restore`);
        ctx.deskFlash = t('restored');
        await rerender(ctx);
      } catch (e) {
        button.disabled = false;
        status.className = 'error';
        status.textContent = deskErrorText(e);
      }
    };
    // Restoring brings back everything inside: asked once more, on the page.
    const button = h('button', { type: 'button', class: 'secondary d-restore', 'data-restore': d.id, text: t('restore'), on: { click: () => confirmBox.replaceChildren(
      h('div', { class: 'warning', role: 'alert' }, h('p', { text: t('restore_confirm', { what, n: d.records }) }),
        h('button', { type: 'button', class: 'd-restore-confirm', on: { click: (e) => restore(e.currentTarget) }, text: t('restore') }),
        h('button', { type: 'button', on: { click: () => confirmBox.replaceChildren() }, text: t('cancel') }))) } });
    const heading = d.type === 'visit' ? visit : `${t('deleted_place')}: ${what} · ${visit}`;
    return h('li', { class: 'card', 'data-deleted': d.id, 'data-type': d.type },
      h('strong', { text: heading }),
      h('span', { class: 'meta', text: [t('deleted_by', { name: d.deleted_by_name || '—', time: fmtTime(d.deleted_at) }),
        t('deleted_holds', { n: d.records })].join(' · ') }),
      h('div', { class: 'row' }, button, status), confirmBox);
  };
  const flash = ctx.deskFlash;
  ctx.deskFlash = null;
  return h('div', { class: 'desk' }, title, nav,
    flash ? h('p', { class: 'notice good', role: 'status', id: 'desk-flash', text: flash }) : null,
    h('p', { class: 'hint', text: t('deleted_hint') }),
    list.length ? h('ul', { class: 'list', id: 'deleted-list' }, list.map(row))
      : h('p', { class: 'empty', id: 'deleted-empty', text: t('deleted_empty') }));
}
