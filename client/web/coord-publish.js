// The pre-approval check of what the reports will print (issue 12): every
// free text of the visit that a report prints, on one screen, with what
// looks like a person's name, a date of birth or an IIN marked. A marked
// text is not printed until it is changed or cleared here. The approval
// sends back the digest of the list shown, so the server records that the
// coordinator had this very list on screen.
import { h } from './dom.js';
import { t } from './i18n.js';
import { deskApi } from './coord-api.js';
import { showRefusal } from './refusals.js';

/** publicationCheckBox returns the check's section; its dataset.digest names the list shown. */
export function publicationCheckBox(ctx, visit) {
  const box = h('section', { class: 'boxed publication-check', id: 'publication-check' },
    h('h3', { text: t('pub_title') }), h('p', { class: 'hint', text: t('pub_hint') }));
  const body = h('div', {});
  box.append(body);
  const load = async (promise) => {
    try {
      render(ctx, visit, box, body, await promise);
    } catch (e) {
      body.replaceChildren(showRefusal(h('p', { class: 'error', role: 'alert' }), e));
    }
  };
  const refresh = () => load(deskApi(ctx.store, 'GET', `/api/v1/visits/${visit.id}/publication-check`));
  refresh();
  box.reload = load;
  // A photo cleared or withdrawn elsewhere on the page changes the captions printed.
  box.refresh = refresh;
  return box;
}

function render(ctx, visit, box, body, check) {
  box.dataset.digest = check.digest;
  const texts = check.texts || [];
  const facility = facilityTexts(check.facility_texts || []);
  if (!texts.length) {
    body.replaceChildren(...[facility, h('p', { id: 'pub-none', text: t('pub_none') })].filter(Boolean));
    return;
  }
  body.replaceChildren(...[facility,
    h('p', { class: 'lead', id: 'pub-summary', text: t('pub_summary', { n: texts.length, f: check.flagged, w: check.withheld }) }),
    h('ul', { id: 'pub-texts' }, texts.map((p) => item(ctx, visit, box, p)))].filter(Boolean));
}

/**
 * facilityTexts shows the facility's registry texts (name, authority,
 * address) that look like they name a person. Every report prints them as
 * they are, so they are not withheld: the coordinator corrects the facility.
 */
function facilityTexts(list) {
  if (!list.length) return null;
  return h('div', { class: 'warning', id: 'pub-facility', role: 'note' },
    h('p', { text: t('pub_facility_hint') }),
    h('ul', {}, list.map((f) => h('li', { class: 'pub-text flagged', 'data-field': f.field },
      h('span', { class: 'meta', text: `${t(f.field.replace(/_(ru|kk|en)$/, ''))}${f.field.match(/_(ru|kk|en)$/) ? ` (${f.field.slice(-2)})` : ''} · ` }),
      h('q', { class: 'pub-quote', text: f.text }),
      h('ul', { class: 'pub-flags' }, (f.flags || []).map((g) => h('li', {},
        h('mark', { text: g.match }), h('span', { text: ` — ${t(`pub_flag_${g.kind}`)}` }))))))));
}

function item(ctx, visit, box, p) {
  const flagged = (p.flags || []).length > 0;
  const li = h('li', { class: flagged ? (p.printed ? 'pub-text cleared' : 'pub-text flagged') : 'pub-text',
    'data-record': p.record_id, 'data-field': p.field },
  h('span', { class: 'meta', text: `${t(`pub_rt_${p.record_type}`)}${fieldNote(p)} · ` }),
  h('q', { class: 'pub-quote', text: p.text }));
  // A caption goes with its photo: withdrawing the photo withholds both.
  if (p.record_type === 'photo') {
    li.append(h('button', { type: 'button', class: 'small pub-withdraw-photo', on: { click: () => box.reload(
      deskApi(ctx.store, 'POST', `/api/v1/photos/${encodeURIComponent(p.record_id)}/publication`, { may_publish: false })
        .then(() => deskApi(ctx.store, 'GET', `/api/v1/visits/${visit.id}/publication-check`))) },
    text: t('pub_withdraw_photo') }));
  }
  if (!flagged) return li;
  li.append(h('ul', { class: 'pub-flags' }, p.flags.map((f) => h('li', {},
    h('mark', { text: f.match }), h('span', { text: ` — ${t(`pub_flag_${f.kind}`)}` })))));
  if (p.printed) {
    li.append(h('p', { class: 'notice good', text: t('pub_cleared') }));
    return li;
  }
  li.append(h('p', { class: 'warning', text: t('pub_withheld') }),
    h('button', { type: 'button', class: 'pub-clear', on: { click: () => box.reload(deskApi(ctx.store, 'POST',
      `/api/v1/visits/${visit.id}/publication-check/clear`, { record_type: p.record_type, record_id: p.record_id, field: p.field })) },
    text: t('pub_clear') }));
  return li;
}

/** fieldNote names which of a recommendation's texts it is, beside its text. */
function fieldNote(p) {
  if (p.record_type !== 'recommendation' || p.field === 'text') return '';
  return ` (${t(p.field === 'category' ? 'rec_category' : 'rec_addressee')})`;
}
