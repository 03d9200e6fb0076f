// Checklists for administrators (docs/checklists.md): the stored versions,
// which one new visits get, an upload (XLSForm workbook or JSON) checked and
// shown in each language before it is stored, activation, and downloads.
// Everything goes straight to the API; nothing is kept on the device.
import { h } from './dom.js';
import { t, txt, fmtTime, LANGS } from './i18n.js';
import { deskApi, downloadReport, DeskError, deskErrorText } from './coord-api.js';
import { problemText } from './refusals.js';

export function registerChecklistViews(register) {
  register('admin-checklists', /^\/admin\/checklists$/, checklists);
}

const errorText = (e) => deskErrorText(e);

/** upload sends the file's bytes as they are; a refusal keeps its problems. */
async function upload(store, bytes, name, query) {
  let resp;
  try {
    resp = await fetch(`/api/v1/checklist-versions?name=${encodeURIComponent(name)}&${query}`, {
      method: 'POST', body: bytes, cache: 'no-store',
      headers: { Accept: 'application/json', Authorization: `Bearer ${store.session.token}`, 'Content-Type': 'application/octet-stream' },
    });
  } catch (e) {
    throw new DeskError(0, null);
  }
  const data = await resp.json().catch(() => null);
  if (!resp.ok) throw new DeskError(resp.status, data);
  return data;
}

/** pick is a template text in lang, never another language: a preview shows what is missing. */
function pick(text, lang) {
  return (text && text[lang]) || '';
}

/** problemPlace names where a refused file is wrong: survey!K9 (row 9, column constraint). */
export function problemPlace(p) {
  if (!p.sheet) return '';
  let where = p.sheet;
  if (p.cell) where += `!${p.cell}`;
  else if (p.row) where += ` ${t('cl_row', { n: p.row })}`;
  if (p.column) where += ` (${p.column})`;
  return where;
}

function problemList(problems) {
  return h('ul', { class: 'list problems', id: 'cl-problems' }, problems.map((p) => h('li', { class: 'card bad' },
    problemPlace(p) ? h('strong', { class: 'place', text: problemPlace(p) }) : null,
    h('span', { class: 'what', title: p.message || '', text: ` ${problemText(p)}` }))));
}

/** preview shows a checklist as a monitor will read it, in one language. */
export function preview(tpl, lang) {
  const byId = new Map(tpl.items.map((i) => [i.id, i]));
  const typeWord = (it) => t(`cl_type_${it.type}`);
  const when = (it) => {
    const c = it.relevant;
    if (!c) return null;
    const on = byId.get(c.item);
    const opt = (id) => {
      if (on && on.type === 'yesno') return t(id === 'yes' ? 'yes' : 'no');
      const o = on && (on.options || []).find((x) => x.id === id);
      return o ? pick(o.label, lang) : id;
    };
    const list = (c.in || c.not_in || []).map(opt).join(', ');
    return h('p', { class: 'meta', text: t(c.in ? 'cl_asked_when' : 'cl_asked_unless', { q: on ? pick(on.label, lang) : c.item, a: list }) });
  };
  return h('div', { class: 'cl-preview', id: 'cl-preview', lang },
    h('h2', { text: `${pick(tpl.title, lang)} — ${tpl.id}@${tpl.version}` }),
    tpl.sections.map((s) => h('section', { class: 'boxed', 'data-section': s.id },
      h('h3', { text: pick(s.title, lang) }),
      h('ol', { class: 'cl-items' }, tpl.items.filter((i) => i.section === s.id).map((it) => h('li', { 'data-item': it.id },
        h('strong', { text: `${it.code} · ${pick(it.label, lang)}` }), it.required ? h('span', { class: 'badge', text: ` ${t('cl_required')}` }) : null,
        h('p', { class: 'meta', text: [typeWord(it), t(`cl_scope_${it.scope}`), it.unit_label ? pick(it.unit_label, lang) : '',
          it.min !== undefined && it.max !== undefined ? `${it.min}–${it.max}` : ''].filter(Boolean).join(' · ') }),
        it.options ? h('p', { class: 'options', text: it.options.map((o) => pick(o.label, lang)).join(' / ') }) : null,
        when(it),
        it.help ? h('p', { class: 'hint', text: pick(it.help, lang) }) : null))))),
    tpl.indicators && tpl.indicators.length ? h('section', { class: 'boxed' }, h('h3', { text: t('cl_indicators') }),
      h('ul', {}, tpl.indicators.map((ind) => h('li', { 'data-indicator': ind.id, text: pick(ind.label, lang) })))) : null);
}

async function checklists(ctx) {
  const { store } = ctx;
  if (store.session.user.role !== 'admin') return h('p', { class: 'notice', role: 'note', text: t('desk_not_for_role') });
  let versions;
  try {
    versions = (await deskApi(store, 'GET', '/api/v1/checklist-versions')).versions || [];
  } catch (e) {
    return h('p', { class: 'error', role: 'alert', text: errorText(e) });
  }
  const state = ctx.checklistState || (ctx.checklistState = { lang: 'ru', checked: null, bytes: null, name: '', problems: null, flash: '' });
  const msg = h('p', { class: 'meta', id: 'cl-msg', role: 'status', 'aria-live': 'polite', text: state.flash });
  state.flash = '';
  const shown = h('div', { id: 'cl-shown' });
  const rerender = async (flash) => {
    state.flash = flash || '';
    const y = scrollY;
    await ctx.render();
    scrollTo(0, y);
  };
  const act = async (fn, done) => {
    msg.classList.remove('error');
    msg.textContent = '';
    try {
      await fn();
      await rerender(done);
    } catch (e) {
      msg.classList.add('error');
      msg.textContent = errorText(e);
      if (e.body && e.body.problems) shown.replaceChildren(problemList(e.body.problems));
    }
  };

  // quietly runs an action that changes nothing stored: no re-render, an error in msg.
  const quietly = async (fn) => {
    msg.classList.remove('error');
    msg.textContent = '';
    try {
      await fn();
    } catch (e) {
      msg.classList.add('error');
      msg.textContent = errorText(e);
    }
  };

  const langTabs = (draw) => h('div', { class: 'row', role: 'group', 'aria-label': t('cl_preview_lang') }, LANGS.map((l) =>
    h('button', { type: 'button', class: l === state.lang ? 'small primary' : 'small', id: `cl-lang-${l}`, 'aria-pressed': String(l === state.lang),
      on: { click: () => { state.lang = l; draw(); } }, text: l.toUpperCase() })));

  const showTemplate = (tpl, extra) => {
    const draw = () => shown.replaceChildren(langTabs(draw), extra || '', preview(tpl, state.lang));
    draw();
  };

  // The upload: check first (nothing stored), look at it in each language, then store.
  const file = h('input', { type: 'file', id: 'cl-file', accept: '.xlsx,.json,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const checkBtn = h('button', { type: 'submit', class: 'primary', id: 'cl-check', text: t('cl_check') });
  const store1 = h('button', { type: 'button', id: 'cl-store', disabled: !state.checked, text: t('cl_store') });
  const store2 = h('button', { type: 'button', id: 'cl-store-activate', disabled: !state.checked, text: t('cl_store_activate') });
  const storeIt = (activate) => act(async () => {
    const res = await upload(store, state.bytes, state.name, activate ? 'activate=1' : '');
    state.checked = null;
    state.bytes = null;
    return res;
  }, t(activate ? 'cl_stored_active' : 'cl_stored', { ref: `${state.checked.id}@${state.checked.version}` }));
  store1.addEventListener('click', () => storeIt(false));
  store2.addEventListener('click', () => storeIt(true));
  const form = h('form', { class: 'boxed', id: 'cl-upload', on: { submit: async (e) => {
    e.preventDefault();
    msg.classList.remove('error');
    msg.textContent = '';
    const f = file.files && file.files[0];
    if (!f) { msg.classList.add('error'); msg.textContent = t('cl_no_file'); return; }
    state.bytes = new Uint8Array(await f.arrayBuffer());
    state.name = f.name;
    state.checked = null;
    store1.disabled = store2.disabled = true;
    try {
      const res = await upload(store, state.bytes, state.name, 'preview=1');
      state.checked = res.checklist;
      store1.disabled = store2.disabled = false;
      msg.textContent = t('cl_checked', { ref: `${res.checklist.id}@${res.checklist.version}`, n: res.checklist.items.length });
      showTemplate(res.checklist);
    } catch (err) {
      msg.classList.add('error');
      msg.textContent = err.body && err.body.problems ? t('cl_refused') : errorText(err);
      shown.replaceChildren(err.body && err.body.problems ? problemList(err.body.problems) : '');
    }
  } } },
  h('h2', { text: t('cl_upload') }),
  h('p', { class: 'hint', text: t('cl_upload_hint') }),
  h('div', { class: 'field' }, h('label', { for: 'cl-file', text: t('cl_file') }), file),
  h('div', { class: 'row' }, checkBtn, store1, store2));
  if (state.checked) showTemplate(state.checked);

  const card = (v) => h('li', { class: 'card', 'data-ref': v.ref },
    h('span', {}, h('strong', { text: v.ref }), ' ', v.active ? h('span', { class: 'badge good', text: t(v.default ? 'cl_active_default' : 'cl_active') }) : null),
    h('span', { text: txt(v.title) }),
    h('span', { class: 'meta', text: [t(`cl_source_${v.source}`), t('cl_counts', { q: v.items, i: v.indicators }), t('cl_visits', { n: v.visits }), fmtTime(v.imported_at)].join(' · ') }),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'small', 'data-action': 'preview', on: { click: () => quietly(async () => {
        const res = await deskApi(store, 'GET', `/api/v1/checklist-versions/${encodeURIComponent(v.ref)}`);
        state.checked = null;
        showTemplate(res.checklist);
        shown.scrollIntoView({ block: 'start' });
      }) }, text: t('cl_preview') }),
      v.active ? null : h('button', { type: 'button', class: 'small primary', 'data-action': 'activate', on: { click: () => act(
        () => deskApi(store, 'POST', `/api/v1/checklist-versions/${encodeURIComponent(v.ref)}/activate`), t('cl_activated', { ref: v.ref })) }, text: t('cl_activate') }),
      ['xlsform', 'json'].map((f) => h('button', { type: 'button', class: 'small', 'data-action': `export-${f}`, on: { click: () => quietly(
        () => downloadReport(store, `/api/v1/checklist-versions/${encodeURIComponent(v.ref)}/export?format=${f}`)) }, text: t(`cl_download_${f}`) }))));

  return h('div', { class: 'desk admin checklists' },
    h('h1', { text: t('cl_title') }),
    h('nav', { class: 'tabs' }, h('a', { class: 'tab', href: '#/desk', text: t('desk_visits') }),
      h('a', { class: 'tab', href: '#/admin', text: t('users_devices') }),
      h('a', { class: 'tab', href: '#/admin/org', text: t('org_title') }),
      h('a', { class: 'tab active', href: '#/admin/checklists', 'aria-current': 'page', text: t('cl_title') })),
    h('p', { class: 'hint', text: t('cl_hint') }),
    h('section', { id: 'cl-versions' }, h('h2', { text: t('cl_versions') }), h('ul', { class: 'list', id: 'cl-list' }, versions.map(card))),
    form, msg, shown);
}
