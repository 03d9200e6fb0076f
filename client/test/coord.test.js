// The coordinator's desk's pure rules: visit order, the side-by-side table,
// queue descriptions, typed decision values, report paths and audit fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

globalThis.document ??= { documentElement: {} }; // setLang marks <html lang>
const { setLang } = await import('../web/i18n.js');
const F = await import('../web/coord-format.js');

const template = JSON.parse(readFileSync(new URL('../../schema/checklists/default.json', import.meta.url), 'utf8'));

test('visits to review: submitted first, then drafts, then approved, newest first within each', () => {
  const got = F.sortVisits([
    { id: 'a1', status: 'approved', started_at: '2026-03-01T09:00:00Z' },
    { id: 'd1', status: 'draft', started_at: '2026-05-01T09:00:00Z' },
    { id: 's1', status: 'submitted', started_at: '2026-01-01T09:00:00Z' },
    { id: 's2', status: 'submitted', started_at: '2026-04-01T09:00:00Z' },
  ]).map((v) => v.id);
  assert.deepEqual(got, ['s2', 's1', 'd1', 'a1']);
});

const scope = {
  location_id: 'L1', label: 'Камера 1', kind: 'cell',
  items: [
    { item: 'location_type', location_id: 'L1', status: 'agreed', value: 'multiple',
      values: [{ observation_id: 'o1', author_id: 'm1', author_name: 'Айгуль', value: 'multiple', note: '' },
        { observation_id: 'o2', author_id: 'm2', author_name: 'Пётр', value: 'multiple', note: '' }] },
    { item: 'cell_area_m2', location_id: 'L1', status: 'to_resolve', value: null,
      values: [{ observation_id: 'o3', author_id: 'm1', author_name: 'Айгуль', value: 11.5, note: '<b>measured</b>' },
        { observation_id: 'o4', author_id: 'm2', author_name: 'Пётр', value: 14, note: '' }] },
    { item: 'persons_present', location_id: 'L1', status: 'decided', value: 4,
      values: [{ observation_id: 'o5', author_id: 'm3', author_name: 'Third', value: 4, note: '' }],
      decision: { value: 4, reason: 'roll call', decided_by_name: 'Координатор' } },
    { item: 'ceiling_height_m', location_id: 'L1', status: 'unanswered', value: null, values: [] },
  ],
};

test('side by side: team columns first, extra authors after, one row per answered item', () => {
  setLang('en');
  const { members, rows, unanswered } = F.sideBySide(scope, template, [{ id: 'm2', name: 'Пётр' }, { id: 'm1', name: 'Айгуль' }]);
  assert.deepEqual(members.map((m) => m.id), ['m2', 'm1', 'm3']);
  assert.equal(unanswered, 1);
  assert.deepEqual(rows.map((r) => r.item), ['location_type', 'cell_area_m2', 'persons_present']);
  const area = rows[1];
  assert.equal(area.status, 'to_resolve');
  assert.equal(area.consolidated, '');
  assert.deepEqual(area.cells.map((c) => c && c.value), ['14 m²', '11.5 m²', null]);
  assert.equal(area.cells[1].note, '<b>measured</b>', 'notes stay as typed; the DOM layer sets them as text');
  assert.equal(area.cells[1].observationId, 'o3');
  assert.equal(area.label, 'B02 · Floor area, excluding the sanitary annex');
  assert.equal(rows[2].consolidated, '4 persons');
  assert.deepEqual(rows[2].cells.map((c) => c && c.value), [null, null, '4 persons']);
  assert.equal(rows[0].consolidated, F.formatValue(template.items.find((i) => i.id === 'location_type'), 'multiple'));
});

test('values read in the current language', () => {
  const area = template.items.find((i) => i.id === 'cell_area_m2');
  const yes = template.items.find((i) => i.type === 'yesno');
  setLang('ru');
  assert.equal(F.formatValue(area, 11.5), '11,5 м²');
  assert.equal(F.formatValue(yes, false), 'Нет');
  assert.equal(F.formatValue(area, null), '—');
  setLang('kk');
  assert.equal(F.formatValue(yes, true), 'Иә');
  setLang('en');
  assert.equal(F.formatValue(null, 3), '3');
});

test('a queue entry is described with place, item and why', () => {
  setLang('ru');
  const d = F.describeOpenItem({ kind: 'disagreement', item: 'cell_area_m2', location_id: 'L1', location_label: 'Камера 1',
    values: [{ value: 11.5 }, { value: 14 }] }, template);
  assert.match(d, /^Камера 1 · B02 · Площадь пола/);
  assert.match(d, /расходятся \(11,5 м² \/ 14 м²\)$/);
  const c = F.describeOpenItem({ kind: 'conflict', conflict: { id: 'x', record_type: 'visit', field: 'kind' } }, template);
  assert.equal(c, 'Посещение в целом · Вид посещения: конфликт синхронизации');
  assert.equal(F.openItemKey({ kind: 'conflict', conflict: { id: 'x' } }), 'c-x');
  assert.equal(F.openItemKey({ kind: 'disagreement', item: 'headcount' }), 'd-visit-headcount');
  setLang('en');
});

test('a decision value is typed per item', () => {
  const area = template.items.find((i) => i.id === 'cell_area_m2');
  const persons = template.items.find((i) => i.id === 'persons_present');
  const yes = template.items.find((i) => i.type === 'yesno');
  const choice = template.items.find((i) => i.type === 'choice');
  assert.deepEqual(F.parseDecisionValue(area, '12,25'), { value: 12.25 });
  assert.deepEqual(F.parseDecisionValue(area, ' 12.5 '), { value: 12.5 });
  assert.deepEqual(F.parseDecisionValue(area, ''), { error: 'empty' });
  assert.deepEqual(F.parseDecisionValue(area, '12 m'), { error: 'not_number' });
  assert.deepEqual(F.parseDecisionValue(area, '99999'), { error: 'range' });
  assert.deepEqual(F.parseDecisionValue(persons, '4.5'), { error: 'not_whole' });
  assert.deepEqual(F.parseDecisionValue(yes, 'false'), { value: false });
  assert.deepEqual(F.parseDecisionValue(choice, choice.options[0].id), { value: choice.options[0].id });
  assert.deepEqual(F.parseDecisionValue(choice, 'nonsense'), { error: 'choice' });
  assert.deepEqual(F.parseDecisionValue(null, '<script>'), { value: '<script>' });
});

test('report paths and file names', () => {
  assert.equal(F.reportPath('facility', 'f 1', 'pdf', { lang: 'kk' }), '/api/v1/facilities/f%201/report.pdf?lang=kk');
  assert.equal(F.reportPath('facility', 'f1', 'csv', { lang: 'ru', kind: 'indicators', from: '2026-01-01', to: '' }),
    '/api/v1/facilities/f1/report.csv?lang=ru&kind=indicators&from=2026-01-01');
  assert.equal(F.reportPath('region', 'KZ-KAR', 'pdf', {}), '/api/v1/regions/KZ-KAR/report.pdf?lang=ru');
  // The full annex and the confirmation to export visits not yet approved.
  assert.equal(F.reportPath('facility', 'f1', 'pdf', { lang: 'en', detail: 'all', unapproved: true }), '/api/v1/facilities/f1/report.pdf?lang=en&detail=all&unapproved=1');
  assert.equal(F.reportPath('facility', 'f1', 'csv', { lang: 'en', detail: 'all' }), '/api/v1/facilities/f1/report.csv?lang=en&kind=observations');
  assert.equal(F.fileNameFrom('attachment; filename=facility-report-x-ru.pdf', 'r.pdf'), 'facility-report-x-ru.pdf');
  assert.equal(F.fileNameFrom('attachment; filename="a b.csv"', 'r.csv'), 'a b.csv');
  assert.equal(F.fileNameFrom("attachment; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf", 'r.pdf'), 'отчёт.pdf');
  assert.equal(F.fileNameFrom('attachment; filename="../../etc/passwd"', 'r.pdf'), '.._.._etc_passwd');
  assert.equal(F.fileNameFrom(null, 'r.pdf'), 'r.pdf');
  assert.equal(F.fmtBytes(10), '10 B');
  assert.equal(F.fmtBytes(1500), '1 KB');
});

test('key indicators are those that applied at some visit, and read with their band', () => {
  setLang('en');
  const visits = [
    { indicators: [{ id: 'space_per_person', applicable: true, value: 2.875, band: 'red', label: { en: 'Space' }, unit_label: { en: 'm²/person' } },
      { id: 'ramp_slope', applicable: false, value: null, band: '' }] },
    { indicators: [{ id: 'occupancy_rate', applicable: true, value: 130, band: 'red' }] },
  ];
  assert.deepEqual(F.keyIndicators(visits).map((i) => i.id), ['space_per_person', 'occupancy_rate']);
  assert.equal(F.indicatorText(visits[0].indicators[0]), '2.88 m²/person — does not meet the standard');
  assert.equal(F.indicatorText({ value: 5, band: 'green', worst_band: 'red' }), '5 — does not meet the standard');
  // The band's own words, in the comparison's direction, win over the generic ones.
  assert.equal(F.indicatorText({ value: 130, unit_label: { en: '%' }, band: 'red', band_label: { en: 'above capacity' } }), '130 % — above capacity');
  assert.equal(F.indicatorText({ value: 5, band: 'green', worst_band: 'red', band_label: null, worst_band_label: { en: 'more persons per toilet than the standard (25)' } }),
    '5 — more persons per toilet than the standard (25)');
  assert.equal(F.indicatorText({ value: null, band: '' }), 'no value');
  assert.deepEqual(F.indicatorInputs(template).get('space_per_person'), ['cell_area_m2', 'persons_present']);
});

test('audit fields read as labelled text, and quarantined operations of any shape are summarised', () => {
  setLang('en');
  const pairs = F.auditFields({ visit_id: 'v', location_id: 'L1', item: 'cell_area_m2', value: 11.5, note: '<img src=x onerror=alert(1)>' },
    template, { type: 'observation', locations: new Map([['L1', 'Cell 1']]) });
  assert.deepEqual(pairs.map(([k]) => k), ['location_id', 'item', 'value', 'note']);
  assert.deepEqual(pairs.map(([, l]) => l), ['Where', 'Item', 'Value', 'Note']);
  assert.equal(pairs[0][2], 'Cell 1');
  assert.equal(pairs[2][2], '11.5 m²');
  assert.equal(pairs[3][2], '<img src=x onerror=alert(1)>');
  const visit = F.auditFields({ kind: 'follow_up', status: 'approved', reason: 'ok', team: ['u1', 'u2-abcdef'], ombudsperson_rep_present: true, checklist: 'kz@1' },
    template, { type: 'visit', people: new Map([['u1', 'Айгуль']]) });
  assert.deepEqual(visit.map(([, , v]) => v), ['Follow-up', 'approved', 'ok', 'Айгуль, …abcdef', 'Yes', 'kz@1']);
  for (const [k, label] of visit) assert.notEqual(label, k, `${k} has a label`);
  setLang('kk');
  const rec = F.auditFields({ status: 'not_implemented', text: 'x', category: 'c', addressee: 'a', checked_visit_id: 'v-123456', facility_id: 'f' }, template, { type: 'recommendation' });
  for (const [k, label] of rec) assert.notEqual(label, k, `${k} has a label`);
  assert.equal(rec[0][2], 'орындалмады');
  assert.equal(F.auditFields({ kind: 'weird' }, template, { type: 'location' })[0][2], 'weird');
  setLang('en');
  assert.deepEqual(F.auditFields(null, template), []);
  assert.deepEqual(F.auditFields([1], template), []);
  assert.equal(F.auditAction({ action: 'approve' }), 'approval');
  assert.equal(F.auditAction({ action: 'weird' }), 'weird');
  assert.deepEqual(F.quarantineSummary({ type: 'observation', id: 'o', fields: { value: 'x' } }), { type: 'observation', id: 'o', text: '{"value":"x"}' });
  assert.equal(F.quarantineSummary('not json').text, 'not json');
  assert.equal(F.quarantineSummary([1, 2]).type, '');
  assert.ok(F.quarantineSummary({ fields: { t: 'x'.repeat(1000) } }).text.length <= 401);
});

test('a user agent as a device name is shortened', () => {
  assert.equal(F.deviceLabel('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'), 'Chrome 156 · Linux');
  assert.equal(F.deviceLabel('Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'), 'Chrome 131 · Android');
  assert.equal(F.deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'), 'Safari 17 · iPhone');
  assert.equal(F.deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'), 'Firefox 133 · Windows');
  assert.equal(F.deviceLabel('e2e: Айгуль\'s phone'), 'e2e: Айгуль\'s phone');
  assert.equal(F.deviceLabel(''), '');
});

test('a sync conflict reads in words', () => {
  setLang('ru');
  const c = { id: 'c1', record_type: 'visit', field: 'kind' };
  assert.equal(F.conflictTitle(c), 'Вид посещения');
  assert.equal(F.conflictValue(c, 'special', template), 'Специальное');
  assert.equal(F.conflictValue({ record_type: 'observation', field: 'value', item: 'cell_area_m2' }, 11.5, template), '11,5 м²');
  assert.equal(F.conflictValue({ record_type: 'location', field: 'label' }, 'Камера 2', template), 'Камера 2');
  assert.equal(F.conflictTitle({ record_type: 'location', field: '_deleted' }), 'Помещение · удалено');
  assert.equal(F.describeOpenItem({ kind: 'conflict', conflict: c }, template), 'Посещение в целом · Вид посещения: конфликт синхронизации');
  setLang('en');
});

test('an item answered by one member says so, not "members agree"', () => {
  setLang('en');
  const one = { items: [{ item: 'ceiling_height_m', location_id: 'L1', status: 'agreed', value: 2.4,
    values: [{ observation_id: 'o9', author_id: 'm1', author_name: 'Айгуль', value: 2.4, note: '' },
      { observation_id: 'o10', author_id: 'm2', author_name: 'Пётр', value: null, note: 'not measured' }] }] };
  const [row] = F.sideBySide(one, template, []).rows;
  assert.equal(F.consolidatedNote(row), 'one member answered');
  const [both] = F.sideBySide(scope, template, []).rows;
  assert.equal(F.consolidatedNote(both), 'members agree');
  setLang('kk');
  assert.equal(F.consolidatedNote(row), 'бір қатысушы жауап берді');
  setLang('en');
});
