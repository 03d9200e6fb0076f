// Names per language of a facility: the server keeps name, authority and
// address as defaults (as first entered) plus optional name_ru, name_kk,
// name_en (and authority_…, address_…). A reader of language l sees the l
// text, else Russian, Kazakh, English in that order, else the default — the
// same order as the reports (store/facilities.go, docs/protocol.md).

const ORDER = ['ru', 'kk', 'en'];

/**
 * localText is field `base` (name, authority or address) of a facility's
 * fields for a reader of language l. f is the API's facility object or the
 * field app's record fields.
 */
export function localText(f, base, l) {
  if (!f) return '';
  const pick = (k) => (typeof f[k] === 'string' ? f[k].trim() : '');
  for (const code of [l, ...ORDER]) {
    const s = pick(`${base}_${code}`);
    if (s) return s;
  }
  return pick(base);
}

/** visitFacilityName is the name of a desk visit's facility for a reader of language l. */
export function visitFacilityName(v, l) {
  return facilityName({ name: v.facility_name, name_ru: v.facility_name_ru, name_kk: v.facility_name_kk, name_en: v.facility_name_en }, l);
}

/** facilityName is a facility's name for a reader of language l. */
export function facilityName(f, l) {
  return localText(f, 'name', l);
}
