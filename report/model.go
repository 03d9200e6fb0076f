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
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"inspecta/review"
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
	// IncludeUnapproved is the confirmation that visits not yet approved by
	// the coordinator may be exported; the report then marks them
	// provisional. Without it such a period gives an *UnapprovedError.
	IncludeUnapproved bool
	// Detail is DetailSummary (per-location tables for the latest visit only,
	// a one-page summary of each earlier one) or DetailAll (every location of
	// every visit).
	Detail string
	// Org heads the report; the Builder reads it from the store when nil.
	Org *store.Org
}

// Report detail levels.
const (
	DetailSummary = "summary"
	DetailAll     = "all"
)

// ParseDetail checks a detail level; "" is the summary.
func ParseDetail(s string) (string, error) {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "", DetailSummary:
		return DetailSummary, nil
	case DetailAll:
		return DetailAll, nil
	}
	return "", fmt.Errorf("unknown detail %q: use summary or all", s)
}

// ErrUnapproved is what an *UnapprovedError is (errors.Is).
var ErrUnapproved = errors.New("visits not yet approved")

// UnapprovedError asks for confirmation: the period holds visits that the
// coordinator has not approved yet.
type UnapprovedError struct{ Visits int }

func (e *UnapprovedError) Error() string {
	return fmt.Sprintf("%d visit(s) in the period are not yet approved by the coordinator; "+
		"confirm to export them, marked provisional (--include-unapproved, or unapproved=1 over HTTP)", e.Visits)
}

// Is makes errors.Is(err, ErrUnapproved) hold.
func (e *UnapprovedError) Is(target error) bool { return target == ErrUnapproved }

// Unapproved counts the visits of the report not yet approved.
func (r *FacilityReport) Unapproved() int {
	n := 0
	for _, vm := range r.Visits {
		if vm.Status != "approved" {
			n++
		}
	}
	return n
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
	if r.Detail, err = ParseDetail(r.Detail); err != nil {
		return err
	}
	return nil
}

// period is the request's dates as the store's half-open interval, the days
// read in loc (the facility's region's zone).
func (r Request) period(loc *time.Location) store.ReportPeriod {
	var p store.ReportPeriod
	if !r.From.IsZero() {
		p.From = dayStart(r.From, loc)
	}
	if !r.To.IsZero() {
		p.To = dayStart(r.To, loc).AddDate(0, 0, 1)
	}
	return p
}

// dayStart is the start of d's calendar day (as ParseDate read it) in loc.
func dayStart(d time.Time, loc *time.Location) time.Time {
	d = d.In(kzTime)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zoneOr(loc))
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

// Builder reads report data from the store and evaluates the indicators. Each
// visit is reported with the checklist version it was recorded with.
type Builder struct {
	DB *store.DB
}

// NewBuilder returns a builder over db.
func NewBuilder(db *store.DB) *Builder {
	return &Builder{DB: db}
}

// resolver returns each visit's checklist version from the database's
// catalog; a reference the catalog does not know gives the default checklist.
func (b *Builder) resolver(ctx context.Context) (store.TemplateResolver, error) {
	cat, err := b.DB.Checklists(ctx)
	if err != nil {
		return nil, fmt.Errorf("report checklists: %w", err)
	}
	return func(ref string) *schema.Template {
		if t := cat.Template(ref); t != nil {
			return t
		}
		return cat.Default()
	}, nil
}

// Facility builds the report of one facility. It returns ErrUnknownFacility
// when there is no live facility with that id, and a language or period error
// for a bad request. A period with no visit is not an error: the report says so.
func (b *Builder) Facility(ctx context.Context, id string, req Request) (*FacilityReport, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := b.withOrg(ctx, &req); err != nil {
		return nil, err
	}
	resolve, err := b.resolver(ctx)
	if err != nil {
		return nil, err
	}
	var data *review.FacilityReportData
	err = b.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		f, err := tx.Facility(id)
		if err != nil {
			return err
		}
		data, err = review.ReadFacilityReport(tx, id, req.period(regionZone(f.Region)), resolve)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownFacility
	}
	if err != nil {
		return nil, fmt.Errorf("read facility report data: %w", err)
	}
	r := buildFacility(data, req, resolve)
	if n := r.Unapproved(); n > 0 && !req.IncludeUnapproved {
		return nil, &UnapprovedError{Visits: n}
	}
	r.attachPhotos(data.Photos, b.DB.Blobs())
	return r, nil
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

	// Zone is the time zone of the facility's region: every date and time of
	// the report is printed in the offset in force there on that date.
	Zone *time.Location

	visitStarted map[string]time.Time
}

// regionZone is the time zone of a region code (UTC+5 for an unknown one).
func regionZone(code string) *time.Location {
	if reg, ok := schema.RegionByCode(code); ok {
		return reg.Location()
	}
	return kzTime
}

// date prints a date of the facility in its zone.
func (r *FacilityReport) date(tm time.Time) string { return formatDateIn(r.Req.Lang, tm, r.Zone) }

// VisitModel is one visit with its consolidated values and indicators.
type VisitModel struct {
	*store.ReportVisit
	Template   *schema.Template
	Values     map[string]*review.ReportValue // visit-level items, by item id
	Indicators []schema.IndicatorResult       // visit-scope indicators, unresolved ones at their worst
	Open       map[string]*UnresolvedRange    // visit-scope indicators that read an unresolved item
	Hidden     map[string]bool                // visit-scope indicators that read a small sensitive count
	Locations  []*LocationModel
	Photos     []*PhotoModel // cleared photos of the visit as a whole
	// Aggregates are the facility-wide indicators of the visit: visit-scope
	// ones as evaluated, location-scope ones combined over the locations with
	// the indicator's aggregate. In template order.
	Aggregates []*Aggregate
	Unresolved int // items left unresolved at this visit
	// Access is the visit's obstruction and interview figures.
	Access *VisitAccess
}

// LocationModel is one location of a visit.
type LocationModel struct {
	*store.ReportLocation
	Values     map[string]*review.ReportValue // by item id
	Indicators []schema.IndicatorResult       // unresolved ones at their worst member value
	Open       map[string]*UnresolvedRange    // indicators that read an unresolved item
	Hidden     map[string]bool                // indicators that read a small sensitive count
	Photos     []*PhotoModel                  // cleared photos of the place
}

// PhotoModel is a photo a report prints: only those a coordinator cleared
// for publication (store.ReportPhoto), with the file's bytes.
type PhotoModel struct {
	*store.ReportPhoto
	Data []byte
}

// attachPhotos gives every visit and place its cleared photos, read from
// the blobs folder; a photo whose file cannot be read is left out.
func (r *FacilityReport) attachPhotos(photos map[string][]*store.ReportPhoto, blobs *store.Blobs) {
	for _, vm := range r.Visits {
		byLoc := map[string]*LocationModel{}
		for _, lm := range vm.Locations {
			byLoc[lm.ID] = lm
		}
		for _, p := range photos[vm.ID] {
			if blobs == nil || blobs.Verify(p.StoredSHA256) != "" {
				continue
			}
			data, err := os.ReadFile(blobs.Path(p.StoredSHA256))
			if err != nil {
				continue
			}
			pm := &PhotoModel{ReportPhoto: p, Data: data}
			if lm := byLoc[p.LocationID]; lm != nil {
				lm.Photos = append(lm.Photos, pm)
			} else if p.LocationID == "" {
				vm.Photos = append(vm.Photos, pm)
			}
		}
	}
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
	// Withheld is set when every location it applies to reads a sensitive
	// count of fewer than three persons: neither value nor band is shown.
	Withheld bool
	// Hidden counts the locations left out because their value would give a
	// sensitive count of fewer than three persons away.
	Hidden int
	// Unresolved are the places whose unresolved value gives Value (for a
	// minimum or maximum) or takes part in it (a sum or mean), each counted
	// at its worst member value; OtherUnresolved are unresolved places that
	// took part without deciding it.
	Unresolved      []UnresolvedPlace
	OtherUnresolved []string
}

// SummaryLine is one indicator across the visits of the period. Each visit
// is judged by its own checklist, and checklists for different kinds of
// place may give one indicator another label, standard and source: the line
// reads as the latest visit's, and a visit judged by another standard or
// source cites its own (Differs, VisitSources).
type SummaryLine struct {
	Indicator *schema.Indicator // the latest visit's
	PerVisit  []*Aggregate      // aligned with FacilityReport.Visits; nil where it does not apply
	Latest    *Aggregate        // at the latest visit where it applies
	Source    *Source           // the latest visit's indicator's source
	// VisitSources are the sources each visit's own indicator cites, aligned
	// with PerVisit (nil where it does not apply or cites none).
	VisitSources []*Source
}

// Differs reports whether visit i judged the indicator by a standard or a
// source other than the line's (the latest visit's).
func (l *SummaryLine) Differs(i int) bool {
	a := l.PerVisit[i]
	return a != nil && !sameStandard(a.Indicator, l.Indicator)
}

// sameStandard reports whether two indicators (of two checklists) state the
// same standard and cite the same source, in every report language.
func sameStandard(a, b *schema.Indicator) bool {
	if a == b {
		return true
	}
	for _, lang := range Languages {
		if standardText(lang, a) != standardText(lang, b) {
			return false
		}
	}
	return sameText(a.Source, b.Source)
}

// sameText reports whether two texts read the same in every report language.
func sameText(a, b schema.Text) bool {
	for _, lang := range Languages {
		if a.In(lang) != b.In(lang) {
			return false
		}
	}
	return true
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

func buildFacility(data *review.FacilityReportData, req Request, resolve store.TemplateResolver) *FacilityReport {
	r := &FacilityReport{Req: req, Facility: data.Facility.In(req.Lang), DraftVisits: data.DraftVisits,
		Recommendations: data.Recommendations, visitStarted: data.VisitStarted}
	if !req.IncludeUnapproved {
		// The same rule as the visits: what was recorded at a visit not yet
		// approved is printed only in a provisional report.
		r.Recommendations = store.ApprovedRecommendations(data.Recommendations)
	}
	r.RegionName = data.Facility.Region
	r.Zone = regionZone(data.Facility.Region)
	if reg, ok := schema.RegionByCode(data.Facility.Region); ok {
		r.RegionName = reg.Name.In(req.Lang)
	}
	for _, v := range data.Visits {
		vm := buildVisit(v, resolve(v.Checklist), data.Locations[v.ID], data.Values[v.ID])
		vm.Access = buildAccess(vm, data.Obstructions[v.ID], data.Interviews[v.ID])
		r.Visits = append(r.Visits, vm)
	}
	r.buildSummary()
	return r
}

func buildVisit(v *store.ReportVisit, tmpl *schema.Template, locs []*store.ReportLocation, vals []*review.ReportValue) *VisitModel {
	vm := &VisitModel{ReportVisit: v, Template: tmpl, Values: map[string]*review.ReportValue{}}
	byLoc := map[string]map[string]*review.ReportValue{}
	for _, val := range vals {
		if val.Source == review.ValueUnresolved {
			vm.Unresolved++
		}
		if val.LocationID == "" {
			vm.Values[val.Item] = val
			continue
		}
		if byLoc[val.LocationID] == nil {
			byLoc[val.LocationID] = map[string]*review.ReportValue{}
		}
		byLoc[val.LocationID][val.Item] = val
	}
	vm.Indicators, vm.Open, vm.Hidden = evaluateScope(tmpl, schema.ScopeVisit, "", vm.Values)
	for _, l := range locs {
		lm := &LocationModel{ReportLocation: l, Values: byLoc[l.ID]}
		if lm.Values == nil {
			lm.Values = map[string]*review.ReportValue{}
		}
		lm.Indicators, lm.Open, lm.Hidden = evaluateScope(tmpl, schema.ScopeLocation, l.Kind, lm.Values)
		vm.Locations = append(vm.Locations, lm)
	}
	for i := range tmpl.Indicators {
		ind := &tmpl.Indicators[i]
		agg := &Aggregate{Indicator: ind, ByBand: map[string][]string{}}
		if ind.Scope == schema.ScopeVisit {
			for _, res := range vm.Indicators {
				if res.ID != ind.ID {
					continue
				}
				if vm.Hidden[ind.ID] {
					agg.Applicable, agg.Withheld = true, true
					break
				}
				if res.Applicable {
					agg.Applicable, agg.Value, agg.Band = true, res.Value, res.Band
					if u := vm.Open[ind.ID]; u != nil {
						agg.Unresolved = []UnresolvedPlace{{Range: u}}
					}
				}
			}
		} else {
			aggregateLocations(agg, vm.Locations)
		}
		vm.Aggregates = append(vm.Aggregates, agg)
	}
	outOfSeason(vm)
	return vm
}

// inColdSeason reports whether a visit that started at t was made in the
// cold season, 1 October to 30 April (in Kazakhstan's time). A visit with no
// start time is not known to be.
func inColdSeason(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	m := t.In(kzTime).Month()
	return m >= time.October || m <= time.April
}

// outOfSeason shows the values of the visit's cold-season indicators
// (schema.SeasonCold) for comparison only when the visit was made outside
// the cold season: their standard does not hold then, so a summer reading
// neither meets nor misses it.
func outOfSeason(vm *VisitModel) {
	if inColdSeason(vm.Started) {
		return
	}
	for _, agg := range vm.Aggregates {
		ind := agg.Indicator
		if ind.Season != schema.SeasonCold {
			continue
		}
		if agg.Band != "" {
			agg.Band = schema.BandContext
		}
		var labels []string
		for _, band := range []string{schema.BandRed, schema.BandAmber, schema.BandGreen, schema.BandContext} {
			labels = append(labels, agg.ByBand[band]...)
			delete(agg.ByBand, band)
		}
		if len(labels) > 0 {
			agg.ByBand[schema.BandContext] = labels
		}
		results := vm.Indicators
		if ind.Scope == schema.ScopeLocation {
			for _, lm := range vm.Locations {
				contextBand(lm.Indicators, ind.ID)
			}
			continue
		}
		contextBand(results, ind.ID)
	}
}

// contextBand turns the band of indicator id among results to BandContext.
func contextBand(results []schema.IndicatorResult, id string) {
	for i := range results {
		if results[i].ID == id && results[i].Band != "" {
			results[i].Band = schema.BandContext
		}
	}
}

// aggregateLocations combines a location-scope indicator over the locations
// of a visit with the indicator's aggregate. A location whose value reads an
// unresolved item counts at its worst member value; a location whose value
// would give a sensitive small count away is left out of the value, the
// bands and the counts, so that nothing printed depends on it.
func aggregateLocations(agg *Aggregate, locs []*LocationModel) {
	ind := agg.Indicator
	var vs []float64
	zeroBand := ""
	type open struct {
		label string
		u     *UnresolvedRange
		value *float64
	}
	var opens []open
	for _, lm := range locs {
		for _, res := range lm.Indicators {
			if res.ID != ind.ID {
				continue
			}
			if lm.Hidden[ind.ID] {
				agg.Hidden++
				continue
			}
			if !res.Applicable {
				continue
			}
			agg.Locations++
			agg.ByBand[res.Band] = append(agg.ByBand[res.Band], lm.Label)
			if u := lm.Open[ind.ID]; u != nil {
				opens = append(opens, open{lm.Label, u, res.Value})
			}
			if res.Value != nil {
				vs = append(vs, *res.Value)
			} else {
				zeroBand = worseBand(zeroBand, res.Band)
				// Counted at "no working toilet", the place still gives the
				// figure the members' other values make worst.
				if u := lm.Open[ind.ID]; u != nil && u.Lo != nil {
					vs = append(vs, worstOf(ind, *u.Lo, *u.Hi))
				}
			}
		}
	}
	agg.Applicable = agg.Locations > 0 || agg.Hidden > 0
	if agg.Locations == 0 && agg.Hidden > 0 {
		agg.Withheld = true
		return
	}
	if v, ok := schema.Aggregate(ind.Aggregate, vs); ok {
		agg.Value = &v
		agg.Band = ind.Judge(v)
	}
	agg.Band = worseBand(agg.Band, zeroBand)
	for _, o := range opens {
		// A minimum or maximum names the unresolved places that give it; a
		// sum or mean is made of all of them.
		if (ind.Aggregate == schema.AggregateMin || ind.Aggregate == schema.AggregateMax) &&
			(agg.Value == nil || o.value == nil || *o.value != *agg.Value) {
			agg.OtherUnresolved = append(agg.OtherUnresolved, o.label)
			continue
		}
		agg.Unresolved = append(agg.Unresolved, UnresolvedPlace{Label: o.label, Range: o.u})
	}
}

// UnresolvedRange is what an indicator would be over the values the members
// recorded for an unresolved item it reads: from Lo to Hi (nil when no
// combination gives a value, as with no working toilet). The indicator is
// counted at the worst of them.
type UnresolvedRange struct {
	Lo, Hi *float64
	Items  []string // the unresolved items read, in template order
}

// UnresolvedPlace is a location (Label "" for the visit itself) whose
// unresolved value gives a facility-wide indicator.
type UnresolvedPlace struct {
	Label string
	Range *UnresolvedRange
}

// evaluateScope evaluates the indicators of one scope on its consolidated
// values. An indicator that reads an unresolved item is evaluated on every
// combination of the values the members recorded (a team has few members,
// so the combinations are few) and takes the worst result; open records its range. An
// indicator that reads a sensitive count of fewer than three persons is
// hidden: neither its value nor its band is printed or aggregated.
// kind is the location's kind (schema.KindKey), "" for the visit.
func evaluateScope(tmpl *schema.Template, scope, kind string, vals map[string]*review.ReportValue) ([]schema.IndicatorResult, map[string]*UnresolvedRange, map[string]bool) {
	base := inputs(vals)
	if kind != "" {
		base[schema.KindKey] = kind
	}
	choices := map[string][]any{}
	for id, v := range vals {
		if v.Source == review.ValueUnresolved && len(v.Candidates) > 0 {
			choices[id] = v.Candidates
		}
	}
	var results []schema.IndicatorResult
	open := map[string]*UnresolvedRange{}
	hidden := map[string]bool{}
	for i := range tmpl.Indicators {
		ind := &tmpl.Indicators[i]
		if ind.Scope != scope {
			continue
		}
		var items []string
		for _, id := range indicatorItems(tmpl, ind) {
			if _, ok := choices[id]; ok {
				items = append(items, id)
			}
		}
		if readsSmallSensitive(tmpl, ind, vals) && appliesWithoutSensitive(tmpl, ind, base, items, choices) {
			hidden[ind.ID] = true
		}
		if len(items) == 0 {
			results = append(results, ind.Evaluate(base))
			continue
		}
		res, u := evaluateAtWorst(ind, base, items, choices)
		results = append(results, res)
		if u != nil {
			open[ind.ID] = u
		}
	}
	return results, open, hidden
}

// indicatorItems are the items an indicator reads (its condition first), in
// template order.
func indicatorItems(tmpl *schema.Template, ind *schema.Indicator) []string {
	read := map[string]bool{ind.Formula.Item: true, ind.Formula.Num: true, ind.Formula.Den: true}
	if ind.When != nil {
		read[ind.When.Item] = true
	}
	var out []string
	for _, it := range tmpl.Items {
		if read[it.ID] {
			out = append(out, it.ID)
		}
	}
	return out
}

// evaluateAtWorst evaluates ind on every combination of the members' values
// of the unresolved items and returns the worst applicable result with the
// range of values; when no combination applies, the indicator does not.
func evaluateAtWorst(ind *schema.Indicator, base map[string]any, items []string, choices map[string][]any) (schema.IndicatorResult, *UnresolvedRange) {
	values := make(map[string]any, len(base)+len(items))
	for k, v := range base {
		values[k] = v
	}
	var worst *schema.IndicatorResult
	u := &UnresolvedRange{Items: items}
	var walk func(k int)
	walk = func(k int) {
		if k == len(items) {
			res := ind.Evaluate(values)
			if !res.Applicable {
				return
			}
			if res.Value != nil {
				v := *res.Value
				if u.Lo == nil || v < *u.Lo {
					u.Lo = &v
				}
				if u.Hi == nil || v > *u.Hi {
					u.Hi = &v
				}
			}
			if worst == nil || worseResult(ind, res, *worst) {
				worst = &res
			}
			return
		}
		for _, c := range choices[items[k]] {
			values[items[k]] = c
			walk(k + 1)
		}
	}
	walk(0)
	if worst == nil {
		return ind.Evaluate(base), nil
	}
	return *worst, u
}

// worstOf is the worse of two values of ind.
func worstOf(ind *schema.Indicator, a, b float64) float64 {
	switch ind.Comparison {
	case "lte", "lt":
		return math.Max(a, b)
	}
	return math.Min(a, b)
}

// worseResult reports whether a is worse than b: a worse band, or in the same
// band a value further on the wrong side of the standard (no value, as with
// no working toilet, is the worst of its band).
func worseResult(ind *schema.Indicator, a, b schema.IndicatorResult) bool {
	if ra, rb := bandRank(a.Band), bandRank(b.Band); ra != rb {
		return ra > rb
	}
	switch {
	case b.Value == nil:
		return false
	case a.Value == nil:
		return true
	}
	switch ind.Comparison {
	case "gte", "gt":
		return *a.Value < *b.Value
	case "lte", "lt":
		return *a.Value > *b.Value
	}
	return false
}

// appliesWithoutSensitive reports whether ind applies whatever the small
// sensitive counts it reads: they are set to 3, so that whether a row is
// printed never depends on them (a count of 0 as a denominator would
// otherwise drop the row and give the count away).
func appliesWithoutSensitive(tmpl *schema.Template, ind *schema.Indicator, base map[string]any, items []string, choices map[string][]any) bool {
	values := make(map[string]any, len(base))
	for k, v := range base {
		values[k] = v
	}
	for _, id := range indicatorItems(tmpl, ind) {
		if it, ok := tmpl.Item(id); ok && it.Sensitive {
			if _, answered := values[id]; answered {
				values[id] = int64(3)
			}
		}
	}
	res, _ := evaluateAtWorst(ind, values, items, choices)
	return res.Applicable
}

// readsSmallSensitive reports whether an indicator reads a sensitive count of
// fewer than three persons (as recorded, or as any member recorded it).
func readsSmallSensitive(tmpl *schema.Template, ind *schema.Indicator, vals map[string]*review.ReportValue) bool {
	for _, id := range indicatorItems(tmpl, ind) {
		it, ok := tmpl.Item(id)
		if !ok || !it.Sensitive {
			continue
		}
		v := vals[id]
		if v == nil {
			continue
		}
		if smallCount(it, v.Value) {
			return true
		}
		for _, c := range v.Candidates {
			if smallCount(it, c) {
				return true
			}
		}
	}
	return false
}

// inputs are the consolidated values an indicator may read: unresolved and
// withheld items count as unanswered.
func inputs(vals map[string]*review.ReportValue) map[string]any {
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
				line = &SummaryLine{PerVisit: make([]*Aggregate, len(r.Visits)), VisitSources: make([]*Source, len(r.Visits))}
				byID[id] = line
				order = append(order, id)
			}
			line.PerVisit[vi] = agg
			line.Latest = agg
			line.Indicator = agg.Indicator // visits are oldest first: the latest's wins
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
	// Number the sources in the order the summary cites them: the line's
	// own, then each visit's where its checklist cites another.
	for _, line := range r.Summary {
		line.Source = r.source(line.Indicator)
		for vi, a := range line.PerVisit {
			if a != nil {
				line.VisitSources[vi] = r.source(a.Indicator)
			}
		}
	}
}

func redShare(a *Aggregate) float64 {
	if a.Locations == 0 {
		return 0
	}
	return float64(len(a.ByBand[schema.BandRed])) / float64(a.Locations)
}

// source returns the numbered source an indicator cites, numbering it on
// first use.
func (r *FacilityReport) source(ind *schema.Indicator) *Source {
	return citeSource(&r.Sources, ind)
}

// citeSource returns the source in sources that ind cites, appending it,
// numbered, on first use. Sources are told apart by their text, never by the
// indicator's id: checklists for different kinds of place give one
// indicator different sources, and each visit cites its own checklist's.
// Indicators that cite the same text share one number.
func citeSource(sources *[]*Source, ind *schema.Indicator) *Source {
	if ind == nil || ind.Source == nil {
		return nil
	}
	for _, s := range *sources {
		if !sameText(s.Text, ind.Source) {
			continue
		}
		for _, have := range s.Indicators {
			if have.ID == ind.ID && sameText(have.Label, ind.Label) {
				return s
			}
		}
		s.Indicators = append(s.Indicators, ind)
		return s
	}
	s := &Source{N: len(*sources) + 1, Text: ind.Source, Indicators: []*schema.Indicator{ind}}
	*sources = append(*sources, s)
	return s
}

// UnresolvedValues counts the values left unresolved at the visits of the report.
func (r *FacilityReport) UnresolvedValues() int {
	n := 0
	for _, vm := range r.Visits {
		n += vm.Unresolved
	}
	return n
}

// Latest returns the latest visit of the report, or nil.
func (r *FacilityReport) Latest() *VisitModel {
	if len(r.Visits) == 0 {
		return nil
	}
	return r.Visits[len(r.Visits)-1]
}

// ---------------------------------------------------------------- values in words

// smallCount reports whether v is a count of persons with a sensitive
// attribute (the template marks the item sensitive) too small to print: a
// count below 3 could point at one person. The number of persons in a place
// is not sensitive and is always printed.
func smallCount(it *schema.Item, v any) bool {
	if it == nil || !it.Sensitive {
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
func valueText(lang string, loc *time.Location, it *schema.Item, v any) string {
	if v == nil {
		return "—"
	}
	if smallCount(it, v) {
		return t(lang, "fewer.than.3")
	}
	unit := func(f float64) string {
		if it == nil || it.UnitLabel == nil {
			return ""
		}
		return " " + unitText(lang, it.UnitLabel, roundShown(f))
	}
	switch x := v.(type) {
	case []string: // a multiple choice: the chosen options' labels
		labels := make([]string, len(x))
		for i, id := range x {
			labels[i] = id
			if it != nil {
				if o, ok := it.Option(id); ok {
					labels[i] = o.Label.In(lang)
				}
			}
		}
		if len(labels) == 0 {
			return "—"
		}
		return strings.Join(labels, ", ")
	case float64:
		return formatNumber(lang, x) + unit(x)
	case int64:
		return formatNumber(lang, float64(x)) + unit(float64(x))
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
				return formatDateTimeIn(lang, tm, loc)
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
	if ind.Formula.Op == schema.OpChoice && (*v == 0 || *v == 1) {
		return yesNo(lang, *v == 1) // the score of a yes-or-no standard ("toilet fully partitioned")
	}
	s := formatNumber(lang, *v)
	if ind.UnitLabel != nil {
		s += " " + unitText(lang, ind.UnitLabel, roundShown(*v))
	}
	return s
}

// roundShown is v as formatNumber prints it, so that the unit agrees with
// the printed number (0.995 prints as 1).
func roundShown(v float64) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(formatNumber("en", v), "\u00a0", ""), ",", ""), 64)
	if err != nil {
		return v
	}
	return f
}

// standardText prints an indicator's threshold: "≥ 4 m²/person".
func standardText(lang string, ind *schema.Indicator) string {
	if ind.Threshold == nil {
		return "—"
	}
	s := comparisonSign(ind.Comparison) + " " + formatNumber(lang, *ind.Threshold)
	if ind.UnitLabel != nil {
		s += " " + unitText(lang, ind.UnitLabel, *ind.Threshold)
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

// bandLabel is what a red or amber band of ind means in words ("above
// capacity", "below the CPT minimum of 4 m² per person"), so that no reader
// has to work out which way the comparison went; "" for green, context and
// bands the indicator does not word.
func bandLabel(lang string, ind *schema.Indicator, band string) string {
	if ind == nil || ind.BandLabels[band] == nil {
		return ""
	}
	return ind.BandLabels[band].In(lang)
}

// assessmentText is a band in words with what it means for ind, one per
// line: "Red\nabove capacity".
func assessmentText(lang string, ind *schema.Indicator, band string) string {
	s := bandText(lang, band)
	if l := bandLabel(lang, ind, band); l != "" {
		s += "\n" + l
	}
	return s
}

// assessmentInline is assessmentText for running text: "red: above capacity".
func assessmentInline(lang string, ind *schema.Indicator, band string) string {
	s := strings.ToLower(bandText(lang, band))
	if l := bandLabel(lang, ind, band); l != "" {
		s += ": " + l
	}
	return s
}

// aggregateText is an aggregate's value in words: the value, or why there is
// none, and the unresolved places it was counted from at their worst.
func aggregateText(lang string, a *Aggregate) string {
	if a == nil || !a.Applicable {
		return "—"
	}
	if a.Withheld {
		return t(lang, "withheld.small.count")
	}
	s := t(lang, "no.toilet")
	if a.Value != nil {
		s = indicatorValueText(lang, a.Indicator, a.Value)
	}
	for _, u := range a.Unresolved {
		s += "\n" + unresolvedText(lang, a.Indicator, u.Range)
		if u.Label != "" {
			s += ": " + u.Label
		}
	}
	return s
}

// unresolvedText marks a value counted at its worst: "unresolved (2.3–2.8)".
func unresolvedText(lang string, ind *schema.Indicator, u *UnresolvedRange) string {
	if u == nil || u.Lo == nil {
		return t(lang, "unresolved.short")
	}
	r := formatNumber(lang, *u.Lo)
	if *u.Hi != *u.Lo {
		r += "–" + formatNumber(lang, *u.Hi)
	}
	return t(lang, "unresolved.short") + " (" + r + ")"
}

// findingSentence is a yes/no, choice or multichoice answer of tmpl's item
// as a sentence, and whether it is a problem in itself: an answer the
// checklist declares adverse (schema.Template.IsAdverse). A multichoice
// answer reads as its adverse options only, when it has any. ok is false for
// items that are not findings.
func findingSentence(lang string, tmpl *schema.Template, it *schema.Item, v any) (text string, adverse bool, ok bool) {
	adverse = tmpl.IsAdverse(it, v)
	switch it.Type {
	case schema.TypeYesNo:
		b, isBool := v.(bool)
		if !isBool {
			return "", false, false
		}
		if s, known := yesNoSentences[it.ID]; known && builtinWording(it) {
			m := s.no
			if b {
				m = s.yes
			}
			return m.in(lang), adverse, true
		}
		return it.Label.In(lang) + ": " + valueText(lang, nil, it, v) + ".", adverse, true
	case schema.TypeChoice:
		id, isString := v.(string)
		if !isString {
			return "", false, false
		}
		if m, known := choiceSentences[it.ID][id]; known && builtinWording(it) {
			return m.in(lang), adverse, true
		}
		return strings.TrimRight(it.Label.In(lang), ".?") + ": " + valueText(lang, nil, it, v) + ".", adverse, true
	case schema.TypeMulti:
		chosen, isList := v.([]string)
		if !isList || !adverse {
			return "", false, isList
		}
		bad := tmpl.AdverseAnswers(it)
		var labels []string
		for _, id := range chosen {
			if o, known := it.Option(id); known && slices.Contains(bad, id) {
				labels = append(labels, o.Label.In(lang))
			}
		}
		return strings.TrimRight(it.Label.In(lang), ".?") + ": " + strings.Join(labels, ", ") + ".", true, true
	}
	return "", false, false
}

// builtinWording reports whether it is worded as the built-in item of the
// same id (type and English label), so that the built-in sentence says what
// it asks: an imported question that reuses an id reads as its own label.
func builtinWording(it *schema.Item) bool {
	b, ok := builtinItems()[it.ID]
	return ok && b.Type == it.Type && b.Label.In("en") == it.Label.In("en")
}

// builtinItems are the items of the embedded checklists, by id.
var builtinItems = sync.OnceValue(func() map[string]*schema.Item {
	out := map[string]*schema.Item{}
	ts, err := schema.DefaultTemplates()
	if err != nil {
		return out
	}
	for _, t := range ts {
		for i := range t.Items {
			if _, seen := out[t.Items[i].ID]; !seen {
				out[t.Items[i].ID] = &t.Items[i]
			}
		}
	}
	return out
})

// FindingGroup is the adverse answers of a visit found in the same set of
// places: the visit itself (no Locations), every location visited (All), or
// some of them. Each place is named once per group, not once per finding.
type FindingGroup struct {
	Locations []string
	All       bool
	Texts     []string
}

// keyFindings lists the adverse yes/no and choice answers of a visit in
// template order, grouped by the places they were recorded in. An unresolved
// answer counts at its worst: when a member recorded an adverse answer, it is
// listed, marked unresolved.
func keyFindings(lang string, vm *VisitModel) []FindingGroup {
	adverseText := func(it *schema.Item, v *review.ReportValue) (string, bool) {
		if v == nil {
			return "", false
		}
		if v.Source != review.ValueUnresolved {
			s, adverse, ok := findingSentence(lang, vm.Template, it, v.Value)
			return s, ok && adverse
		}
		for _, c := range v.Candidates {
			if s, adverse, ok := findingSentence(lang, vm.Template, it, c); ok && adverse {
				return strings.TrimRight(s, ".") + " (" + t(lang, "unresolved.member") + ").", true
			}
		}
		return "", false
	}
	var visitLevel []string
	var order []string
	sets := map[string]*FindingGroup{}
	for i := range vm.Template.Items {
		it := &vm.Template.Items[i]
		if it.Type != schema.TypeYesNo && !it.HasOptions() {
			continue
		}
		if it.Scope == schema.ScopeVisit {
			if s, ok := adverseText(it, vm.Values[it.ID]); ok {
				visitLevel = append(visitLevel, s)
			}
			continue
		}
		byText := map[string][]string{}
		var texts []string
		for _, lm := range vm.Locations {
			s, ok := adverseText(it, lm.Values[it.ID])
			if !ok {
				continue
			}
			if _, seen := byText[s]; !seen {
				texts = append(texts, s)
			}
			byText[s] = append(byText[s], lm.Label)
		}
		for _, s := range texts {
			key := strings.Join(byText[s], "\x00")
			g := sets[key]
			if g == nil {
				g = &FindingGroup{Locations: byText[s], All: len(byText[s]) == len(vm.Locations) && len(vm.Locations) > 1}
				sets[key] = g
				order = append(order, key)
			}
			g.Texts = append(g.Texts, s)
		}
	}
	var out []FindingGroup
	if len(visitLevel) > 0 {
		out = append(out, FindingGroup{Texts: visitLevel})
	}
	// Every location first, then the larger groups.
	sort.SliceStable(order, func(i, j int) bool { return len(sets[order[i]].Locations) > len(sets[order[j]].Locations) })
	for _, k := range order {
		out = append(out, *sets[k])
	}
	return out
}

// AggregateText is a facility-wide indicator's value in words, as the PDF prints it.
func AggregateText(lang string, a *Aggregate) string { return aggregateText(lang, a) }

// BandText is a band in words in lang ("Red", "Красный", "Қызыл"…).
func BandText(lang, band string) string { return bandText(lang, band) }

// BandLabel is what band of ind means in words, "" when it has no wording.
func BandLabel(lang string, ind *schema.Indicator, band string) string {
	return bandLabel(lang, ind, band)
}

// RecommendationStatusText is a recommendation status in words in lang.
func RecommendationStatusText(lang, status string) string {
	return word(recommendationStatuses, status, lang)
}

// locationIndicatorText is a location's indicator value in words: withheld
// when it reads a sensitive count of fewer than three persons, marked when it
// is counted at the worst of the members' values.
func locationIndicatorText(lang string, lm *LocationModel, ind *schema.Indicator, res schema.IndicatorResult) string {
	if lm.Hidden[ind.ID] {
		return t(lang, "withheld.small.count")
	}
	s := t(lang, "no.toilet")
	if res.Value != nil {
		s = indicatorValueText(lang, ind, res.Value)
	}
	if u := lm.Open[ind.ID]; u != nil {
		s += "\n" + unresolvedText(lang, ind, u)
	}
	return s
}
