// Checklist versions on the device and the questions that came with XLSForm:
// every version downloaded is kept, a visit is shown with its own version,
// a new visit takes the active default; relevance, notes and required
// questions in what is left to answer.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store, offeredChecklists } from '../web/store.js';
import * as R from '../web/fieldrules.js';

globalThis.document ??= { documentElement: {} };

const tpl = (version, extra = {}) => ({ id: 'quick', version, title: { en: `v${version}` }, sections: [], items: [], indicators: [], ...extra });

test('the device keeps every version; a visit gets its own, a new visit the active default', async () => {
  const store = await Store.open({ name: `cl-${Date.now()}` });
  await store.saveChecklists([{ ...tpl(1), active: true, default: true }]);
  await store.saveChecklists([{ ...tpl(2), active: true, default: true }, { ...tpl(1), active: false }]);
  assert.equal((await store.checklists()).length, 2);
  assert.equal((await store.checklist('quick@1')).version, 1, 'a version 1 visit is shown with version 1');
  assert.equal((await store.checklist()).version, 2, 'a new visit takes the active version');
  assert.equal(await store.checklist('quick@9'), undefined, 'never another version than the visit\'s own');
  // The server lists version 1 alone as active again (an administrator went back to it).
  await store.saveChecklists([{ ...tpl(1), active: true, default: true }]);
  assert.equal((await store.checklist()).version, 1);
  assert.equal((await store.checklists()).length, 2, 'version 2 is kept for the visits that use it');
});

test('the region\'s list at sign-in leaves the other checklists active; the whole list decides', async () => {
  const store = await Store.open({ name: `clr-${Date.now()}` });
  const police = { ...tpl(1), id: 'police', facility_types: ['ivs'], active: true };
  const care = { ...tpl(1), id: 'care', facility_types: ['psychiatric'], active: true };
  const general = { ...tpl(1), id: 'general', active: true, default: true };
  await store.saveChecklists([general, police, care]);
  await store.saveChecklists([general, police], { partial: true }); // signing in again: the region's list
  assert.equal(offeredChecklists(await store.checklists(), 'psychiatric')[0].id, 'care', 'a visit to a psychiatric hospital still starts on its checklist');
  await store.saveChecklists([general, police]); // the whole list: care is no longer active
  assert.equal(offeredChecklists(await store.checklists(), 'psychiatric')[0].id, 'general');
});

test('the active flags are kept right when the refs stored active are unknown (saved by an earlier version) and from then on', async () => {
  const store = await Store.open({ name: `cla-${Date.now()}` });
  const police = { ...tpl(1), id: 'police', facility_types: ['ivs'], active: true };
  const care = { ...tpl(1), id: 'care', facility_types: ['psychiatric'], active: true };
  const general = { ...tpl(1), id: 'general', active: true, default: true };
  await store.saveChecklists([general, police, care]);
  assert.deepEqual((await store.meta('checklists_active')).sort(), ['care@1', 'general@1', 'police@1']);
  await store.db.delete('meta', 'checklists_active'); // as an earlier version left it
  await store.saveChecklists([general], { partial: true });
  assert.equal(await store.meta('checklists_active'), undefined, 'still unknown after a partial list');
  await store.saveChecklists([general, police]); // the whole list: care is no longer active
  assert.deepEqual((await store.checklists()).filter((c) => c.active).map((c) => c.id).sort(), ['general', 'police']);
  assert.deepEqual((await store.meta('checklists_active')).sort(), ['general@1', 'police@1']);
  await store.saveChecklists([{ ...police, active: false }], { partial: true });
  await store.saveChecklists([general, { ...care, active: true }]);
  assert.deepEqual((await store.checklists()).filter((c) => c.active).map((c) => c.id).sort(), ['care', 'general'], 'police, turned off by a partial list, stays off');
});

test('a template saved again as it was stays as read; one saved changed is read anew', async () => {
  const store = await Store.open({ name: `clk-${Date.now()}` });
  // As the page's reader (pullworker.js) gives them: JSON text under a head.
  const row = (t) => ({ json: JSON.stringify(t), id: t.id, version: t.version, active: t.active, title: t.title });
  const v1 = { ...tpl(1), active: true, items: [{ id: 'a', section: 's', scope: 'visit', label: { en: 'A' } }] };
  await store.saveChecklists([row(v1)], { partial: true });
  assert.deepEqual(await store.meta('checklists_active'), ['quick@1'], 'a new phone knows what it stored active from its first list (no template read to see it)');
  const first = await store.checklist('quick@1');
  assert.equal(first.items[0].label.en, 'A');
  await store.saveChecklists([row(v1)]); // the end of a first sync: the whole list, this one unchanged
  assert.equal(await store.checklist('quick@1'), first, 'the same template, not read and parsed again');
  await store.saveChecklists([row({ ...v1, items: [{ ...v1.items[0], label: { en: 'B' } }] })]);
  assert.equal((await store.checklist('quick@1')).items[0].label.en, 'B', 'a changed one is read anew');
  await store.saveChecklists([row({ ...v1, items: [{ ...v1.items[0], label: { en: 'B' } }], active: false })]);
  assert.equal((await store.checklist('quick@1')).active, false, 'a changed head is read anew');
});

test('relevance follows the answer of the question it reads', () => {
  const gap = { id: 'gap', relevant: { item: 'kept', in: ['no'] } };
  assert.equal(R.isRelevant(gap, {}), false, 'not asked before the answer');
  assert.equal(R.isRelevant(gap, { kept: false }), true);
  assert.equal(R.isRelevant(gap, { kept: true }), false);
  const date = { id: 'date', relevant: { item: 'problems', in: ['pests'] } };
  assert.equal(R.isRelevant(date, { problems: ['damp', 'pests'] }), true);
  assert.equal(R.isRelevant(date, { problems: ['damp'] }), false);
  const unless = { id: 'u', relevant: { item: 'kind', not_in: ['yard'] } };
  assert.equal(R.isRelevant(unless, {}), true, 'not_in: asked while unanswered');
  assert.equal(R.isRelevant(unless, { kind: 'yard' }), false);
});

test('a note, and a question not asked, are not left to answer; a required one is', () => {
  const t = {
    indicators: [],
    items: [
      { id: 'kept', scope: 'visit', section: 's', type: 'yesno', required: true },
      { id: 'gap', scope: 'visit', section: 's', type: 'text', relevant: { item: 'kept', in: ['no'] } },
      { id: 'note', scope: 'visit', section: 's', type: 'note' },
    ],
  };
  assert.deepEqual(R.sectionsLeft(t, 'visit', {}).get('s'), { left: 1, total: 1 });
  assert.deepEqual(R.sectionsLeft(t, 'visit', { kept: false }).get('s'), { left: 1, total: 2 });
  assert.deepEqual(R.requiredItems(t, 'visit').map((i) => i.id), ['kept']);
});
