package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Indicator bands. Red, amber and green judge a value against its standard;
// context means the value is shown without a judgement because the threshold
// is not yet confirmed from a primary source (Indicator.Verify).
const (
	BandRed     = "red"
	BandAmber   = "amber"
	BandGreen   = "green"
	BandContext = "context"
)

// Formula operations.
const (
	OpRatio  = "ratio"  // Num × Scale ÷ Den
	OpValue  = "value"  // the value of Item
	OpChoice = "choice" // the score of Item's chosen option (Scores); an option without a score is not applicable
)

// KindKey is the key under which a location's kind (LocationKinds) is passed
// with its answers to Evaluate, for Condition.KindIn. It is not snake_case, so
// no item can take it.
const KindKey = "@kind"

// Comparisons: how a value must relate to Threshold to meet the standard.
const (
	CompareGTE = "gte"
	CompareGT  = "gt"
	CompareLTE = "lte"
	CompareLT  = "lt"
)

// Aggregations of one visit's location values into a facility figure.
const (
	AggregateMin  = "min"
	AggregateMax  = "max"
	AggregateSum  = "sum"
	AggregateMean = "mean"
)

// Indicator is a figure computed from a scope's answers and judged against a
// standard. It is declared in the template; evaluation follows the declaration
// only, so the Go and JS evaluators agree (see testdata/indicator_vectors.json).
type Indicator struct {
	ID        string     `json:"id"`
	Scope     string     `json:"scope"` // ScopeVisit or ScopeLocation; every item it reads has this scope
	Label     Text       `json:"label"`
	UnitLabel Text       `json:"unit_label,omitempty"`
	Formula   Formula    `json:"formula"`
	When      *Condition `json:"when,omitempty"`

	// Threshold and Comparison state the standard for display ("≥ 4"); Bands
	// decide the colour. A threshold needs a Source.
	Threshold  *float64 `json:"threshold,omitempty"`
	Comparison string   `json:"comparison,omitempty"`
	Bands      []Band   `json:"bands"`

	// BandLabels words each red or amber band the indicator can give, in the
	// direction of its comparison and naming the standard missed ("above
	// capacity", "below the CPT minimum of 4 m² per person"): a generic
	// "below standard" misleads where the standard is a maximum. Every red or
	// amber band (including ZeroDenominatorBand) needs one; green and context
	// are worded by the app.
	BandLabels map[string]Text `json:"band_labels,omitempty"`

	// ZeroDenominatorBand, for a ratio, is the band given when the denominator
	// is 0 and the numerator above 0 (people but no working toilet): there is no
	// value, but the finding stands. Empty means such a ratio is not applicable.
	ZeroDenominatorBand string `json:"zero_denominator_band,omitempty"`

	Aggregate string `json:"aggregate"` // AggregateMin, Max, Sum or Mean
	Source    Text   `json:"source,omitempty"`
	Verify    bool   `json:"verify,omitempty"` // threshold not confirmed: band is always BandContext

	// Measures names the standard the indicator measures (one of
	// StandardTags), so that summaries over many checklists (the annual
	// report) count every indicator of that standard, whatever its id:
	// a police cell's space per person is space as much as a prison cell's.
	Measures string `json:"measures,omitempty"`
	// Season, when SeasonCold, says the standard holds only in the cold
	// season: a report judges the value of a visit made in it, and shows the
	// value of a visit made outside it for comparison only (BandContext).
	Season string `json:"season,omitempty"`
}

// Standards an indicator may measure (Indicator.Measures).
const (
	StandardSpace       = "space"
	StandardTemperature = "temperature"
	StandardSanitation  = "sanitation"
)

// StandardTags lists the standards an indicator may name in Measures.
var StandardTags = []string{StandardSpace, StandardTemperature, StandardSanitation}

// SeasonCold is the Season of a standard that holds in the cold season only.
const SeasonCold = "cold"

// Formula says how an indicator's value is computed from item values.
type Formula struct {
	Op    string   `json:"op"`
	Item  string   `json:"item,omitempty"`  // OpValue
	Num   string   `json:"num,omitempty"`   // OpRatio numerator item
	Den   string   `json:"den,omitempty"`   // OpRatio denominator item
	Scale *float64 `json:"scale,omitempty"` // OpRatio multiplier, e.g. 100 for percent; 1 when absent
	// OpChoice: the number each option of the choice Item counts as, e.g.
	// {"full_with_door": 1, "partial": 0, "none": 0}. An option left out
	// (such as "no toilet in the room") makes the indicator not applicable.
	Scores map[string]float64 `json:"scores,omitempty"`
}

// Condition restricts where an indicator applies. All that is set must hold:
//   - KindIn: the location's kind (passed as KindKey) is one of these;
//   - Item with In or NotIn: the choice item's option id is in In, or not in
//     NotIn (exactly one of them);
//   - Item with GTE: the numeric item's value is at least GTE (a shared
//     place: persons present ≥ 2).
//
// A missing answer makes the indicator not applicable.
type Condition struct {
	Item   string   `json:"item,omitempty"`
	In     []string `json:"in,omitempty"`
	NotIn  []string `json:"not_in,omitempty"`
	GTE    *float64 `json:"gte,omitempty"`
	KindIn []string `json:"kind_in,omitempty"`
}

// Band is one colour of an indicator. Bands are tried in order and the first
// whose conditions all hold wins; the last band has no condition and catches
// every remaining value.
type Band struct {
	Band string   `json:"band"`
	LT   *float64 `json:"lt,omitempty"`
	LTE  *float64 `json:"lte,omitempty"`
	GT   *float64 `json:"gt,omitempty"`
	GTE  *float64 `json:"gte,omitempty"`
}

func (b Band) unconditional() bool { return b.LT == nil && b.LTE == nil && b.GT == nil && b.GTE == nil }

// Matches reports whether v meets every condition of the band.
func (b Band) Matches(v float64) bool {
	return (b.LT == nil || v < *b.LT) &&
		(b.LTE == nil || v <= *b.LTE) &&
		(b.GT == nil || v > *b.GT) &&
		(b.GTE == nil || v >= *b.GTE)
}

// IndicatorResult is one indicator evaluated on one scope's answers.
// When Applicable is false, Value is nil and Band is "". When Applicable is true
// Band is red, amber, green or context, and Value is nil only for a ratio with
// a zero denominator (see Indicator.ZeroDenominatorBand).
type IndicatorResult struct {
	ID         string   `json:"id"`
	Value      *float64 `json:"value"`
	Band       string   `json:"band"`
	BandLabel  Text     `json:"band_label,omitempty"` // the band in words (Indicator.BandLabels); nil for green and context
	Applicable bool     `json:"applicable"`
	Threshold  *float64 `json:"threshold,omitempty"`
	Comparison string   `json:"comparison,omitempty"`
	Source     Text     `json:"source,omitempty"`
	Label      Text     `json:"label"`
	UnitLabel  Text     `json:"unit_label,omitempty"`
}

// Evaluate evaluates every indicator of the given scope, in template order, on
// values keyed by item id (as ParseValue returns them; int, int64 and float64
// are all accepted for numeric items). Items without an answer are simply
// absent or nil.
func (t *Template) Evaluate(scope string, values map[string]any) []IndicatorResult {
	var out []IndicatorResult
	for i := range t.Indicators {
		if t.Indicators[i].Scope == scope {
			out = append(out, t.Indicators[i].Evaluate(values))
		}
	}
	return out
}

// Evaluate computes the indicator on values keyed by item id. It is not
// applicable when its When condition fails or lacks an answer, when an input is
// missing or not a finite number, or when a ratio's denominator is 0 — unless
// the numerator is above 0 and ZeroDenominatorBand is set, in which case the
// result is applicable, has no value and takes that band. A Verify indicator's
// band is always BandContext.
func (ind *Indicator) Evaluate(values map[string]any) IndicatorResult {
	res := IndicatorResult{
		ID:         ind.ID,
		Threshold:  ind.Threshold,
		Comparison: ind.Comparison,
		Source:     ind.Source,
		Label:      ind.Label,
		UnitLabel:  ind.UnitLabel,
	}
	if ind.When != nil && !ind.When.holds(values) {
		return res
	}

	var v float64
	switch ind.Formula.Op {
	case OpChoice:
		opt, ok := values[ind.Formula.Item].(string)
		if !ok {
			return res
		}
		score, ok := ind.Formula.Scores[opt]
		if !ok {
			return res
		}
		v = score
	case OpValue:
		x, ok := numberOf(values[ind.Formula.Item])
		if !ok {
			return res
		}
		v = x
	case OpRatio:
		num, okNum := numberOf(values[ind.Formula.Num])
		den, okDen := numberOf(values[ind.Formula.Den])
		if !okNum || !okDen {
			return res
		}
		if den == 0 {
			if num > 0 && ind.ZeroDenominatorBand != "" {
				res.Applicable = true
				res.Band = ind.judge(ind.ZeroDenominatorBand)
				res.BandLabel = ind.BandLabels[res.Band]
			}
			return res
		}
		scale := 1.0
		if ind.Formula.Scale != nil {
			scale = *ind.Formula.Scale
		}
		// Multiply before dividing: 105 × 100 ÷ 100 is exactly 105, while
		// 105 ÷ 100 × 100 is not. The JS evaluator uses the same order.
		v = num * scale / den
	default:
		return res
	}
	if !isFinite(v) {
		return res
	}
	res.Applicable = true
	res.Value = &v
	res.Band = ind.Judge(v)
	res.BandLabel = ind.BandLabels[res.Band]
	return res
}

// Judge is the one band judge: the band of value v under the indicator's
// bands, BandContext for a Verify indicator, "" if no band matches (a valid
// template's last band catches every value). The app, the desk's
// consolidation and the reports all call it, so they cannot disagree.
func (ind *Indicator) Judge(v float64) string {
	for _, b := range ind.Bands {
		if b.Matches(v) {
			return ind.judge(b.Band)
		}
	}
	return ""
}

func (ind *Indicator) judge(band string) string {
	if ind.Verify {
		return BandContext
	}
	return band
}

func (c *Condition) holds(values map[string]any) bool {
	if len(c.KindIn) > 0 {
		kind, ok := values[KindKey].(string)
		if !ok || !contains(c.KindIn, kind) {
			return false
		}
	}
	if c.Item == "" {
		return true
	}
	if c.GTE != nil {
		n, ok := numberOf(values[c.Item])
		return ok && n >= *c.GTE
	}
	s, ok := values[c.Item].(string)
	if !ok {
		return false
	}
	if len(c.In) > 0 {
		return contains(c.In, s)
	}
	return !contains(c.NotIn, s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// numberOf reads a numeric answer; anything else, including NaN and ±Inf,
// counts as no answer.
func numberOf(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case int32:
		f = float64(x)
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return f, isFinite(f)
}

// Aggregate combines one indicator's values across a visit's locations:
// "min", "max", "sum" or "mean". It returns false for an empty list or an
// unknown kind.
func Aggregate(kind string, vals []float64) (float64, bool) {
	if len(vals) == 0 {
		return 0, false
	}
	switch kind {
	case AggregateMin:
		m := vals[0]
		for _, v := range vals[1:] {
			m = math.Min(m, v)
		}
		return m, true
	case AggregateMax:
		m := vals[0]
		for _, v := range vals[1:] {
			m = math.Max(m, v)
		}
		return m, true
	case AggregateSum, AggregateMean:
		var s float64
		for _, v := range vals {
			s += v
		}
		if kind == AggregateMean {
			s /= float64(len(vals))
		}
		return s, true
	}
	return 0, false
}

func isBandColour(b string) bool { return b == BandRed || b == BandAmber || b == BandGreen }

// validate checks the indicator against the template's items and the kinds
// of place it offers.
func (ind *Indicator) validate(items map[string]*Item, kinds []string) []*RuleError {
	var errs []*RuleError
	add := func(format string, args ...any) {
		errs = append(errs, &RuleError{Detail: fmt.Sprintf(format, args...)})
	}
	addc := func(code, format string, args ...any) { errs = append(errs, rule(code, format, args...)) }

	if !snakeCasePattern.MatchString(ind.ID) {
		add("id must be snake_case")
	}
	if ind.Scope != ScopeVisit && ind.Scope != ScopeLocation {
		add("scope must be %q or %q, got %q", ScopeVisit, ScopeLocation, ind.Scope)
	}
	errs = append(errs, textRules(ind.Label, "label")...)
	if ind.UnitLabel != nil {
		errs = append(errs, textRules(ind.UnitLabel, "unit_label")...)
	}
	if ind.Measures != "" && !contains(StandardTags, ind.Measures) {
		add("measures %q is not one of %s", ind.Measures, strings.Join(StandardTags, ", "))
	}
	if ind.Season != "" && ind.Season != SeasonCold {
		add("season must be %q or absent, got %q", SeasonCold, ind.Season)
	}

	// An input must exist, hold a number, and be answered in the indicator's scope.
	numericInput := func(role, id string) {
		it, ok := items[id]
		switch {
		case id == "":
			add("formula %s missing", role)
		case !ok:
			add("formula refers to unknown item %q", id)
		case !it.Numeric():
			addc("indicator_input_not_number", "formula refers to item %q of type %s, not a number", id, it.Type)
		case it.Scope != ind.Scope:
			addc("indicator_input_scope", "formula refers to item %q of scope %s, not %s", id, it.Scope, ind.Scope)
		}
	}
	f := ind.Formula
	if f.Op != OpChoice && f.Scores != nil {
		add("scores apply only to choice formulas")
	}
	switch f.Op {
	case OpChoice:
		it, ok := items[f.Item]
		switch {
		case !ok:
			add("formula refers to unknown item %q", f.Item)
		case it.Type != TypeChoice:
			addc("indicator_input_not_choice", "a choice formula needs a choice item, %q is %s", f.Item, it.Type)
		case it.Scope != ind.Scope:
			addc("indicator_input_scope", "formula refers to item %q of scope %s, not %s", f.Item, it.Scope, ind.Scope)
		case len(f.Scores) == 0:
			add("a choice formula needs scores")
		default:
			for _, opt := range sortedKeys(f.Scores) {
				if _, ok := it.Option(opt); !ok {
					add("scores refer to unknown option %q of item %q", opt, f.Item)
				}
				if !isFinite(f.Scores[opt]) {
					add("score of %q must be finite", opt)
				}
			}
		}
		if f.Num != "" || f.Den != "" || f.Scale != nil {
			add("a choice formula takes only item and scores")
		}
		if ind.ZeroDenominatorBand != "" {
			add("zero_denominator_band applies only to ratio formulas")
		}
	case OpValue:
		numericInput("item", f.Item)
		if f.Num != "" || f.Den != "" || f.Scale != nil {
			add("a value formula takes only item")
		}
		if ind.ZeroDenominatorBand != "" {
			add("zero_denominator_band applies only to ratio formulas")
		}
	case OpRatio:
		numericInput("num", f.Num)
		numericInput("den", f.Den)
		if f.Item != "" {
			add("a ratio formula takes num and den, not item")
		}
		if f.Scale != nil && (!isFinite(*f.Scale) || *f.Scale <= 0) {
			add("formula scale must be above 0")
		}
		if ind.ZeroDenominatorBand != "" && !isBandColour(ind.ZeroDenominatorBand) {
			add("unknown zero_denominator_band %q (want red, amber or green)", ind.ZeroDenominatorBand)
		}
	default:
		add("unknown formula op %q", f.Op)
	}

	if c := ind.When; c != nil {
		errs = append(errs, c.validate(ind.Scope, items, kinds)...)
	}

	if ind.Threshold != nil {
		if !isFinite(*ind.Threshold) {
			add("threshold must be finite")
		}
		switch ind.Comparison {
		case CompareGTE, CompareGT, CompareLTE, CompareLT:
		default:
			add("threshold needs a comparison (gte, gt, lte or lt), got %q", ind.Comparison)
		}
		if ind.Source == nil {
			add("threshold without a source")
		}
	} else if ind.Comparison != "" {
		add("comparison without a threshold")
	}
	if ind.Source != nil {
		errs = append(errs, textRules(ind.Source, "source")...)
	}

	if len(ind.Bands) == 0 {
		add("no bands")
	}
	for i, b := range ind.Bands {
		if !isBandColour(b.Band) {
			add("band %d: unknown colour %q (want red, amber or green)", i+1, b.Band)
		}
		for _, lim := range []*float64{b.LT, b.LTE, b.GT, b.GTE} {
			if lim != nil && !isFinite(*lim) {
				add("band %d: limits must be finite", i+1)
			}
		}
		last := i == len(ind.Bands)-1
		if last && !b.unconditional() {
			add("band %d: the last band must have no condition, so that every value gets a colour", i+1)
		}
		if !last && b.unconditional() {
			add("band %d: only the last band may have no condition", i+1)
		}
	}

	for _, e := range ind.validateBandLabels() {
		add("%s", e)
	}

	switch ind.Aggregate {
	case AggregateMin, AggregateMax, AggregateSum, AggregateMean:
	default:
		add("aggregate must be min, max, sum or mean, got %q", ind.Aggregate)
	}
	return errs
}

// validate checks a condition against the template's items and kinds of place.
func (c *Condition) validate(scope string, items map[string]*Item, kinds []string) []*RuleError {
	var errs []*RuleError
	add := func(format string, args ...any) {
		errs = append(errs, &RuleError{Detail: fmt.Sprintf(format, args...)})
	}
	addc := func(code, format string, args ...any) { errs = append(errs, rule(code, format, args...)) }
	if len(c.KindIn) > 0 && scope != ScopeLocation {
		add("when kind_in applies only to location indicators")
	}
	offered := false
	for _, k := range c.KindIn {
		if !contains(LocationKinds, k) {
			add("when kind_in refers to unknown kind %q", k)
		}
		offered = offered || contains(kinds, k)
	}
	if len(c.KindIn) > 0 && !offered {
		addc("indicator_kinds_none", "when kind_in names no kind the template offers, so the indicator never applies")
	}
	if c.Item == "" {
		if len(c.KindIn) == 0 {
			add("when needs an item or kind_in")
		}
		if len(c.In) > 0 || len(c.NotIn) > 0 || c.GTE != nil {
			add("when in, not_in and gte need an item")
		}
		return errs
	}
	it, ok := items[c.Item]
	switch {
	case !ok:
		add("when refers to unknown item %q", c.Item)
	case it.Scope != scope:
		addc("indicator_input_scope", "when refers to item %q of scope %s, not %s", c.Item, it.Scope, scope)
	case c.GTE != nil:
		if !it.Numeric() {
			addc("indicator_input_not_number", "when gte refers to item %q of type %s, not a number", c.Item, it.Type)
		}
		if len(c.In) > 0 || len(c.NotIn) > 0 {
			add("when takes gte or in/not_in, not both")
		}
		if !isFinite(*c.GTE) {
			add("when gte must be finite")
		}
	case it.Type != TypeChoice:
		addc("indicator_input_not_choice", "when refers to item %q of type %s, not a choice", c.Item, it.Type)
	case (len(c.In) > 0) == (len(c.NotIn) > 0):
		add("when needs exactly one of in and not_in")
	default:
		for _, id := range append(append([]string(nil), c.In...), c.NotIn...) {
			if _, ok := it.Option(id); !ok {
				addc("indicator_option_unknown", "when refers to unknown option %q of item %q", id, c.Item)
			}
		}
	}
	return errs
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validateBandLabels checks that every red or amber band the indicator can
// give has a label in every language, and that no label is for a band it
// cannot give.
func (ind *Indicator) validateBandLabels() []string {
	var errs []string
	gives := map[string]bool{}
	for _, b := range ind.Bands {
		gives[b.Band] = true
	}
	if ind.ZeroDenominatorBand != "" {
		gives[ind.ZeroDenominatorBand] = true
	}
	for _, colour := range []string{BandRed, BandAmber} {
		if gives[colour] && ind.BandLabels[colour] == nil {
			errs = append(errs, fmt.Sprintf("band %s has no band_labels entry", colour))
		}
	}
	colours := make([]string, 0, len(ind.BandLabels))
	for colour := range ind.BandLabels {
		colours = append(colours, colour)
	}
	sort.Strings(colours)
	for _, colour := range colours {
		if !gives[colour] || colour == BandGreen {
			errs = append(errs, fmt.Sprintf("band_labels: %q is not a red or amber band of this indicator", colour))
			continue
		}
		errs = append(errs, checkText(ind.BandLabels[colour], "band_labels."+colour)...)
	}
	return errs
}
