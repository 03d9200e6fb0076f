// Package report builds Inspecta's consolidated reports — the facility
// condition report and the regional summary as PDF (A4, DejaVu fonts
// embedded), and CSV exports — from consolidated values only. It is the only
// package that imports gofpdf.
//
// What a report never contains (OPCAT Art. 21(2)): confidential notes (never
// read), observation notes and text the template marks personal unless a
// coordinator cleared them for publication (the store does not even read
// them), and counts of fewer than three persons, which are printed as "fewer
// than 3" while the raw number still feeds the indicators.
package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"inspecta/schema"
	"inspecta/store"
)

// Errors of bad input, with messages fit to show a person.
var (
	ErrUnknownFacility = errors.New("no facility with that id")
	ErrUnknownRegion   = errors.New("unknown region: use an ISO 3166-2:KZ code such as KZ-KAR")
)

// Request is what a report is asked for: its language and period, who asks
// and when. From and To are dates (inclusive) in Kazakhstan time; a zero
// bound is open.
type Request struct {
	Lang        string
	From, To    time.Time
	GeneratedBy string
	Now         time.Time
}

// ParseLanguage checks a report language code (ru, kk or en).
func ParseLanguage(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages {
		if s == l {
			return s, nil
		}
	}
	return "", fmt.Errorf("unsupported language %q: use ru, kk or en", s)
}

// ParseDate reads a date written YYYY-MM-DD; "" gives the zero time (an open bound).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, kzTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, for example 2024-03-31", s)
	}
	return d, nil
}

// Validate checks the request's language and period.
func (r *Request) Validate() error {
	lang, err := ParseLanguage(r.Lang)
	if err != nil {
		return err
	}
	r.Lang = lang
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return errors.New("the period ends before it starts: --to must not be earlier than --from")
	}
	if r.Now.IsZero() {
		r.Now = time.Now()
	}
	return nil
}

// period is the request's dates as the store's half-open interval.
func (r Request) period() store.ReportPeriod {
	var p store.ReportPeriod
	if !r.From.IsZero() {
		p.From = dayStart(r.From)
	}
	if !r.To.IsZero() {
		p.To = dayStart(r.To).AddDate(0, 0, 1)
	}
	return p
}

func dayStart(d time.Time) time.Time {
	d = d.In(kzTime)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, kzTime)
}

// periodText describes the period in words.
func (r Request) periodText() string {
	switch {
	case r.From.IsZero() && r.To.IsZero():
		return t(r.Lang, "period.all")
	case r.To.IsZero():
		return tf(r.Lang, "period.from", formatDate(r.Lang, r.From))
	case r.From.IsZero():
		return tf(r.Lang, "period.to", formatDate(r.Lang, r.To))
	}
	return formatDate(r.Lang, r.From) + " – " + formatDate(r.Lang, r.To)
}

// Builder reads report data from the store and evaluates the indicators.
type Builder struct {
	DB        *store.DB
	Templates []*schema.Template // the first is the default
}

// NewBuilder returns a builder over db with the checklist templates; the
// first template is the default for a visit that names an unknown one.
func NewBuilder(db *store.DB, templates []*schema.Template) *Builder {
	return &Builder{DB: db, Templates: templates}
}

func (b *Builder) resolver() store.TemplateResolver {
	byRef := map[string]*schema.Template{}
	for _, t := range b.Templates {
		byRef[t.Ref()] = t
		if old, ok := byRef[t.ID]; !ok || old.Version < t.Version {
			byRef[t.ID] = t
		}
	}
	return func(ref string) *schema.Template {
		if t, ok := byRef[ref]; ok {
			return t
		}
		return b.Templates[0]
	}
}

// Facility builds the report of one facility. It returns ErrUnknownFacility
// when there is no live facility with that id, and a language or period error
// for a bad request. A period with no visit is not an error: the report says so.
func (b *Builder) Facility(ctx context.Context, id string, req Request) (*FacilityReport, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var data *store.FacilityReportData
	err := b.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		data, err = tx.FacilityReportData(id, req.period(), b.resolver())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownFacility
	}
	if err != nil {
		return nil, fmt.Errorf("read facility report data: %w", err)
	}
	return buildFacility(data, req, b.resolver()), nil
}

// FacilityReport is the model of a facility condition report.
type FacilityReport struct {
	Req        Request
	Facility   *store.Facility
	RegionName string
	Visits     []*VisitModel // oldest first
	// DraftVisits counts the drafts in the period that were left out.
	DraftVisits     int
	Recommendations []*store.ReportRecommendation
	// Summary is one line per indicator applicable at any visit, worst first.
	Summary []*SummaryLine
	// Sources are the standards cited, numbered from 1 in order of first use.
	Sources []*Source

	visitStarted map[string]time.Time
	sourceByInd  map[string]*Source
}

// VisitModel is one visit with its consolidated values and indicators.
type VisitModel struct {
	*store.ReportVisit
	Template   *schema.Template
	Values     map[string]*store.ReportValue // visit-level items, by item id
	Indicators []schema.IndicatorResult      // visit-scope indicators
	Locations  []*LocationModel
	// Aggregates are the facility-wide indicators of the visit: visit-scope
	// ones as evaluated, location-scope ones combined over the locations with
	// the indicator's aggregate. In template order.
	Aggregates []*Aggregate
	Unresolved int // items left unresolved at this visit
}

// LocationModel is one location of a visit.
type LocationModel struct {
	*store.ReportLocation
	Values     map[string]*store.ReportValue // by item id
	Indicators []schema.IndicatorResult
}

// Aggregate is one indicator for a whole visit.
type Aggregate struct {
	Indicator *schema.Indicator
	// Value is nil when no location gave a value (or only zero-denominator
	// findings, such as no working toilet).
	Value      *float64
	Band       string // the worst of the aggregated value's band and any zero-denominator band
	Applicable bool
	// For location-scope indicators: how many locations it applied to, and
	// the labels of those in each band.
	Locations int
	ByBand    map[string][]string
	// Withheld is set when the value came from a location holding fewer than
	// three persons, where printing it would give the count away (for space
	// per person, beside that location's floor area): Value is then nil and
	// only the band is shown.
	Withheld bool
}

// SummaryLine is one indicator across the visits of the period.
type SummaryLine struct {
	Indicator *schema.Indicator
	PerVisit  []*Aggregate // aligned with FacilityReport.Visits; nil where it does not apply
	Latest    *Aggregate   // at the latest visit where it applies
	Source    *Source
}

// Source is one standard cited, numbered for the footnotes and the annex.
type Source struct {
	N          int
	Text       schema.Text
	Indicators []*schema.Indicator
}

// ShortText is the citation without its explanation: the text up to the first
// ": " (the template writes "Document, paragraph: what it requires").
func (s *Source) ShortText(lang string) string {
	full := s.Text.In(lang)
	if i := strings.Index(full, ": "); i > 0 {
		return full[:i]
	}
	return full
}

func bandRank(b string) int {
	switch b {
	case schema.BandRed:
		return 4
	case schema.BandAmber:
		return 3
	case schema.BandContext:
		return 2
	case schema.BandGreen:
		return 1
	}
	return 0
}

func worseBand(a, b string) string {
	if bandRank(b) > bandRank(a) {
		return b
	}
	return a
}

// bandOf judges a value against the indicator's bands as Evaluate does.
func bandOf(ind *schema.Indicator, v float64) string {
	if ind.Verify {
		return schema.BandContext
	}
	for _, b := range ind.Bands {
		if b.Matches(v) {
			return b.Band
		}
	}
	return ""
}

func buildFacility(data *store.FacilityReportData, req Request, resolve store.TemplateResolver) *FacilityReport {
	r := &FacilityReport{Req: req, Facility: data.Facility, DraftVisits: data.DraftVisits,
		Recommendations: data.Recommendations, visitStarted: data.VisitStarted, sourceByInd: map[string]*Source{}}
	r.RegionName = data.Facility.Region
	if reg, ok := schema.RegionByCode(data.Facility.Region); ok {
		r.RegionName = reg.Name.In(req.Lang)
	}
	for _, v := range data.Visits {
		r.Visits = append(r.Visits, buildVisit(v, resolve(v.Checklist), data.Locations[v.ID], data.Values[v.ID]))
	}
	r.buildSummary()
	return r
}

func buildVisit(v *store.ReportVisit, tmpl *schema.Template, locs []*store.ReportLocation, vals []*store.ReportValue) *VisitModel {
	vm := &VisitModel{ReportVisit: v, Template: tmpl, Values: map[string]*store.ReportValue{}}
	byLoc := map[string]map[string]*store.ReportValue{}
	for _, val := range vals {
		if val.Source == store.ValueUnresolved {
			vm.Unresolved++
		}
		if val.LocationID == "" {
			vm.Values[val.Item] = val
			continue
		}
		if byLoc[val.LocationID] == nil {
			byLoc[val.LocationID] = map[string]*store.ReportValue{}
		}
		byLoc[val.LocationID][val.Item] = val
	}
	vm.Indicators = tmpl.Evaluate(schema.ScopeVisit, inputs(vm.Values))
	for _, l := range locs {
		lm := &LocationModel{ReportLocation: l, Values: byLoc[l.ID]}
		if lm.Values == nil {
			lm.Values = map[string]*store.ReportValue{}
		}
		lm.Indicators = tmpl.Evaluate(schema.ScopeLocation, inputs(lm.Values))
		vm.Locations = append(vm.Locations, lm)
	}
	for i := range tmpl.Indicators {
		ind := &tmpl.Indicators[i]
		agg := &Aggregate{Indicator: ind, ByBand: map[string][]string{}}
		if ind.Scope == schema.ScopeVisit {
			for _, res := range vm.Indicators {
				if res.ID == ind.ID && res.Applicable {
					agg.Applicable, agg.Value, agg.Band = true, res.Value, res.Band
				}
			}
		} else {
			var vs, small []float64
			zeroBand := ""
			for _, lm := range vm.Locations {
				for _, res := range lm.Indicators {
					if res.ID != ind.ID || !res.Applicable {
						continue
					}
					agg.Locations++
					agg.ByBand[res.Band] = append(agg.ByBand[res.Band], lm.Label)
					if res.Value != nil {
						vs = append(vs, *res.Value)
						if revealsSmallCount(tmpl, ind, lm.Values) || revealsSmallDenominator(tmpl, ind, lm.Values) {
							small = append(small, *res.Value)
						}
					} else {
						zeroBand = worseBand(zeroBand, res.Band)
					}
				}
			}
			agg.Applicable = agg.Locations > 0
			if v, ok := schema.Aggregate(ind.Aggregate, vs); ok {
				agg.Value = &v
				agg.Band = bandOf(ind, v)
				// A minimum or maximum that is one small location's own value
				// would print it; a sum or mean of several does not.
				if (ind.Aggregate == schema.AggregateMin || ind.Aggregate == schema.AggregateMax) && slices.Contains(small, v) {
					agg.Value, agg.Withheld = nil, true
				}
			}
			agg.Band = worseBand(agg.Band, zeroBand)
		}
		vm.Aggregates = append(vm.Aggregates, agg)
	}
	return vm
}

// inputs are the consolidated values an indicator may read: unresolved and
// withheld items count as unanswered.
func inputs(vals map[string]*store.ReportValue) map[string]any {
	out := make(map[string]any, len(vals))
	for id, v := range vals {
		if v.Value != nil {
			out[id] = v.Value
		}
	}
	return out
}

// buildSummary lines up each indicator across the visits, numbers the
// sources in order of first use and sorts the lines worst first.
func (r *FacilityReport) buildSummary() {
	byID := map[string]*SummaryLine{}
	var order []string
	for vi, vm := range r.Visits {
		for _, agg := range vm.Aggregates {
			if !agg.Applicable {
				continue
			}
			id := agg.Indicator.ID
			line := byID[id]
			if line == nil {
				line = &SummaryLine{Indicator: agg.Indicator, PerVisit: make([]*Aggregate, len(r.Visits))}
				byID[id] = line
				order = append(order, id)
			}
			line.PerVisit[vi] = agg
			line.Latest = agg
		}
	}
	for _, id := range order {
		r.Summary = append(r.Summary, byID[id])
	}
	latestIndex := func(l *SummaryLine) int {
		for i := len(l.PerVisit) - 1; i >= 0; i-- {
			if l.PerVisit[i] != nil {
				return i
			}
		}
		return -1
	}
	sort.SliceStable(r.Summary, func(i, j int) bool {
		a, b := r.Summary[i], r.Summary[j]
		// The latest visit's picture first, then the worst band, then the
		// share of locations in red.
		if ai, bi := latestIndex(a), latestIndex(b); ai != bi {
			return ai > bi
		}
		if ra, rb := bandRank(a.Latest.Band), bandRank(b.Latest.Band); ra != rb {
			return ra > rb
		}
		return redShare(a.Latest) > redShare(b.Latest)
	})
	// Number the sources in the order the summary cites them.
	for _, line := range r.Summary {
		line.Source = r.source(line.Indicator)
	}
}

func redShare(a *Aggregate) float64 {
	if a.Locations == 0 {
		return 0
	}
	return float64(len(a.ByBand[schema.BandRed])) / float64(a.Locations)
}

// source returns the numbered source of an indicator, numbering it on first use.
// Indicators that cite the same text share one number.
func (r *FacilityReport) source(ind *schema.Indicator) *Source {
	if ind.Source == nil {
		return nil
	}
	if s, ok := r.sourceByInd[ind.ID]; ok {
		return s
	}
	for _, s := range r.Sources {
		if s.Text.In("en") == ind.Source.In("en") {
			s.Indicators = append(s.Indicators, ind)
			r.sourceByInd[ind.ID] = s
			return s
		}
	}
	s := &Source{N: len(r.Sources) + 1, Text: ind.Source, Indicators: []*schema.Indicator{ind}}
	r.Sources = append(r.Sources, s)
	r.sourceByInd[ind.ID] = s
	return s
}

// Latest returns the latest visit of the report, or nil.
func (r *FacilityReport) Latest() *VisitModel {
	if len(r.Visits) == 0 {
		return nil
	}
	return r.Visits[len(r.Visits)-1]
}

// ---------------------------------------------------------------- values in words

// personsUnit is the unit of items that count persons: a count below 3 could
// point at one person, so it is never printed.
const personsUnit = "persons"

// smallCount reports whether v is a count of persons too small to print.
// The size of the NPM's own team is not a count of the persons held, and the
// reports show it (STANDARDS.md, "The visit"), so it is exempt.
func smallCount(it *schema.Item, v any) bool {
	if it == nil || it.Unit != personsUnit || it.ID == "team_size" {
		return false
	}
	switch x := v.(type) {
	case int64:
		return x < 3
	case float64:
		return x < 3
	}
	return false
}

// valueText prints one value of an item in lang: numbers with their unit,
// yes/no, the option's label, a date and time, a text; a count of fewer than
// three persons as "fewer than 3".
func valueText(lang string, it *schema.Item, v any) string {
	if v == nil {
		return "—"
	}
	if smallCount(it, v) {
		return t(lang, "fewer.than.3")
	}
	unit := ""
	if it != nil && it.UnitLabel != nil {
		unit = " " + it.UnitLabel.In(lang)
	}
	switch x := v.(type) {
	case float64:
		return formatNumber(lang, x) + unit
	case int64:
		return formatNumber(lang, float64(x)) + unit
	case bool:
		if x {
			return t(lang, "yes")
		}
		return t(lang, "no")
	case string:
		if it != nil && it.Type == schema.TypeChoice {
			if o, ok := it.Option(x); ok {
				return o.Label.In(lang)
			}
		}
		if it != nil && it.Type == schema.TypeDateTime {
			if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return formatDate(lang, tm) + " " + tm.In(kzTime).Format("15:04")
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

// indicatorValueText prints an indicator's value with its unit.
func indicatorValueText(lang string, ind *schema.Indicator, v *float64) string {
	if v == nil {
		return "—"
	}
	s := formatNumber(lang, *v)
	if ind.UnitLabel != nil {
		s += " " + ind.UnitLabel.In(lang)
	}
	return s
}

// standardText prints an indicator's threshold: "≥ 4 m²/person".
func standardText(lang string, ind *schema.Indicator) string {
	if ind.Threshold == nil {
		return "—"
	}
	s := comparisonSign(ind.Comparison) + " " + formatNumber(lang, *ind.Threshold)
	if ind.UnitLabel != nil {
		s += " " + ind.UnitLabel.In(lang)
	}
	if ind.Verify {
		s += " (" + t(lang, "standard.unverified") + ")"
	}
	return s
}

// bandText is a band in words.
func bandText(lang, band string) string {
	if band == "" {
		return t(lang, "band.na")
	}
	return t(lang, "band."+band)
}

// aggregateText is an aggregate's value in words: the value, or why there is none.
func aggregateText(lang string, a *Aggregate) string {
	if a == nil || !a.Applicable {
		return "—"
	}
	if a.Withheld {
		return t(lang, "withheld.small.count")
	}
	if a.Value == nil {
		return t(lang, "no.toilet")
	}
	return indicatorValueText(lang, a.Indicator, a.Value)
}

// findingSentence is a yes/no or choice answer as a sentence, and whether it
// is a problem in itself. ok is false for items that are not findings.
func findingSentence(lang string, it *schema.Item, v any) (text string, adverse bool, ok bool) {
	switch it.Type {
	case schema.TypeYesNo:
		b, isBool := v.(bool)
		if !isBool {
			return "", false, false
		}
		if s, known := yesNoSentences[it.ID]; known {
			m := s.no
			if b {
				m = s.yes
			}
			return m.in(lang), s.adverse != nil && *s.adverse == b, true
		}
		return it.Label.In(lang) + ": " + valueText(lang, it, v) + ".", false, true
	case schema.TypeChoice:
		id, isString := v.(string)
		if !isString {
			return "", false, false
		}
		for _, bad := range adverseOptions[it.ID] {
			adverse = adverse || bad == id
		}
		return strings.TrimRight(it.Label.In(lang), ".?") + ": " + valueText(lang, it, v) + ".", adverse, true
	}
	return "", false, false
}

// KeyFinding is one adverse answer at a visit with the locations it was found in.
type KeyFinding struct {
	Text      string
	Locations []string // empty for a visit-level item
}

// keyFindings lists the adverse yes/no and choice answers of a visit in
// template order, each with the locations where it was recorded.
func keyFindings(lang string, vm *VisitModel) []KeyFinding {
	var out []KeyFinding
	for i := range vm.Template.Items {
		it := &vm.Template.Items[i]
		if it.Type != schema.TypeYesNo && it.Type != schema.TypeChoice {
			continue
		}
		if it.Scope == schema.ScopeVisit {
			if v := vm.Values[it.ID]; v != nil {
				if s, adverse, ok := findingSentence(lang, it, v.Value); ok && adverse {
					out = append(out, KeyFinding{Text: s})
				}
			}
			continue
		}
		byText := map[string]int{}
		for _, lm := range vm.Locations {
			v := lm.Values[it.ID]
			if v == nil {
				continue
			}
			s, adverse, ok := findingSentence(lang, it, v.Value)
			if !ok || !adverse {
				continue
			}
			if k, seen := byText[s]; seen {
				out[k].Locations = append(out[k].Locations, lm.Label)
				continue
			}
			byText[s] = len(out)
			out = append(out, KeyFinding{Text: s, Locations: []string{lm.Label}})
		}
	}
	return out
}

// AggregateText is a facility-wide indicator's value in words, as the PDF prints it.
func AggregateText(lang string, a *Aggregate) string { return aggregateText(lang, a) }

// BandText is a band in words in lang ("Red", "Красный", "Қызыл"…).
func BandText(lang, band string) string { return bandText(lang, band) }

// RecommendationStatusText is a recommendation status in words in lang.
func RecommendationStatusText(lang, status string) string {
	return word(recommendationStatuses, status, lang)
}

// revealsSmallCount reports whether an indicator's value of one location
// would print a count of fewer than three persons: a ratio whose numerator
// counts persons (persons per toilet with one toilet is the count itself).
func revealsSmallCount(tmpl *schema.Template, ind *schema.Indicator, vals map[string]*store.ReportValue) bool {
	return smallRatioTerm(tmpl, ind, vals, ind.Formula.Num)
}

// revealsSmallDenominator reports whether an indicator's value of one location
// divides by a count of fewer than three persons: printed beside the measure
// it divides (space per person beside the floor area), it would give the count away.
func revealsSmallDenominator(tmpl *schema.Template, ind *schema.Indicator, vals map[string]*store.ReportValue) bool {
	return smallRatioTerm(tmpl, ind, vals, ind.Formula.Den)
}

func smallRatioTerm(tmpl *schema.Template, ind *schema.Indicator, vals map[string]*store.ReportValue, item string) bool {
	if ind == nil || ind.Formula.Op != schema.OpRatio {
		return false
	}
	it, ok := tmpl.Item(item)
	if !ok {
		return false
	}
	v := vals[item]
	return v != nil && smallCount(it, v.Value)
}

// locationIndicatorText is a location's indicator value in words, with a
// count of fewer than three persons kept out of it.
func locationIndicatorText(lang string, tmpl *schema.Template, ind *schema.Indicator, res schema.IndicatorResult, vals map[string]*store.ReportValue) string {
	if res.Value == nil {
		return t(lang, "no.toilet")
	}
	if revealsSmallCount(tmpl, ind, vals) {
		s := t(lang, "fewer.than.3")
		if ind.UnitLabel != nil {
			s += " " + ind.UnitLabel.In(lang)
		}
		return s
	}
	if revealsSmallDenominator(tmpl, ind, vals) {
		return t(lang, "withheld.small.count") // the band is still shown
	}
	return indicatorValueText(lang, ind, res.Value)
}
