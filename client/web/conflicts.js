// The member's side of a conflict (docs/protocol.md, "Conflicts"): when a
// teammate's concurrent edit of the same field won, the value this member
// wrote was set aside. Pull brings it (a record's `conflicts`); the member
// sees it here and keeps theirs or the current one, which closes it.
// conflictsPanel is a self-contained block any screen may place.
import { h } from './dom.js';
import { t, fmtNum } from './i18n.js';
import { DELETED } from './synccore.js';
import { fieldLabel } from './coord-format.js';

/** mySetAside lists { rec, conflict } for every open conflict whose set-aside value is the user's. */
export async function mySetAside(store, userId, types = ['visit', 'location', 'observation', 'recommendation', 'confidential_note', 'facility', 'consolidation', 'obstruction', 'interview']) {
  const out = [];
  for (const type of types) {
    const rows = await store.db.getAllFromIndex('records', 'type', type);
    for (const row of rows) {
      const rec = store.fromRow('records', row);
      for (const c of rec.conflicts || []) if (c.user === userId) out.push({ rec, conflict: c });
    }
  }
  return out;
}

/** shown turns a field's value into text for the member. */
export function shown(field, value) {
  if (field === DELETED) return value ? t('conflict_deleted') : t('conflict_not_deleted');
  if (typeof value === 'number') return fmtNum(value);
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** conflictField names the field a conflict is about in the member's words, not its wire name. */
export function conflictField(type, field) {
  return field === DELETED ? t('conflict_field_deleted') : fieldLabel(type, field);
}

/**
 * conflictsPanel returns a section listing the member's values set aside,
 * each with "keep mine" and "keep the current" buttons, or null when there
 * is none. onDecided runs after a decision (to redraw).
 */
export async function conflictsPanel(ctx, onDecided = () => {}) {
  const { store } = ctx;
  const me = store.session && store.session.user && store.session.user.id;
  if (!me) return null;
  const items = await mySetAside(store, me);
  if (!items.length) return null;
  const decide = (rec, c, value) => async (e) => {
    e.target.disabled = true;
    await store.decide(rec, c, value);
    onDecided();
  };
  return h('section', { id: 'conflicts', class: 'warning' },
    h('h2', { text: t('conflicts_title') }),
    h('p', { class: 'hint', text: t('conflict_hint') }),
    h('ul', { class: 'list' }, items.map(({ rec, conflict: c }) => {
      const current = c.field === DELETED ? rec.deleted : rec.fields[c.field];
      const what = rec.fields.label || rec.fields.item || rec.fields.name || '';
      return h('li', { class: 'card', 'data-conflict': c.id },
        h('strong', { text: `${t(`rt_${rec.type}`)}${what ? ` — ${what}` : ''} · ${conflictField(rec.type, c.field)}` }),
        h('button', { type: 'button', class: 'small c-keep-mine', on: { click: decide(rec, c, c.value) }, text: t('conflict_keep_mine', { v: shown(c.field, c.value) }) }),
        h('button', { type: 'button', class: 'small c-keep-current', on: { click: decide(rec, c, current) }, text: t('conflict_keep_current', { v: shown(c.field, current) }) }));
    })));
}
