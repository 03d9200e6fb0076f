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
      const id = nextId('r');
      return h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name, value: String(v), checked: v === value, on: { change: () => onPick(v) } }),
        h('label', { for: id, text: l }));
    }));
}
