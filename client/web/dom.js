// Tiny DOM helpers. User text only ever goes in as text nodes or properties,
// never through innerHTML.

/**
 * h(tag, attrs, ...children) makes an element. attrs: `class`, `text`
 * (textContent), `on` ({event: handler}), properties that must be set as
 * such (value, checked, disabled, selected, hidden), anything else as an
 * attribute (false/null skips it). Children: nodes, strings (as text), arrays, null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Parts of a page built only when first shown: a question's help, note and
// photos are about half of a place page's nodes (issue 20: the style and
// layout of a page of a hundred questions took 110 to 190 ms at 4× CPU).
const lazyParts = new WeakMap(); // <details> → the function that builds its content
let lazyWatch = null;

/**
 * lazyDetails makes a <details> whose content after its summary is built by
 * build() the first time it opens: by a tap, Enter or Space on its summary
 * (the browser's own: keyboard and screen readers know it as expanded or
 * collapsed), by a script setting open (built before the next task), or by
 * restoreView.
 */
export function lazyDetails(attrs, summary, build) {
  const el = h('details', attrs, summary);
  lazyParts.set(el, build);
  if (!lazyWatch && typeof MutationObserver === 'function') {
    lazyWatch = new MutationObserver((records) => {
      for (const r of records) if (r.target.open) buildLazy(r.target);
    });
    lazyWatch.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['open'] });
  }
  return el;
}

/** buildLazy builds the content of a lazy <details> now (nothing when it is built already, or not lazy). */
export function buildLazy(el) {
  const build = lazyParts.get(el);
  if (!build) return;
  lazyParts.delete(el);
  append(el, [build()]);
}

/**
 * drawnFrom is what a view returns to be drawn from inputs (plain data: the
 * fields of the records it read, settings) by build (a function giving the
 * screen's node). The router (app.js) calls build only when the screen shown
 * for the same path was not drawn from the same inputs: a pulled page that
 * changes nothing the screen shows keeps it as it is, its DOM, focus and
 * text being typed (issue 20: every pulled page drew the screen anew, 50 to
 * 150 ms of style, layout and garbage collection at 4× CPU). Everything the
 * screen shows, and every value its handlers act on, must come from inputs.
 */
export function drawnFrom(inputs, build) {
  return { drawnFrom: inputs, build };
}

/** fieldsOf is what a screen shows of records (drawnFrom's inputs): their keys, fields and whether they are the phone's own. */
export function fieldsOf(recs) {
  return recs.map((r) => [r.key, r.fields, !!r.own]);
}

/** same compares two values of JSON (records' fields, inputs of a screen) deeply. */
export function same(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !same(a[k], b[k])) return false;
    n++;
  }
  for (const k in b) if (Object.prototype.hasOwnProperty.call(b, k)) n--;
  return n === 0;
}

/** clear empties an element and appends children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/** nextId returns a fresh element id for label/input pairs. */
export const nextId = (p = 'f') => `${p}${++uid}`;

/** field wraps an input with its bound label (and optional hint/message nodes). */
export function field(label, input, ...extra) {
  if (!input.id) input.id = nextId();
  return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, ...extra);
}

/** select builds a <select> from [value, label] pairs. */
export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, l]) => h('option', { value: v, selected: v === value, text: l })));
}

/** radios builds a group of big radio buttons; onPick(value) on change. */
export function radios(name, legend, options, value, onPick, attrs = {}) {
  return h('fieldset', { class: 'radios', ...attrs }, h('legend', { text: legend }),
    options.map(([v, l]) => {
      // A stable id (name and value) lets a redraw keep the focus on the same choice.
      const id = `${name}-${String(v).replace(/[^\w-]/g, '_')}`;
      return h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name, value: String(v), checked: v === value, on: { change: () => onPick(v) } }),
        h('label', { for: id, text: l }));
    }));
}

/**
 * captureView notes what a person has open or half-typed in root, so that a
 * redraw of the same screen (after a sync) can put it back with restoreView:
 * the scroll position, the focused control with its caret, the text of
 * controls typed into but not yet committed (marked data-dirty by the app) or
 * refused as invalid, open <details>, and nodes marked data-keep (confirmation
 * boxes and other things opened by a tap), which are moved over as they are.
 * Elements are matched by id, so anything that must survive needs a stable one.
 */
export function captureView(root) {
  const s = { y: window.scrollY, focus: null, values: [], open: [], kept: [] };
  const a = document.activeElement;
  if (a && a !== root && root.contains(a) && a.id) {
    s.focus = { id: a.id };
    try {
      if (typeof a.selectionStart === 'number') Object.assign(s.focus, { start: a.selectionStart, end: a.selectionEnd, dir: a.selectionDirection });
    } catch (e) { /* inputs of some types have no caret */ }
  }
  for (const el of root.querySelectorAll('[data-dirty][id], [aria-invalid="true"][id]')) {
    const msgId = el.getAttribute('aria-describedby');
    const msg = msgId && document.getElementById(msgId);
    s.values.push({ id: el.id, value: el.value, invalid: el.getAttribute('aria-invalid') === 'true', msg: msg ? msg.textContent : '' });
  }
  for (const el of root.querySelectorAll('details[open][id]')) s.open.push(el.id);
  for (const el of root.querySelectorAll('[data-keep][id]')) s.kept.push(el);
  return s;
}

/** restoreView puts back in root (just redrawn) what captureView noted. */
export function restoreView(root, s) {
  const byId = (id) => root.querySelector(`#${CSS.escape(id)}`);
  for (const old of s.kept) {
    const fresh = byId(old.id);
    if (fresh && fresh !== old) fresh.replaceWith(old);
  }
  for (const id of s.open) {
    const d = byId(id);
    if (!d) continue;
    d.open = true;
    buildLazy(d); // now: the text typed in it is put back below
  }
  // Focus first, then the typed text: the browser then sees text that changed
  // since the focus and fires "change" when the person leaves the field, as it
  // would have on the old element.
  const focused = s.focus ? byId(s.focus.id) : null;
  if (focused) focused.focus({ preventScroll: true });
  for (const v of s.values) {
    const el = byId(v.id);
    if (!el) continue;
    el.value = v.value;
    el.dataset.dirty = '1';
    // Text set by script may not count as typed for the browser: leaving the
    // field commits it all the same (a native "change" first clears the mark).
    el.addEventListener('blur', () => {
      if (el.dataset.dirty) el.dispatchEvent(new Event('change', { bubbles: true }));
    }, { once: true });
    if (v.invalid) {
      el.setAttribute('aria-invalid', 'true');
      const msg = document.getElementById(el.getAttribute('aria-describedby') || '');
      if (msg && v.msg) msg.textContent = v.msg;
    }
  }
  window.scrollTo(0, s.y);
  if (focused) {
    try {
      if (s.focus.start !== undefined && typeof focused.setSelectionRange === 'function') focused.setSelectionRange(s.focus.start, s.focus.end, s.focus.dir);
    } catch (e) { /* no caret in this kind of input */ }
  }
}
