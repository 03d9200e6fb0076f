// Indicator evaluation: the JS twin of schema/indicator.go. Both follow the
// template's declarations only, and both pass schema/testdata/indicator_vectors.json.

// numberOf reads a numeric answer; anything else (strings, null, NaN, ±Inf) is no answer.
function numberOf(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function matches(b, v) {
  return (b.lt == null || v < b.lt) && (b.lte == null || v <= b.lte) &&
    (b.gt == null || v > b.gt) && (b.gte == null || v >= b.gte);
}

/** KIND_KEY is where a location's kind is passed with its answers (schema.KindKey), for when.kind_in. */
export const KIND_KEY = '@kind';

function holds(cond, values) {
  if (cond.kind_in && cond.kind_in.length && !cond.kind_in.includes(values[KIND_KEY])) return false;
  if (!cond.item) return true;
  if (cond.gte != null) {
    const n = numberOf(values[cond.item]);
    return n !== null && n >= cond.gte;
  }
  const s = values[cond.item];
  if (typeof s !== 'string') return false;
  if (cond.in && cond.in.length) return cond.in.includes(s);
  return !(cond.not_in || []).includes(s);
}

/**
 * Evaluate one indicator on answers keyed by item id. Returns
 * {id, value, band, band_label, applicable, threshold, comparison, source, label, unit_label}:
 * not applicable → value null, band ''. A ratio with a zero denominator and a
 * positive numerator takes zero_denominator_band (value null) when declared.
 */
export function evaluate(ind, values) {
  const res = {
    id: ind.id, value: null, band: '', band_label: null, applicable: false,
    threshold: ind.threshold ?? null, comparison: ind.comparison || '',
    source: ind.source || null, label: ind.label, unit_label: ind.unit_label || null,
  };
  const judge = (band) => (ind.verify ? 'context' : band);
  if (ind.when && !holds(ind.when, values)) return res;
  const f = ind.formula || {};
  let v;
  if (f.op === 'choice') {
    const opt = values[f.item];
    if (typeof opt !== 'string' || !f.scores || !Object.hasOwn(f.scores, opt)) return res;
    v = f.scores[opt];
  } else if (f.op === 'value') {
    v = numberOf(values[f.item]);
    if (v === null) return res;
  } else if (f.op === 'ratio') {
    const num = numberOf(values[f.num]);
    const den = numberOf(values[f.den]);
    if (num === null || den === null) return res;
    if (den === 0) {
      if (num > 0 && ind.zero_denominator_band) {
        res.applicable = true;
        res.band = judge(ind.zero_denominator_band);
        res.band_label = bandLabel(ind, res.band);
      }
      return res;
    }
    // Multiply before dividing, as the Go evaluator does (105 × 100 ÷ 100 = 105 exactly).
    v = (num * (f.scale ?? 1)) / den;
  } else {
    return res;
  }
  if (!Number.isFinite(v)) return res;
  res.applicable = true;
  res.value = v;
  for (const b of ind.bands || []) {
    if (matches(b, v)) {
      res.band = judge(b.band);
      res.band_label = bandLabel(ind, res.band);
      break;
    }
  }
  return res;
}

/** bandLabel is the band's words from the template ("above capacity"), or null for green and context. */
export function bandLabel(ind, band) {
  return (ind.band_labels && ind.band_labels[band]) || null;
}

/** Evaluate every indicator of a scope ("visit" or "location"), in template order. */
export function evaluateScope(template, scope, values) {
  return (template.indicators || []).filter((i) => i.scope === scope).map((i) => evaluate(i, values));
}

/** The item ids an indicator reads (its formula's inputs and its condition). */
export function inputsOf(ind) {
  const f = ind.formula || {};
  return [f.item, f.num, f.den, ind.when && ind.when.item].filter(Boolean);
}
