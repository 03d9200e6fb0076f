package report

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
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

// The annual (period) report: what the organisation attaches to a
// submission. It is built from the same consolidated values and facility
// models as the facility and regional reports (buildFacility), over every
// facility of a set of regions, for a period and the period of the same
// length just before it.

// ErrAnnualPeriod is returned when an annual report is asked for without
// both ends of its period.
var ErrAnnualPeriod = errors.New("an annual report needs a period: give both --from and --to (YYYY-MM-DD)")

// Standards counted in the annual report: a facility falls below one when, at
// its latest visit of the period, any of the listed indicators is red or
// amber, or any location recorded an adverse answer (as the visit's
// checklist declares it, schema.Template.IsAdverse) to one of the listed
// items. An item whose checklist declares no adverse answer judges nothing.
// An unresolved answer counts when any member recorded an adverse value, as
// an unresolved indicator counts at its worst member value.
// The indicators of a standard are those that say they measure it
// (schema.Indicator.Measures), whatever their id and checklist.
var annualStandards = []annualStandard{
	{ID: schema.StandardSpace},
	{ID: schema.StandardTemperature},
	{ID: schema.StandardSanitation, Items: []string{"sewage_problems", "running_water"}},
	{ID: "disability", Items: []string{"step_free_route", "accessible_toilet_shower"}},
}

type annualStandard struct {
	ID    string   // the standard, as indicators name it in Measures
	Items []string // location-level items whose adverse answers fall below it
}

// builtinMeasures maps the id of each built-in indicator to the standard it
// measures, for a checklist version stored before indicators named one: a
// tag says what is measured and changes no judgement, so an older version's
// indicator counts under the standard its built-in namesake names.
var builtinMeasures = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	ts, err := schema.DefaultTemplates()
	if err != nil {
		return out
	}
	for _, t := range ts {
		for _, ind := range t.Indicators {
			if ind.Measures != "" {
				out[ind.ID] = ind.Measures
			}
		}
	}
	return out
})

// measures is the standard an indicator measures: its own tag, else that of
// the built-in indicator with its id; "" for none.
func measures(ind *schema.Indicator) string {
	if ind.Measures != "" {
		return ind.Measures
	}
	return builtinMeasures()[ind.ID]
}

// AnnualReport is the model of the annual (period) report.
type AnnualReport struct {
	Req      Request
	Previous Request // the period of the same length just before
	Regions  []schema.Region
	Demo     bool

	Current, Prior []*FacilityReport // every facility of the regions, for each period

	VisitsByRegion []RegionVisits // regions in the order asked, only those with a facility
	VisitsByType   []CountLine    // by facility type, most visits first
	Obstructions   []Obstruction  // oldest first
	Standards      []StandardLine
	Recs           RecommendationTally
	Worst          []*FacilityReport // up to ten, worst first
	// Unapproved counts the period's visits not yet approved by their
	// coordinator: left out, unless the request includes them (then the
	// report is marked provisional).
	Unapproved int
}

// RegionVisits counts a region's visits in the period by kind.
type RegionVisits struct {
	Region     schema.Region
	ByKind     map[string]int // regular, special, follow_up
	Total      int
	Facilities int // facilities of the region visited at least once
	Registered int // facilities of the region in the registry
}

// CountLine is a code with a count.
type CountLine struct {
	Code  string
	Count int
}

// Obstruction is one visit where the team recorded refused or delayed access.
type Obstruction struct {
	Facility *store.Facility
	Visit    *VisitModel
	Refused  bool // the visit's access-refused flag (protocol 1.0)
	Details  bool // the checklist's "access refused or delayed" item was answered
	// The visit's obstruction records and wait at the gate are in Visit.Access.
}

// StandardLine counts facilities below one standard in each period.
// Assessed counts the facilities judged against the standard (an indicator
// red, amber or green, or an answer recorded); NotJudged those whose latest
// visit gave only a figure shown for comparison (band context: the
// facility's checklist knows no authoritative standard for that kind of
// place), which says nothing about meeting the standard.
type StandardLine struct {
	ID                       string
	Below, Assessed          int
	PrevBelow, PrevAsses     int
	NotJudged, PrevNotJudged int
	// Facilities below the standard in the period, by name.
	Names []string
}

// RecommendationTally counts the recommendations made at visits in the
// period by their status when the report was made.
type RecommendationTally struct {
	Made, Implemented, Partly, NotImplemented, Open, Superseded int
}

// Rate is n as a share of the recommendations that can be judged (made less
// superseded), or -1 when there are none.
func (r RecommendationTally) Rate(n int) float64 {
	judged := r.Made - r.Superseded
	if judged <= 0 {
		return -1
	}
	return float64(n) / float64(judged)
}

// previousPeriod is the period of the same length just before from..to
// (inclusive dates): whole months shift by months, so that 2025 gives 2024.
func previousPeriod(from, to time.Time) (time.Time, time.Time) {
	prevTo := from.AddDate(0, 0, -1)
	if from.Day() == 1 && to.AddDate(0, 0, 1).Day() == 1 {
		months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month()) + 1
		return from.AddDate(0, -months, 0), prevTo
	}
	days := int(to.Sub(from).Hours()/24 + 0.5)
	return prevTo.AddDate(0, 0, -days), prevTo
}

// ParseRegions checks a list of region codes (comma-separated items are
// split); an empty list means every region.
func ParseRegions(codes []string) ([]schema.Region, error) {
	var out []schema.Region
	seen := map[string]bool{}
	for _, c := range codes {
		for _, code := range strings.Split(c, ",") {
			code = strings.ToUpper(strings.TrimSpace(code))
			if code == "" || seen[code] {
				continue
			}
			reg, ok := schema.RegionByCode(code)
			if !ok {
				return nil, fmt.Errorf("%w: %q", ErrUnknownRegion, code)
			}
			seen[code] = true
			out = append(out, reg)
		}
	}
	if len(out) == 0 {
		out = append(out, schema.Regions...)
	}
	return out, nil
}

// Annual builds the annual (period) report over the regions (every region
// when none is given). The period must have both ends.
func (b *Builder) Annual(ctx context.Context, regions []string, req Request) (*AnnualReport, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if req.From.IsZero() || req.To.IsZero() {
		return nil, ErrAnnualPeriod
	}
	regs, err := ParseRegions(regions)
	if err != nil {
		return nil, err
	}
	if err := b.withOrg(ctx, &req); err != nil {
		return nil, err
	}
	prev := req
	prev.From, prev.To = previousPeriod(req.From, req.To)
	ar := &AnnualReport{Req: req, Previous: prev, Regions: regs}
	resolve, err := b.resolver(ctx)
	if err != nil {
		return nil, err
	}
	err = b.DB.Read(ctx, func(tx *store.Tx) error {
		for _, reg := range regs {
			for _, p := range []struct {
				req  Request
				into *[]*FacilityReport
			}{{req, &ar.Current}, {prev, &ar.Prior}} {
				data, err := review.ReadRegionReport(tx, reg.Code, p.req.period(reg.Location()), resolve)
				if err != nil {
					return err
				}
				for _, d := range data {
					left := d.Visits[:0:0]
					for _, v := range d.Visits {
						if v.Status != "approved" && p.into == &ar.Current {
							ar.Unapproved++
						}
						if v.Status == "approved" || req.IncludeUnapproved {
							left = append(left, v)
						}
					}
					d.Visits = left
					*p.into = append(*p.into, buildFacility(d, p.req, resolve))
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read annual report data: %w", err)
	}
	ar.tally()
	return ar, nil
}

func (ar *AnnualReport) tally() {
	byRegion := map[string]*RegionVisits{}
	byType := map[string]int{}
	for _, reg := range ar.Regions {
		byRegion[reg.Code] = &RegionVisits{Region: reg, ByKind: map[string]int{}}
	}
	for _, f := range ar.Current {
		ar.Demo = ar.Demo || f.Facility.Demo
		rv := byRegion[f.Facility.Region]
		rv.Registered++
		if len(f.Visits) > 0 {
			rv.Facilities++
		}
		for _, vm := range f.Visits {
			rv.ByKind[vm.Kind]++
			rv.Total++
			byType[f.Facility.Type] += 1
			details := false
			if v := vm.Values["access_refused_details"]; v != nil && ((v.Value != nil && v.Value != "") || v.Withheld || v.Source == review.ValueUnresolved) {
				details = true
			}
			if vm.AccessRefused || details || vm.Access.AnyRefused() || vm.Access.AnyDelayed() {
				ar.Obstructions = append(ar.Obstructions, Obstruction{Facility: f.Facility, Visit: vm, Refused: vm.AccessRefused, Details: details})
			}
		}
		ar.countRecommendations(f)
	}
	for _, reg := range ar.Regions {
		if rv := byRegion[reg.Code]; rv.Registered > 0 {
			ar.VisitsByRegion = append(ar.VisitsByRegion, *rv)
		}
	}
	for code, n := range byType {
		ar.VisitsByType = append(ar.VisitsByType, CountLine{code, n})
	}
	sort.Slice(ar.VisitsByType, func(i, j int) bool {
		if ar.VisitsByType[i].Count != ar.VisitsByType[j].Count {
			return ar.VisitsByType[i].Count > ar.VisitsByType[j].Count
		}
		return ar.VisitsByType[i].Code < ar.VisitsByType[j].Code
	})
	sort.SliceStable(ar.Obstructions, func(i, j int) bool {
		return ar.Obstructions[i].Visit.Started.Before(ar.Obstructions[j].Visit.Started)
	})
	for _, st := range annualStandards {
		line := StandardLine{ID: st.ID}
		for _, f := range ar.Current {
			switch st.judge(f.Latest()) {
			case verdictBelow:
				line.Assessed++
				line.Below++
				line.Names = append(line.Names, f.Facility.Name)
			case verdictMeets:
				line.Assessed++
			case verdictNotJudged:
				line.NotJudged++
			}
		}
		for _, f := range ar.Prior {
			switch st.judge(f.Latest()) {
			case verdictBelow:
				line.PrevAsses++
				line.PrevBelow++
			case verdictMeets:
				line.PrevAsses++
			case verdictNotJudged:
				line.PrevNotJudged++
			}
		}
		ar.Standards = append(ar.Standards, line)
	}
	var visited []*FacilityReport
	for _, f := range ar.Current {
		if f.Latest() != nil {
			visited = append(visited, f)
		}
	}
	sort.SliceStable(visited, func(i, j int) bool {
		a, b := severity(visited[i]), severity(visited[j])
		for k := range a {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return store.NaturalCompare(visited[i].Facility.Name, visited[j].Facility.Name) < 0
	})
	for _, f := range visited {
		if len(ar.Worst) == 10 || len(worstAggregates(f.Latest())) == 0 {
			break
		}
		ar.Worst = append(ar.Worst, f)
	}
}

// Provisional reports whether the figures count visits not yet approved.
func (ar *AnnualReport) Provisional() bool { return ar.Req.IncludeUnapproved && ar.Unapproved > 0 }

// countRecommendations counts the facility's recommendations made at a visit
// of the period.
func (ar *AnnualReport) countRecommendations(f *FacilityReport) {
	inPeriod := map[string]bool{}
	for _, vm := range f.Visits {
		inPeriod[vm.ID] = true
	}
	for _, r := range f.Recommendations {
		if !inPeriod[r.VisitID] {
			continue
		}
		ar.Recs.Made++
		switch r.Status {
		case "implemented":
			ar.Recs.Implemented++
		case "in_progress":
			ar.Recs.Partly++
		case "not_implemented":
			ar.Recs.NotImplemented++
		case "superseded":
			ar.Recs.Superseded++
		default:
			ar.Recs.Open++
		}
	}
}

// verdict is what a visit tells of one standard.
type verdict int

const (
	verdictNone      verdict = iota // nothing recorded that the standard reads
	verdictNotJudged                // only figures shown for comparison (band context)
	verdictMeets                    // judged, and not below
	verdictBelow                    // an indicator red or amber, or a failing answer
)

// judge tells whether the facility falls below the standard at the visit,
// meets it, or could not be judged. Only red, amber and green judge: a
// context band is a figure shown for comparison where no standard applies
// to the kind of place (or its threshold is unconfirmed), and a facility
// with nothing more is not counted as meeting the standard.
func (st annualStandard) judge(vm *VisitModel) verdict {
	if vm == nil {
		return verdictNone
	}
	v := verdictNone
	for _, a := range vm.Aggregates {
		if !a.Applicable || measures(a.Indicator) != st.ID {
			continue
		}
		switch a.Band {
		case schema.BandRed, schema.BandAmber:
			return verdictBelow
		case schema.BandGreen:
			v = verdictMeets
		case schema.BandContext:
			v = max(v, verdictNotJudged)
		}
	}
	for _, lm := range vm.Locations {
		for _, item := range st.Items {
			val := lm.Values[item]
			it, known := vm.Template.Item(item)
			if val == nil || !known || len(vm.Template.AdverseAnswers(it)) == 0 {
				continue
			}
			if val.Value != nil {
				v = verdictMeets
				if vm.Template.IsAdverse(it, val.Value) {
					return verdictBelow
				}
			}
			if val.Source == review.ValueUnresolved && slices.ContainsFunc(val.Candidates, func(c any) bool { return vm.Template.IsAdverse(it, c) }) {
				return verdictBelow
			}
		}
	}
	return v
}

// AnnualStandardIDs are the standards the annual report counts, in order.
func AnnualStandardIDs() []string {
	ids := make([]string, len(annualStandards))
	for i, s := range annualStandards {
		ids[i] = s.ID
	}
	return ids
}

// WriteCSV writes the annual report's figures as one CSV table (UTF-8 with
// BOM), one figure per row: section, region, facility, item, its label in
// the report's language, and the figure for the previous period (where the
// report compares) and for this one. Numbers are written as programs read
// them.
func (ar *AnnualReport) WriteCSV(w io.Writer) error {
	lang := ar.Req.Lang
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := &sheetWriter{csv.NewWriter(bw)}
	cw.Write([]string{"section", "region", "facility_id", "facility_name", "item", "label", "previous_period", "this_period"})
	row := func(section, region string, f *store.Facility, item, label, prev, curr string) {
		id, name := "", ""
		if f != nil {
			id, name = f.ID, text(f.Name)
		}
		cw.Write([]string{section, region, id, name, item, text(label), prev, curr})
	}
	n := func(i int) string { return strconv.Itoa(i) }
	row("period", "", nil, "from", t(lang, "period"), isoDate(ar.Previous.From, kzTime), isoDate(ar.Req.From, kzTime))
	row("period", "", nil, "to", t(lang, "period"), isoDate(ar.Previous.To, kzTime), isoDate(ar.Req.To, kzTime))
	// What the figures leave out or take in: the period's visits not yet
	// approved, and whether they are counted (a provisional report).
	unapprovedKey := "annual.unapproved.left"
	if ar.Req.IncludeUnapproved {
		unapprovedKey = "annual.unapproved.in"
	}
	row("meta", "", nil, "unapproved", t(lang, unapprovedKey), "", n(ar.Unapproved))
	row("meta", "", nil, "provisional", t(lang, "provisional.footer"), "", strconv.FormatBool(ar.Provisional()))
	for _, rv := range ar.VisitsByRegion {
		for _, k := range []string{"regular", "special", "follow_up"} {
			row("visits", rv.Region.Code, nil, k, word(visitKinds, k, lang), "", n(rv.ByKind[k]))
		}
		row("visits", rv.Region.Code, nil, "total", t(lang, "annual.total"), "", n(rv.Total))
		row("visits", rv.Region.Code, nil, "facilities_visited", t(lang, "annual.facilities"), "", n(rv.Facilities))
		row("visits", rv.Region.Code, nil, "facilities_registered", t(lang, "annual.facilities"), "", n(rv.Registered))
	}
	for _, c := range ar.VisitsByType {
		row("visits_by_facility_type", "", nil, c.Code, word(facilityTypes, c.Code, lang), "", n(c.Count))
	}
	for _, o := range ar.Obstructions {
		what := "details_recorded"
		switch {
		case o.Refused || o.Visit.Access.AnyRefused():
			what = "access_refused"
		case o.Visit.Access.AnyDelayed():
			what = "access_delayed"
		}
		row("obstruction", o.Facility.Region, o.Facility, what, t(lang, "annual.obstructions"), "", isoDate(o.Visit.Started, regionZone(o.Facility.Region)))
	}
	for _, s := range ar.Standards {
		label := t(lang, "annual.std."+s.ID)
		row("standard", "", nil, s.ID+".below", label, n(s.PrevBelow), n(s.Below))
		row("standard", "", nil, s.ID+".assessed", label, n(s.PrevAsses), n(s.Assessed))
		row("standard", "", nil, s.ID+".not_judged", label, n(s.PrevNotJudged), n(s.NotJudged))
	}
	r := ar.Recs
	for _, c := range []struct {
		item, key string
		n         int
	}{{"made", "annual.recs.made", r.Made}, {"implemented", "annual.recs.implemented", r.Implemented},
		{"partly", "annual.recs.partly", r.Partly}, {"not_implemented", "annual.recs.not", r.NotImplemented},
		{"open", "annual.recs.open", r.Open}, {"superseded", "annual.recs.superseded", r.Superseded}} {
		row("recommendations", "", nil, c.item, t(lang, c.key), "", n(c.n))
		if c.item != "made" && c.item != "superseded" && r.Rate(c.n) >= 0 {
			row("recommendations", "", nil, c.item+".rate", t(lang, c.key), "", machineNumber(math.Round(r.Rate(c.n)*1000)/1000))
		}
	}
	for i, f := range ar.Worst {
		s := severity(f)
		row("worst", f.Facility.Region, f.Facility, "rank", t(lang, "rank"), "", n(i+1))
		row("worst", f.Facility.Region, f.Facility, "red", t(lang, "red.amber"), "", n(s[1]))
		row("worst", f.Facility.Region, f.Facility, "amber", t(lang, "red.amber"), "", n(s[2]))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return bw.Flush()
}
