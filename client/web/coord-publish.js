// The pre-approval check of what the reports will print (issue 12): every
// free text of the visit that a report prints, on one screen, with what
// looks like a person's name, a date of birth or an IIN marked. A marked
// text is not printed until it is changed or cleared here; any text may be
// withheld here (a photo then prints without its caption); a note or a
// personal answer is printed only once cleared for publication here. The approval
// sends back the digest of the list shown, so the server records that the
// coordinator had this very list on screen.
import { h } from './dom.js';
import { t } from './i18n.js';
import { deskApi } from './coord-api.js';
import { showRefusal } from './refusals.js';

/**
 * publicationCheckBox returns the check's section; its dataset.digest names
 * the list shown. Of an approved visit (locked), whose reports print what
 * its check showed, it offers only to withhold a text (the server refuses
 * the rest until the visit is reopened).
 */
export function publicationCheckBox(ctx, visit, { locked = false } = {}) {
  const box = h('section', { class: 'boxed publication-check', id: 'publication-check' },
    h('h3', { text: t('pub_title') }), h('p', { class: 'hint', text: t(locked ? 'pub_hint_locked' : 'pub_hint') }));
  const path = `/api/v1/visits/${visit.id}/publication-check`;
  box.locked = locked;
  return checkBox(ctx, box, path, (check) => {
    box.dataset.digest = check.digest;
    return {
      before: [facilityTexts(check.facility_texts || [])],
      none: h('p', { id: 'pub-none', text: t('pub_none') }),
      after: [locked ? null : unpublished(ctx, path, box, check.unpublished || [])],
    };
  });
}

/**
 * facilityCheckBox returns the facility's own check: the texts of its
 * recommendations made at no visit, which every report of the facility
 * prints and no visit's approval settles. Hidden while there are none.
 */
export function facilityCheckBox(ctx, facility) {
  const box = h('section', { class: 'boxed publication-check', id: 'facility-publication-check', hidden: true },
    h('h2', { text: t('pub_fac_title') }), h('p', { class: 'hint', text: t('pub_fac_hint') }));
  return checkBox(ctx, box, `/api/v1/facilities/${encodeURIComponent(facility.id)}/publication-check`, (check) => {
    box.hidden = !(check.texts || []).length;
    return {};
  });
}

/**
 * checkBox fills box with the check at path (GET), and its texts with the
 * coordinator's decisions (POST path/clear, path/withhold); parts(check)
 * gives what comes before the texts, what stands for them when there are
 * none, and what comes after.
 */
function checkBox(ctx, box, path, parts) {
  const body = h('div', {});
  box.append(body);
  const load = async (promise) => {
    try {
      const check = await promise;
      const { before = [], none = null, after = [] } = parts(check);
      const texts = check.texts || [];
      const list = texts.length ? [
        h('p', { class: 'lead', id: 'pub-summary', text: t('pub_summary', { n: texts.length, f: check.flagged, w: check.withheld }) }),
        h('ul', { id: 'pub-texts' }, texts.map((p) => item(ctx, path, box, p)))] : [none];
      body.replaceChildren(...[...before, ...list, ...after].filter(Boolean));
    } catch (e) {
      box.hidden = false;
      body.replaceChildren(showRefusal(h('p', { class: 'error', role: 'alert' }), e));
    }
  };
  const refresh = () => load(deskApi(ctx.store, 'GET', path));
  refresh();
  box.reload = load;
  // A photo cleared or withdrawn elsewhere on the page changes the captions printed.
  box.refresh = refresh;
  return box;
}

/**
 * unpublished lists the visit's notes and personal text answers, which no
 * report prints until the coordinator, confirming that no person can be
 * identified from one, clears it for publication (POST path/publish): it
 * then joins the texts above, checked as they are.
 */
function unpublished(ctx, path, box, list) {
  if (!list.length) return null;
  // Kept open across the check's reloads, so that clearing one leaves the rest in view.
  return h('details', { class: 'pub-unpublished', id: 'pub-unpublished', open: box.unpublishedOpen || false,
    on: { toggle: (e) => { box.unpublishedOpen = e.target.open; } } },
    h('summary', { text: t('pub_un_title', { n: list.length }) }),
    h('p', { class: 'hint', text: t('pub_un_hint') }),
    h('ul', {}, list.map((p) => h('li', { class: 'pub-text', 'data-record': p.record_id, 'data-field': p.field },
      h('span', { class: 'meta', text: `${kindLabel(p)} · ` }),
      h('q', { class: 'pub-quote', text: p.text }),
      flagList(p.flags || []),
      h('button', { type: 'button', class: 'small pub-publish', on: { click: () => box.reload(deskApi(ctx.store, 'POST', `${path}/publish`,
        { record_type: p.record_type, record_id: p.record_id, field: p.field, no_person_identifiable: true })) },
      text: t('pub_publish') })))));
}

/** flagList shows what in a text looks like a person's name, a date of birth or an IIN; null when nothing. */
function flagList(flags) {
  if (!flags.length) return null;
  return h('ul', { class: 'pub-flags' }, flags.map((f) => h('li', {},
    h('mark', { text: f.match }), h('span', { text: ` — ${t(`pub_flag_${f.kind}`)}` }))));
}

/** kindLabel names what a listed text is: a place's label, a recommendation, a note, an answer, a caption. */
function kindLabel(p) {
  if (p.record_type === 'observation') return t(p.field === 'note' ? 'pub_kind_note' : 'pub_kind_answer');
  return `${t(`pub_rt_${p.record_type}`)}${fieldNote(p)}`;
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

function item(ctx, path, box, p) {
  const flagged = (p.flags || []).length > 0;
  const state = p.withheld ? 'pub-text withheld' : flagged ? (p.printed ? 'pub-text cleared' : 'pub-text flagged') : 'pub-text';
  const li = h('li', { class: state, 'data-record': p.record_id, 'data-field': p.field },
    h('span', { class: 'meta', text: `${kindLabel(p)} · ` }),
    h('q', { class: 'pub-quote', text: p.text }));
  const post = (what, body) => box.reload(deskApi(ctx.store, 'POST', `${path}/${what}`,
    { record_type: p.record_type, record_id: p.record_id, field: p.field, ...body }));
  // A caption goes with its photo: withdrawing the photo withholds both;
  // withholding the caption alone prints the photo without it.
  if (p.record_type === 'photo') {
    li.append(h('button', { type: 'button', class: 'small pub-withdraw-photo', on: { click: () => box.reload(
      deskApi(ctx.store, 'POST', `/api/v1/photos/${encodeURIComponent(p.record_id)}/publication`, { may_publish: false })
        .then(() => deskApi(ctx.store, 'GET', path))) },
    text: t('pub_withdraw_photo') }));
  }
  if (flagged) li.append(flagList(p.flags));
  // Withheld by the coordinator: not printed, flagged or not, until printed again.
  if (p.withheld) {
    li.append(h('p', { class: 'warning', text: t(p.record_type === 'photo' ? 'pub_caption_withheld' : 'pub_text_withheld') }));
    if (!box.locked) li.append(h('button', { type: 'button', class: 'small pub-release', on: { click: () => post('withhold', { withhold: false }) }, text: t('pub_print_again') }));
    return li;
  }
  if (flagged && p.printed) li.append(h('p', { class: 'notice good', text: t('pub_cleared') }));
  if (flagged && !p.printed) {
    li.append(h('p', { class: 'warning', text: t('pub_withheld') }));
    if (!box.locked) li.append(h('button', { type: 'button', class: 'pub-clear', on: { click: () => post('clear', {}) }, text: t('pub_clear') }));
  }
  li.append(h('button', { type: 'button', class: 'small pub-withhold', on: { click: () => post('withhold', { withhold: true }) },
    text: t(p.record_type === 'photo' ? 'pub_withhold_caption' : 'pub_withhold') }));
  return li;
}

/** fieldNote names which of a recommendation's texts it is, beside its text. */
function fieldNote(p) {
  if (p.record_type !== 'recommendation' || p.field === 'text') return '';
  return ` (${t(p.field === 'category' ? 'rec_category' : 'rec_addressee')})`;
}
