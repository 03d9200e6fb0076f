// Facility names per language: the reader's language, then ru, kk, en, then the default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { facilityName, localText, visitFacilityName } from '../web/names.js';
import { isPNG, annualPath } from '../web/coord-org.js';

test('a facility name falls back ru, kk, en, then the default', () => {
  const f = { name: 'Default', name_ru: 'ИВС', name_kk: 'УҰИ', name_en: '' };
  assert.equal(facilityName(f, 'kk'), 'УҰИ');
  assert.equal(facilityName(f, 'ru'), 'ИВС');
  assert.equal(facilityName(f, 'en'), 'ИВС');
  assert.equal(facilityName({ name: 'Only one' }, 'kk'), 'Only one');
  assert.equal(facilityName({ name: 'D', name_kk: '  ' , name_en: 'E' }, 'kk'), 'E');
  assert.equal(localText({ address: 'A', address_kk: 'Ақтөбе' }, 'address', 'kk'), 'Ақтөбе');
  assert.equal(facilityName(undefined, 'ru'), '');
  assert.equal(visitFacilityName({ facility_name: 'D', facility_name_kk: 'Қ', facility_name_ru: 'Р' }, 'kk'), 'Қ');
  assert.equal(visitFacilityName({ facility_name: 'D' }, 'en'), 'D');
});

test('a logo is judged a PNG by its bytes', () => {
  assert.ok(isPNG(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])));
  assert.ok(!isPNG(new TextEncoder().encode('GIF89a....')));
  assert.ok(!isPNG(new Uint8Array([0x89, 0x50])));
});

test('the annual report path carries the period, regions and language', () => {
  assert.equal(annualPath('pdf', { lang: 'kk', from: '2025-01-01', to: '2025-12-31', regions: ['KZ-KAR', 'KZ-ALA'] }),
    '/api/v1/reports/annual.pdf?lang=kk&from=2025-01-01&to=2025-12-31&region=KZ-KAR&region=KZ-ALA');
  assert.equal(annualPath('csv', { lang: 'en', from: '2025-01-01', to: '2025-12-31', unapproved: true }),
    '/api/v1/reports/annual.csv?lang=en&from=2025-01-01&to=2025-12-31&unapproved=1');
});

test('the desk sends only the names that changed, trimmed', async () => {
  const { changedNames, facilityNameFields } = await import('../web/coord-names.js');
  assert.equal(facilityNameFields.length, 9);
  const f = { name: 'ИВС', name_ru: 'ИВС', name_kk: '' };
  assert.equal(changedNames(f, { name_ru: 'ИВС ' }), null);
  assert.deepEqual(changedNames(f, { name_ru: 'ИВС', name_kk: ' УҰИ ', address_en: '' }), { name_kk: 'УҰИ' });
  assert.deepEqual(changedNames(f, { name_ru: '' }), { name_ru: '' });
});
