package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// RegionReport is the regional summary: every facility of a region over a
// period, ranked by its worst indicators at its latest visit.
type RegionReport struct {
	Req        Request
	Region     schema.Region
	Facilities []*FacilityReport // ranked, worst first; those with no visit last
}

// Region builds the regional summary. It returns ErrUnknownRegion for a code
// that is not a region of Kazakhstan.
func (b *Builder) Region(ctx context.Context, code string, req Request) (*RegionReport, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := b.withOrg(ctx, &req); err != nil {
		return nil, err
	}
	reg, ok := schema.RegionByCode(strings.ToUpper(strings.TrimSpace(code)))
	if !ok {
		return nil, ErrUnknownRegion
	}
	resolve, err := b.resolver(ctx)
	if err != nil {
		return nil, err
	}
	var data []*review.FacilityReportData
	err = b.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		data, err = review.ReadRegionReport(tx, reg.Code, req.period(reg.Location()), resolve)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownRegion
	}
	if err != nil {
		return nil, fmt.Errorf("read region report data: %w", err)
	}
	rr := &RegionReport{Req: req, Region: reg}
	unapproved := 0
	for _, d := range data {
		f := buildFacility(d, req, resolve)
		unapproved += f.Unapproved()
		rr.Facilities = append(rr.Facilities, f)
	}
	if unapproved > 0 && !req.IncludeUnapproved {
		return nil, &UnapprovedError{Visits: unapproved}
	}
	sort.SliceStable(rr.Facilities, func(i, j int) bool {
		a, b := severity(rr.Facilities[i]), severity(rr.Facilities[j])
		for k := range a {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return store.NaturalCompare(rr.Facilities[i].Facility.Name, rr.Facilities[j].Facility.Name) < 0
	})
	return rr, nil
}

// severity ranks a facility: has a visit, then red, amber and context
// indicators at its latest visit, then red locations.
func severity(f *FacilityReport) [5]int {
	latest := f.Latest()
	if latest == nil {
		return [5]int{}
	}
	s := [5]int{1}
	for _, a := range latest.Aggregates {
		if !a.Applicable {
			continue
		}
		switch a.Band {
		case schema.BandRed:
			s[1]++
		case schema.BandAmber:
			s[2]++
		case schema.BandContext:
			s[3]++
		}
		s[4] += len(a.ByBand[schema.BandRed])
	}
	return s
}

// worstJudged is the worst band of a visit's facility-wide indicators:
// green only when some indicator met its standard, context when the visit
// gave nothing but figures shown for comparison, "" when nothing applied.
func worstJudged(vm *VisitModel) string {
	band := ""
	for _, a := range vm.Aggregates {
		if a.Applicable {
			band = worseBand(band, a.Band)
		}
	}
	if band == schema.BandContext {
		for _, a := range vm.Aggregates {
			if a.Applicable && a.Band == schema.BandGreen {
				return schema.BandGreen // context ranks above green, but a standard was met
			}
		}
	}
	return band
}

// recommendationCounts counts a facility's recommendations by current status:
// open (open or in progress), implemented, not implemented.
func recommendationCounts(f *FacilityReport) (open, implemented, notImplemented int) {
	for _, r := range f.Recommendations {
		switch r.Status {
		case "open", "in_progress":
			open++
		case "implemented":
			implemented++
		case "not_implemented":
			notImplemented++
		}
	}
	return
}

// worstAggregates are the red and amber indicators of a visit, worst first.
func worstAggregates(vm *VisitModel) []*Aggregate {
	var out []*Aggregate
	for _, a := range vm.Aggregates {
		if a.Applicable && (a.Band == schema.BandRed || a.Band == schema.BandAmber) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return bandRank(out[i].Band) > bandRank(out[j].Band) })
	return out
}

// WritePDF renders the regional summary as an A4 PDF.
func (rr *RegionReport) WritePDF(w io.Writer) error {
	lang := rr.Req.Lang
	name := rr.Region.Name.In(lang)
	d := newDoc(lang, t(lang, "title.region")+": "+name, t(lang, "title.region"), rr.Req.GeneratedBy, rr.Req.Now)
	d.headerText = name + " · " + rr.Req.periodText()
	d.headerRight = t(lang, "title.region")
	d.footerLeft = "Inspecta · " + formatDateIn(lang, rr.Req.Now, rr.Region.Location())
	demo := false
	for _, f := range rr.Facilities {
		demo = demo || f.Facility.Demo
	}
	if demo {
		d.footerLeft = t(lang, "demo")
	}
	unapproved := 0
	for _, f := range rr.Facilities {
		unapproved += f.Unapproved()
	}
	if unapproved > 0 {
		d.footerLeft = t(lang, "provisional.footer") + " · " + d.footerLeft
	}
	pdf := d.pdf
	pdf.AddPage()
	d.orgHeader(rr.Req.Org)
	pdf.Ln(2)
	d.font("B", 18)
	d.colour(colAccent)
	pdf.MultiCell(contentW, 8.5, t(lang, "title.region"), "", "L", false)
	pdf.Ln(1)
	d.font("B", 14)
	d.colour(colText)
	pdf.MultiCell(contentW, 7, clean(name)+" ("+rr.Region.Code+")", "", "L", false)
	pdf.Ln(3)
	if demo {
		demoBanner(d, lang)
	}
	visits := 0
	var open, impl, notImpl int
	for _, f := range rr.Facilities {
		visits += len(f.Visits)
		o, i, n := recommendationCounts(f)
		open, impl, notImpl = open+o, impl+i, notImpl+n
	}
	d.keyValue([][2]string{
		{t(lang, "period"), rr.Req.periodText()},
		{t(lang, "facilities.count"), fmt.Sprint(len(rr.Facilities))},
		{t(lang, "visits.count"), fmt.Sprint(visits)},
		{t(lang, "provisional.cover"), fmt.Sprint(unapproved)},
		{t(lang, "recs.counts"), fmt.Sprintf("%d / %d / %d", open, impl, notImpl)},
		{t(lang, "language"), t(lang, "lang.name")},
		{t(lang, "generated.on"), formatDateTimeIn(lang, rr.Req.Now, rr.Region.Location())},
		{t(lang, "generated.by"), dash(rr.Req.GeneratedBy)},
	}, 70, 9)
	pdf.Ln(5)
	d.heading(t(lang, "ranking"), 12, 20)
	d.paragraph(t(lang, "legend"), 7, "", colMuted)
	pdf.Ln(2)
	if len(rr.Facilities) == 0 {
		d.paragraph(t(lang, "no.facilities"), 9, "B", colText)
	}

	tb := d.newTable(regionColumns, 7,
		t(lang, "rank"), t(lang, "facility"), t(lang, "latest.visit"), t(lang, "red.amber"), t(lang, "worst"), t(lang, "recs.counts"))
	var sources []*Source
	for i, f := range rr.Facilities {
		o, im, ni := recommendationCounts(f)
		fac := f.Facility.Name + "\n" + word(facilityTypes, f.Facility.Type, lang)
		cells := []cell{{text: fmt.Sprint(i + 1), align: "R"}, {text: fac}}
		latest := f.Latest()
		if latest == nil {
			cells = append(cells, cell{text: t(lang, "no.visit.period"), fg: &colMuted}, cell{text: "—", align: "C"}, cell{text: "—"})
		} else {
			s := severity(f)
			band := worstJudged(latest)
			var worst []string
			var cites []*Source
			for k, a := range worstAggregates(latest) {
				if k == 4 {
					break
				}
				src := rr.source(&sources, a.Indicator)
				cites = append(cites, src)
				worst = append(worst, fmt.Sprintf("%s: %s (%s)%s", a.Indicator.Label.In(lang), strings.ReplaceAll(aggregateText(lang, a), "\n", "; "),
					assessmentInline(lang, a.Indicator, a.Band), cite(src)))
			}
			if len(worst) == 0 {
				worst = []string{t(lang, "none.red")}
			}
			if s[3] > 0 {
				// Not a pass: figures shown for comparison only.
				worst = append(worst, tf(lang, "not.judged", s[3]))
			}
			cells = append(cells,
				cell{text: f.date(latest.Started) + "\n" + fmt.Sprintf("(%d)", len(f.Visits))},
				cell{text: fmt.Sprintf("%d / %d", s[1], s[2]), band: band, align: "C", style: "B"},
				cell{text: strings.Join(worst, "\n"), cites: cites})
		}
		cells = append(cells, cell{text: fmt.Sprintf("%d / %d / %d", o, im, ni), align: "C"})
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
	pdf.AddPage()
	rr.access(d)
	if len(sources) > 0 {
		pdf.AddPage()
		annex(d, sources)
	}
	return d.output(w)
}

// regionColumns are the widths of the ranking's columns.
var regionColumns = []float64{9, 45, 22, 17, 57, 24}

// source numbers the sources of the regional summary in order of first use.
func (rr *RegionReport) source(sources *[]*Source, ind *schema.Indicator) *Source {
	return citeSource(sources, ind)
}
