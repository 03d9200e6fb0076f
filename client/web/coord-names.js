// A facility's name, authority and address in each language, typed at the
// desk by its region's coordinator or an administrator. The reports print the
// reader's language first (names.js: reader -> ru -> kk -> en -> the default);
// an empty field falls back, it does not erase the default.
import { h, field } from './dom.js';
import { t } from './i18n.js';
import { deskApi } from './coord-api.js';
import { showRefusal } from './refusals.js';

const PARTS = ['name', 'authority', 'address'];
const LANGS = ['ru', 'kk', 'en'];

/** facilityNameFields lists the per-language fields the form edits. */
export const facilityNameFields = PARTS.flatMap((p) => LANGS.map((l) => `${p}_${l}`));

/**
 * changedNames returns the fields of the form whose trimmed value differs
 * from the facility's, as the body of a PATCH; null when nothing changed.
 */
export function changedNames(facility, values) {
  const body = {};
  for (const k of facilityNameFields) {
    const v = (values[k] || '').trim();
    if (v !== (facility[k] || '')) body[k] = v;
  }
  return Object.keys(body).length ? body : null;
}

/**
 * facilityNamesForm is the desk's box for a facility's names per language,
 * or null for a role that cannot change the facility (staff).
 */
export function facilityNamesForm(ctx, facility, done) {
  const role = ctx.store.session.user.role;
  if (role !== 'coordinator' && role !== 'admin') return null;
  const inputs = {};
  for (const k of facilityNameFields) {
    inputs[k] = h('input', { id: `fn-${k}`, maxlength: 300, value: facility[k] || '', lang: k.slice(-2) });
  }
  const msg = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite', id: 'fn-status' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'fn-save', text: t('save') });
  async function onSubmit(e) {
    e.preventDefault();
    msg.classList.remove('error');
    const values = Object.fromEntries(facilityNameFields.map((k) => [k, inputs[k].value]));
    const body = changedNames(facility, values);
    if (!body) {
      msg.textContent = t('fn_nothing_changed');
      return;
    }
    button.disabled = true;
    try {
      await deskApi(ctx.store, 'PATCH', `/api/v1/facilities/${encodeURIComponent(facility.id)}`, body);
      done(t('fn_saved'));
    } catch (err) {
      msg.classList.add('error');
      if (err.status === 0) msg.textContent = t('offline_desk');
      else showRefusal(msg, err);
    } finally {
      button.disabled = false;
    }
  }
  return h('details', { class: 'boxed', id: 'fac-names' },
    h('summary', { text: t('fn_title') }),
    h('p', { class: 'hint', text: t('fn_hint') }),
    h('form', { on: { submit: onSubmit } },
      PARTS.map((p) => h('fieldset', {}, h('legend', { text: t(p) }),
        h('div', { class: 'row' }, LANGS.map((l) => field(t(`lang_${l}`), inputs[`${p}_${l}`]))))),
      button, msg));
}
