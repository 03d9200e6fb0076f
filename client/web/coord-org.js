// The organisation that issues the reports (administrators) and the annual
// report's downloads (staff and administrators). Everything goes straight to
// the API; nothing is kept on the device.
import { h, field } from './dom.js';
import { t, lang } from './i18n.js';
import { deskApi, downloadReport, deskErrorText } from './coord-api.js';
import { REPORT_LANGS, fmtBytes } from './coord-format.js';

const MAX_LOGO = 256 * 1024;
const TEXT_FIELDS = [
  ['name_ru', 'org_name', 'ru'], ['name_kk', 'org_name', 'kk'], ['name_en', 'org_name', 'en'],
  ['short_name_ru', 'org_short', 'ru'], ['short_name_kk', 'org_short', 'kk'], ['short_name_en', 'org_short', 'en'],
  ['what_ru', 'org_what', 'ru'], ['what_kk', 'org_what', 'kk'], ['what_en', 'org_what', 'en'],
];

const errorText = (e) => deskErrorText(e);

/** orgFieldLabel names a field of the settings form as the form labels it (store.Org.Validate's names). */
export function orgFieldLabel(name) {
  const text = TEXT_FIELDS.find((f) => f[0] === name);
  if (text) return `${t(text[1])} (${t(`lang_${text[2]}`)})`;
  return { address: t('address'), contact: t('org_contact') }[name] || '';
}

/** isPNG tells by its first bytes whether a file is a PNG image. */
export function isPNG(bytes) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function registerOrgViews(register) {
  register('admin-org', /^\/admin\/org$/, orgSettings);
}

async function orgSettings(ctx) {
  const { store } = ctx;
  if (store.session.user.role !== 'admin') return h('p', { class: 'notice', role: 'note', text: t('desk_not_for_role') });
  let org;
  try {
    org = await deskApi(store, 'GET', '/api/v1/org');
  } catch (e) {
    return h('p', { class: 'error', role: 'alert', text: errorText(e) });
  }
  const inputs = {};
  for (const [key] of TEXT_FIELDS) inputs[key] = h('input', { id: `org-${key}`, maxlength: 300, value: org[key] || '' });
  inputs.address = h('textarea', { id: 'org-address', maxlength: 1000, rows: 2 });
  inputs.address.value = org.address || '';
  inputs.contact = h('textarea', { id: 'org-contact', maxlength: 1000, rows: 2 });
  inputs.contact.value = org.contact || '';
  const logoInput = h('input', { id: 'org-logo', type: 'file', accept: 'image/png' });
  const preview = h('div', { class: 'org-logo' });
  let logo; // undefined: keep; '': remove; base64: replace
  const showLogo = (b64) => preview.replaceChildren(b64 ? h('img', { src: `data:image/png;base64,${b64}`, alt: t('org_logo'), height: 64 }) : h('span', { class: 'meta', text: t('org_no_logo') }));
  showLogo(org.logo_png_base64);
  const msg = h('p', { class: 'meta', id: 'org-msg', role: 'status', 'aria-live': 'polite' });
  logoInput.addEventListener('change', async () => {
    msg.classList.remove('error');
    msg.textContent = '';
    const file = logoInput.files[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > MAX_LOGO || !isPNG(bytes)) {
      msg.classList.add('error');
      msg.textContent = t('org_logo_bad');
      logoInput.value = '';
      return;
    }
    logo = toBase64(bytes);
    showLogo(logo);
  });
  const remove = h('button', { type: 'button', class: 'small', id: 'org-logo-remove', text: t('org_logo_remove') });
  remove.addEventListener('click', () => { logo = ''; logoInput.value = ''; showLogo(''); });
  const save = h('button', { type: 'submit', id: 'org-save', text: t('save') });
  const form = h('form', { id: 'org-form', class: 'boxed' },
    ['org_name', 'org_short', 'org_what'].map((k) => h('fieldset', {}, h('legend', { text: t(k) }),
      h('div', { class: 'row' }, TEXT_FIELDS.filter((f) => f[1] === k).map(([key, , l]) => field(t(`lang_${l}`), inputs[key]))))),
    field(t('address'), inputs.address), field(t('org_contact'), inputs.contact),
    h('fieldset', {}, h('legend', { text: t('org_logo') }), preview, field(t('org_logo_pick'), logoInput), remove),
    h('div', { class: 'row' }, save), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {};
    for (const [key, input] of Object.entries(inputs)) body[key] = input.value.trim();
    if (logo !== undefined) body.logo_png_base64 = logo;
    save.disabled = true;
    msg.classList.remove('error');
    try {
      const got = await deskApi(store, 'PUT', '/api/v1/org', body);
      logo = undefined;
      showLogo(got.logo_png_base64);
      msg.textContent = t('org_saved');
    } catch (e) {
      msg.classList.add('error');
      msg.textContent = deskErrorText(e, { field: orgFieldLabel(e.field) });
    } finally {
      save.disabled = false;
    }
  });
  return h('div', { class: 'desk admin org' },
    h('h1', { text: t('org_title') }),
    h('nav', { class: 'tabs' }, h('a', { class: 'tab', href: '#/desk', text: t('desk_visits') }),
      h('a', { class: 'tab', href: '#/admin', text: t('users_devices') }),
      h('a', { class: 'tab active', href: '#/admin/org', 'aria-current': 'page', text: t('org_title') }),
      h('a', { class: 'tab', href: '#/admin/checklists', text: t('cl_title') })),
    h('p', { class: 'hint', text: t('org_hint') }),
    org.demo ? h('p', { class: 'notice', role: 'note', text: t('org_is_demo') }) : null,
    form);
}

/** annualPath is the API path of the annual report. */
export function annualPath(format, opts = {}) {
  const q = new URLSearchParams();
  q.set('lang', opts.lang || 'ru');
  if (opts.from) q.set('from', opts.from);
  if (opts.to) q.set('to', opts.to);
  for (const r of opts.regions || []) q.append('region', r);
  if (opts.unapproved) q.set('unapproved', '1');
  return `/api/v1/reports/annual.${format}?${q}`;
}

/**
 * annualReports is the desk's box for the annual (period) report, for staff
 * and administrators (null for anyone else): a period (last calendar year by
 * default), the regions (all unless some are picked), whether visits not yet
 * approved are counted (the report is then marked provisional), PDF in three
 * languages and CSV.
 */
export function annualReports(ctx, regions) {
  const role = ctx.store.session.user.role;
  if (role !== 'staff' && role !== 'admin') return null;
  const year = new Date().getFullYear() - 1;
  const from = h('input', { type: 'date', id: 'annual-from', value: `${year}-01-01` });
  const to = h('input', { type: 'date', id: 'annual-to', value: `${year}-12-31` });
  const regionSel = h('select', { id: 'annual-regions', multiple: true, size: 4 },
    regions.map((r) => h('option', { value: r.code, text: r.name && (r.name[lang()] || r.name.ru) || r.code })));
  const unapproved = h('input', { type: 'checkbox', id: 'annual-unapproved' });
  const status = h('p', { class: 'meta report-status', id: 'annual-status', role: 'status', 'aria-live': 'polite' });
  const buttons = [];
  const run = async (format, l, btn) => {
    if (!from.value || !to.value) {
      status.classList.add('error');
      status.textContent = t('annual_need_period');
      return;
    }
    for (const b of buttons) b.disabled = true;
    status.classList.remove('error');
    status.textContent = t('report_preparing');
    try {
      const picked = [...regionSel.selectedOptions].map((o) => o.value);
      const got = await downloadReport(ctx.store, annualPath(format, { lang: l, from: from.value, to: to.value, regions: picked, unapproved: unapproved.checked }));
      status.textContent = t('report_downloaded', { name: got.name, size: fmtBytes(got.size) });
      status.dataset.name = got.name;
      status.dataset.type = got.type;
    } catch (e) {
      status.classList.add('error');
      status.textContent = errorText(e);
    } finally {
      for (const b of buttons) b.disabled = false;
      btn.focus();
    }
  };
  const mk = (format, l, text, key) => {
    const b = h('button', { type: 'button', class: 'report-button', 'data-report': key, text });
    b.addEventListener('click', () => run(format, l, b));
    buttons.push(b);
    return b;
  };
  return h('section', { id: 'annual-reports', class: 'boxed' },
    h('h2', { text: t('annual_report') }),
    h('p', { class: 'hint', text: t('annual_hint') }),
    h('div', { class: 'row period' }, field(t('period_from'), from), field(t('period_to'), to), field(t('annual_regions'), regionSel)),
    h('label', { class: 'check' }, unapproved, ` ${t('annual_include_unapproved')}`),
    h('div', { class: 'row report-row' }, REPORT_LANGS.map((l) => mk('pdf', l, `PDF · ${t(`lang_${l}`)}`, `annual-pdf-${l}`)),
      mk('csv', lang(), 'CSV', 'annual-csv')),
    status);
}
