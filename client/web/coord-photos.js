// The desk's photos (issue 18): a visit's photos beside the values of each
// place, and the coordinator's clearance for publication, given only after
// confirming that no person can be identified on the photo. Reports print
// cleared photos only.
import { h } from './dom.js';
import { t, txt, fmtTime } from './i18n.js';
import { deskApi } from './coord-api.js';
import { showRefusal } from './refusals.js';

/** imageURL fetches a photo with the user's token as a data: URL (the content security policy allows data: images, not blob:). */
async function imageURL(store, id) {
  const resp = await fetch(`/api/v1/photos/${encodeURIComponent(id)}/image`, { headers: { Authorization: `Bearer ${store.session.token}` }, cache: 'no-store' });
  if (!resp.ok) return null;
  const blob = await resp.blob();
  return new Promise((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => resolve(null);
    r.readAsDataURL(blob);
  });
}

/** visitPhotos lists a visit's photos once per screen. */
export function visitPhotos(store, visitId) {
  return deskApi(store, 'GET', `/api/v1/photos?visit_id=${encodeURIComponent(visitId)}`).then((d) => d.photos || []).catch(() => []);
}

function itemLabel(template, id) {
  const it = template && (template.items || []).find((i) => i.id === id);
  return it ? `${it.code} · ${txt(it.label)}` : id;
}

/**
 * photoBlock is the photos of one place (locationId, '' for the visit) from
 * the list promise, filled in when they arrive; decide: the coordinator
 * may clear them.
 */
export function photoBlock(ctx, { list, locationId, template, decide }) {
  const box = h('div', { class: 'desk-photo-block', 'data-location': locationId || '' });
  list.then(async (photos) => {
    const mine = photos.filter((p) => (p.location_id || '') === (locationId || '') && !p.note_id);
    if (!mine.length) return;
    const items = await Promise.all(mine.map(async (p) => {
      const src = p.image === 'visible' && p.received_at ? await imageURL(ctx.store, p.id) : null;
      return photoCard(ctx, p, src, template, decide);
    }));
    box.append(h('h4', { text: t('photos') }), h('ul', { class: 'desk-photos' }, items));
  });
  return box;
}

function photoCard(ctx, p, src, template, decide) {
  const status = h('span', { class: `badge ${p.may_publish ? 'good' : 'warn'}`, 'data-cleared': p.may_publish ? '1' : '0',
    text: p.may_publish ? t('photo_may_publish') : t('photo_not_cleared') });
  const li = h('li', { 'data-photo': p.id },
    src ? h('img', { src, alt: p.caption || t('photo') }) : h('p', { class: 'meta', text: p.received_at ? t('photo_hidden') : t('photo_not_received') }),
    p.caption ? h('span', { class: 'note', text: p.caption }) : null,
    h('span', { class: 'meta', text: [p.item ? itemLabel(template, p.item) : '', p.taken_at ? fmtTime(p.taken_at) : ''].filter(Boolean).join(' · ') }),
    status);
  if (decide && src) li.append(clearanceForm(ctx, p, status));
  return li;
}

function clearanceForm(ctx, p, status) {
  const confirmBox = h('input', { type: 'checkbox', class: 'photo-no-person', id: `no-person-${p.id}` });
  const msg = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'button', class: 'small photo-clear' });
  const draw = () => {
    button.textContent = p.may_publish ? t('photo_unclear') : t('photo_clear');
    status.textContent = p.may_publish ? t('photo_may_publish') : t('photo_not_cleared');
    status.className = `badge ${p.may_publish ? 'good' : 'warn'}`;
    status.dataset.cleared = p.may_publish ? '1' : '0';
  };
  button.addEventListener('click', async () => {
    msg.textContent = '';
    const want = !p.may_publish;
    if (want && !confirmBox.checked) {
      msg.textContent = t('photo_confirm_no_person');
      confirmBox.focus();
      return;
    }
    try {
      const out = await deskApi(ctx.store, 'POST', `/api/v1/photos/${encodeURIComponent(p.id)}/publication`,
        { may_publish: want, no_person_identifiable: want && confirmBox.checked });
      p.may_publish = out.photo.may_publish;
      confirmBox.checked = false;
      draw();
      document.getElementById('publication-check')?.refresh?.();
    } catch (e) {
      if (e.status === 409 && e.code === 'locked') msg.textContent = t('photo_locked');
      else showRefusal(msg, e);
    }
  });
  draw();
  return h('div', { class: 'photo-clearance' },
    h('label', { class: 'check' }, confirmBox, ' ', t('photo_confirm_no_person')), button, msg);
}
