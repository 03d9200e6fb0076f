package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// WritePDF renders the facility condition report as an A4 PDF.
func (r *FacilityReport) WritePDF(w io.Writer) error {
	lang := r.Req.Lang
	f := r.Facility
	d := newDoc(lang, t(lang, "title.facility")+": "+f.Name, t(lang, "title.facility"), r.Req.GeneratedBy, r.Req.Now)
	d.headerText = f.Name + " · " + r.Req.periodText()
	d.headerRight = t(lang, "title.facility")
	d.footerLeft = "Inspecta · " + r.date(r.Req.Now)
	if f.Demo {
		d.footerLeft = t(lang, "demo")
	}
	if r.Unapproved() > 0 {
		d.footerLeft = t(lang, "provisional.footer") + " · " + d.footerLeft
	}
	d.pdf.AddPage()
	r.cover(d)
	if len(r.Visits) == 0 {
		return d.output(w)
	}
	d.pdf.AddPage()
	r.summary(d)
	r.trends(d)
	r.chart(d)
	r.access(d)
	// The latest visit in full; each earlier one on a page of its own, in
	// full only when the full annex is asked for.
	for i := len(r.Visits) - 1; i >= 0; i-- {
		d.pdf.AddPage()
		if vm := r.Visits[i]; i == len(r.Visits)-1 || r.Req.Detail == DetailAll {
			r.visit(d, vm)
		} else {
			r.visitSummary(d, vm)
		}
	}
	d.pdf.AddPage()
	r.recommendations(d)
	d.pdf.AddPage()
	annex(d, r.Sources)
	return d.output(w)
}

func (r *FacilityReport) cover(d *doc) {
	lang := r.Req.Lang
	f := r.Facility
	pdf := d.pdf
	pdf.SetY(24)
	d.orgHeader(r.Req.Org)
	pdf.Ln(4)
	d.font("B", 22)
	d.colour(colAccent)
	pdf.MultiCell(contentW, 10, t(lang, "title.facility"), "", "L", false)
	pdf.Ln(3)
	d.font("B", 16)
	d.colour(colText)
	pdf.MultiCell(contentW, 8, clean(f.Name), "", "L", false)
	pdf.Ln(4)
	if f.Demo {
		demoBanner(d, lang)
	}
	rows := [][2]string{
		{t(lang, "type"), word(facilityTypes, f.Type, lang)},
		{t(lang, "authority"), dash(f.Authority)},
		{t(lang, "region"), r.RegionName},
		{t(lang, "address"), dash(f.Address)},
	}
	if f.Capacity != nil {
		rows = append(rows, [2]string{t(lang, "capacity"), formatNumber(lang, float64(*f.Capacity))})
	}
	if f.BuiltYear != nil {
		rows = append(rows, [2]string{t(lang, "built"), fmt.Sprint(*f.BuiltYear)})
	}
	rows = append(rows,
		[2]string{t(lang, "period"), r.Req.periodText()},
		[2]string{t(lang, "visits.count"), fmt.Sprint(len(r.Visits))},
	)
	if r.DraftVisits > 0 {
		rows = append(rows, [2]string{t(lang, "drafts.left"), fmt.Sprint(r.DraftVisits)})
	}
	if n := r.Unapproved(); n > 0 {
		rows = append(rows, [2]string{t(lang, "provisional.cover"), fmt.Sprint(n)})
	}
	if n := r.UnresolvedValues(); n > 0 {
		rows = append(rows, [2]string{t(lang, "unresolved.cover"), fmt.Sprint(n)})
	}
	rows = append(rows,
		[2]string{t(lang, "language"), t(lang, "lang.name")},
		[2]string{t(lang, "generated.on"), formatDateTimeIn(lang, r.Req.Now, r.Zone)},
		[2]string{t(lang, "generated.by"), dash(r.Req.GeneratedBy)},
	)
	d.keyValue(rows, 62, 9.5)
	if len(r.Visits) == 0 {
		d.pdf.Ln(8)
		d.paragraph(tf(lang, "no.visits", r.Req.periodText()), 11, "B", colText)
	}
	confidentialityBox(d, lang)
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func demoBanner(d *doc, lang string) {
	pdf := d.pdf
	d.font("B", 9)
	bc := bandColour[schema.BandAmber]
	pdf.SetFillColor(bc.bg.r, bc.bg.g, bc.bg.b)
	d.colour(bc.fg)
	pdf.SetX(marginL)
	pdf.MultiCell(contentW, 5.5, t(lang, "demo"), "", "C", true)
	d.colour(colText)
	pdf.Ln(4)
}

func confidentialityBox(d *doc, lang string) {
	pdf := d.pdf
	d.font("", 8.5)
	text := t(lang, "confidential.text")
	lines := d.lines(text, contentW-8)
	h := float64(len(lines))*4 + 11
	y := pageH - footerH - h - 6
	if pdf.GetY()+6 > y {
		y = pdf.GetY() + 6
	}
	pdf.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	pdf.SetLineWidth(0.4)
	pdf.Rect(marginL, y, contentW, h, "D")
	pdf.SetXY(marginL+4, y+3)
	d.font("B", 9)
	d.colour(colAccent)
	pdf.CellFormat(contentW-8, 4.5, t(lang, "confidential.title"), "", 2, "L", false, 0, "")
	d.font("", 8.5)
	d.colour(colText)
	for _, l := range lines {
		pdf.SetX(marginL + 4)
		pdf.CellFormat(contentW-8, 4, l, "", 2, "L", false, 0, "")
	}
}

// summary writes the summary of findings: indicators worst first across the
// latest visits, then the latest visit's adverse findings.
func (r *FacilityReport) summary(d *doc) {
	lang := r.Req.Lang
	d.heading(t(lang, "summary"), 15, 20)
	d.paragraph(t(lang, "summary.intro"), 8.5, "", colText)
	d.pdf.Ln(1.5)
	d.paragraph(t(lang, "legend"), 7.5, "", colMuted)
	if latest := r.Latest(); latest.Status != "approved" {
		d.pdf.Ln(1.5)
		d.paragraph(tf(lang, "visit.of", r.date(latest.Started))+": "+t(lang, "provisional"), 8.5, "B", bandColour[schema.BandAmber].fg)
	}
	d.pdf.Ln(3)

	// The latest visits, at most four, as columns.
	first := max(0, len(r.Visits)-4)
	cols := r.Visits[first:]
	visitW := 29.0
	if len(cols) < 4 {
		visitW = 34
	}
	indW := contentW - 34 - visitW*float64(len(cols))
	widths := append([]float64{indW, 34}, repeat(visitW, len(cols))...)
	header := []string{t(lang, "indicator"), t(lang, "standard")}
	for _, vm := range cols {
		header = append(header, r.date(vm.Started))
	}
	tb := d.newTable(widths, 7.5, header...)
	for i, line := range r.Summary {
		cells := []cell{
			{text: line.Indicator.Label.In(lang), style: "B"},
			{text: standardText(lang, line.Indicator) + cite(line.Source), cites: []*Source{line.Source}},
		}
		for k := range cols {
			c := aggregateCell(lang, line.PerVisit[first+k])
			if line.Differs(first + k) {
				c = ownStandard(lang, c, line, first+k)
			}
			cells = append(cells, c)
		}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
	if len(r.Summary) == 0 {
		d.paragraph(t(lang, "band.na"), 8.5, "", colMuted)
	}

	latest := r.Latest()
	d.pdf.Ln(5)
	d.heading(t(lang, "key.findings")+" ("+r.date(latest.Started)+")", 11, 10)
	r.findings(d, latest)
}

// findings writes a visit's adverse answers grouped by place, then what is
// left unresolved at it.
func (r *FacilityReport) findings(d *doc, vm *VisitModel) {
	lang := r.Req.Lang
	groups := keyFindings(lang, vm)
	switch {
	case len(groups) > 0:
	case vm.Template.HasFindingItems() && !vm.Template.AssessesFindings():
		d.paragraph(t(lang, "findings.not.assessed"), 8.5, "", colMuted) // never "none" for answers nobody judged
	default:
		d.paragraph(t(lang, "no.adverse"), 8.5, "", colText)
	}
	for _, g := range groups {
		if len(g.Locations) > 0 {
			where := locationList(g.Locations, 10)
			if g.All {
				where = plural(lang, "in.every.location", len(g.Locations)) + " (" + where + ")"
			}
			d.ensure(9)
			d.writeRich(8.5, []richRun{{text: where + ":", style: "B", colour: &colMuted}})
		}
		for _, s := range g.Texts {
			d.ensure(5)
			d.writeRich(8.5, []richRun{{text: "• " + s, style: "B"}})
		}
	}
	if vm.Unresolved > 0 {
		d.pdf.Ln(2)
		d.paragraph(plural(lang, "unresolved.count", vm.Unresolved), 8.5, "B", bandColour[schema.BandAmber].fg)
		for _, s := range r.unresolvedList(vm) {
			d.ensure(5)
			d.writeRich(8, []richRun{{text: "• " + s}})
		}
	}
}

// unresolvedList names each unresolved item of a visit with its place and
// the values the members recorded.
func (r *FacilityReport) unresolvedList(vm *VisitModel) []string {
	lang := r.Req.Lang
	var out []string
	add := func(place string, vals map[string]*review.ReportValue, scope string) {
		for i := range vm.Template.Items {
			it := &vm.Template.Items[i]
			v := vals[it.ID]
			if it.Scope != scope || v == nil || v.Source != review.ValueUnresolved {
				continue
			}
			s := it.Label.In(lang)
			if place != "" {
				s = place + ": " + s
			}
			if shown := candidatesText(lang, r.Zone, it, v.Candidates); shown != "" {
				s += " (" + shown + ")"
			}
			out = append(out, s)
		}
	}
	add("", vm.Values, schema.ScopeVisit)
	for _, lm := range vm.Locations {
		add(lm.Label, lm.Values, schema.ScopeLocation)
	}
	return out
}

// candidatesText lists the distinct values the members recorded, as printed.
func candidatesText(lang string, loc *time.Location, it *schema.Item, cands []any) string {
	var shown []string
	for _, c := range cands {
		if s := valueText(lang, loc, it, c); !slices.Contains(shown, s) {
			shown = append(shown, s)
		}
	}
	return strings.Join(shown, "; ")
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// ownStandard adds to the cell of visit i on a summary line the standard
// and source that visit was judged by, when its checklist gives the
// indicator another standard or source than the line's (the latest
// visit's): a reader never takes one checklist's standard for another's.
func ownStandard(lang string, c cell, line *SummaryLine, i int) cell {
	src := line.VisitSources[i]
	c.text += "\n" + t(lang, "standard") + ": " + standardText(lang, line.PerVisit[i].Indicator) + cite(src)
	c.cites = append(c.cites, src)
	return c
}

// cite is a footnote mark.
func cite(s *Source) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf(" [%d]", s.N)
}

// aggregateCell shows a facility-wide indicator: value and band in words,
// coloured by band, with the share of red locations.
func aggregateCell(lang string, a *Aggregate) cell {
	if a == nil || !a.Applicable {
		return cell{text: "—", align: "C", fg: &colMuted}
	}
	if a.Withheld {
		return cell{text: aggregateText(lang, a), align: "C", fg: &colMuted}
	}
	text := aggregateText(lang, a) + "\n" + assessmentText(lang, a.Indicator, a.Band)
	if a.Locations > 0 && len(a.ByBand[schema.BandRed]) > 0 {
		text += "\n" + redIn(lang, len(a.ByBand[schema.BandRed]), a.Locations)
	}
	return cell{text: text, band: a.Band, align: "C"}
}

// locationList joins labels, keeping at most n and counting the rest.
func locationList(labels []string, n int) string {
	if len(labels) <= n {
		return strings.Join(labels, ", ")
	}
	return strings.Join(labels[:n], ", ") + fmt.Sprintf(", +%d", len(labels)-n)
}

// visit writes one visit: its facts, its visit-level answers, its
// facility-wide indicators and every location.
func (r *FacilityReport) visit(d *doc, vm *VisitModel) {
	lang := r.Req.Lang
	r.visitFacts(d, vm)

	// Visit-level answers.
	d.pdf.Ln(3)
	d.heading(t(lang, "visit.answers"), 11, 10)
	r.scopeAnswers(d, vm.Template, schema.ScopeVisit, vm.Values)
	r.photos(d, vm.Photos)

	r.facilityWide(d, vm)

	// Locations.
	d.pdf.Ln(4)
	d.heading(t(lang, "locations"), 12, 25)
	if len(vm.Locations) == 0 {
		d.paragraph(t(lang, "no.locations"), 8.5, "", colMuted)
	}
	for _, lm := range vm.Locations {
		r.location(d, vm, lm)
	}
}

// visitSummary writes an earlier visit on about one page: its facts, its
// facility-wide indicators with their bands, its key findings and the
// recommendations made at it. Its locations are in the full annex
// (--detail all).
func (r *FacilityReport) visitSummary(d *doc, vm *VisitModel) {
	lang := r.Req.Lang
	r.visitFacts(d, vm)
	d.pdf.Ln(1)
	d.paragraph(t(lang, "visit.summary.note"), 7.5, "", colMuted)
	r.facilityWide(d, vm)
	d.pdf.Ln(4)
	d.heading(t(lang, "key.findings.visit"), 11, 10) // an earlier visit's, not the latest's
	r.findings(d, vm)
	var recs []*store.ReportRecommendation
	for _, rec := range r.Recommendations {
		if rec.VisitID == vm.ID {
			recs = append(recs, rec)
		}
	}
	if len(recs) > 0 {
		d.pdf.Ln(4)
		d.heading(t(lang, "recs.made"), 11, 10)
		for _, rec := range recs {
			d.ensure(5)
			d.writeRich(8.5, []richRun{{text: "• " + rec.Text + " "}, {text: "(" + word(recommendationStatuses, rec.Status, lang) + ")", colour: &colMuted}})
		}
	}
}

// visitFacts writes a visit's heading and facts.
func (r *FacilityReport) visitFacts(d *doc, vm *VisitModel) {
	lang := r.Req.Lang
	d.heading(tf(lang, "visit.of", r.date(vm.Started)), 15, 30)
	date := r.date(vm.Started)
	if vm.EndedAt != "" {
		if end := parseTime(vm.EndedAt); !end.IsZero() && r.date(end) != date {
			date += " – " + r.date(end)
		}
	}
	team := "—"
	if vm.TeamSize > 0 {
		team = fmt.Sprint(vm.TeamSize) // the NPM's own monitors: not a count of detainees
	}
	d.keyValue([][2]string{
		{t(lang, "date"), date},
		{t(lang, "kind"), word(visitKinds, vm.Kind, lang)},
		{t(lang, "team.size"), team},
		{t(lang, "announced"), yesNoRecorded(lang, vm.Announced, vm.AnnouncedUnknown)},
		{t(lang, "accompanied"), yesNoRecorded(lang, vm.OmbudspersonRepPresent, vm.RepPresentUnknown)},
		{t(lang, "access.refused"), accessRefusedText(lang, vm)},
		{t(lang, "status"), word(visitStatuses, vm.Status, lang)},
	}, 80, 8.5)
	if vm.Status != "approved" {
		d.pdf.Ln(1)
		d.paragraph(t(lang, "provisional"), 8, "B", bandColour[schema.BandAmber].fg)
	}
}

// facilityWide writes a visit's facility-wide indicators.
func (r *FacilityReport) facilityWide(d *doc, vm *VisitModel) {
	lang := r.Req.Lang
	d.pdf.Ln(3)
	d.heading(t(lang, "facility.wide"), 11, 12)
	tb := d.newTable([]float64{62, 36, 40, 36}, 7.5, t(lang, "indicator"), t(lang, "value"), t(lang, "standard"), t(lang, "assessment"))
	started := false
	for _, a := range vm.Aggregates {
		if !a.Applicable {
			continue
		}
		src := r.source(a.Indicator)
		assess := assessmentText(lang, a.Indicator, a.Band)
		if a.Withheld {
			assess = "—"
		}
		if a.Locations > 0 && len(a.ByBand[schema.BandRed]) > 0 {
			assess += "\n" + redIn(lang, len(a.ByBand[schema.BandRed]), a.Locations)
		}
		cells := []cell{
			{text: a.Indicator.Label.In(lang)},
			{text: aggregateText(lang, a), style: "B", align: "R"},
			{text: standardText(lang, a.Indicator) + cite(src), cites: []*Source{src}},
			{text: assess, band: a.Band, align: "C"},
		}
		if !started {
			tb.start(cells)
			started = true
		}
		tb.row(cells...)
	}
	if !started {
		d.paragraph(t(lang, "band.na"), 8, "", colMuted)
	}
}

// parseTime reads a stored RFC 3339 time; zero when it is not one.
func parseTime(s string) time.Time {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return tm
}

func yesNo(lang string, b bool) string {
	if b {
		return t(lang, "yes")
	}
	return t(lang, "no")
}

// accessRefusedOrDelayed says whether access was refused or delayed at a
// visit, as the annual report counts it: yes when the visit's flag says so,
// an obstruction was recorded, or the checklist's details of a refusal were
// answered. unknown: none of that, the flag never set and nothing of the
// visit's access section recorded either (times at the gate, team size, the
// representative at interviews): nothing was recorded of the visit's
// access, which is not a "No" anybody gave.
func accessRefusedOrDelayed(vm *VisitModel) (yes, unknown bool) {
	details := false
	if v := vm.Values["access_refused_details"]; v != nil && ((v.Value != nil && v.Value != "") || v.Withheld || v.Source == review.ValueUnresolved) {
		details = true
	}
	obstructed := vm.Access != nil && (vm.Access.AnyRefused() || vm.Access.AnyDelayed())
	yes = vm.AccessRefused || obstructed || details
	recorded := !vm.AccessRefusedUnknown || vm.ArrivedAt != "" || vm.AdmittedAt != "" || vm.TeamSizeEntered != nil ||
		vm.RepInInterviews != "" || vm.Access != nil && len(vm.Access.Obstructions) > 0
	return yes, !yes && !recorded
}

// accessRefusedText says accessRefusedOrDelayed in words: "not recorded"
// when nothing was recorded of the visit's access.
func accessRefusedText(lang string, vm *VisitModel) string {
	yes, unknown := accessRefusedOrDelayed(vm)
	return yesNoRecorded(lang, yes, unknown)
}

// accessUnknown reports whether nothing was recorded of a visit's access
// (accessRefusedOrDelayed).
func accessUnknown(vm *VisitModel) bool {
	_, unknown := accessRefusedOrDelayed(vm)
	return unknown
}

// yesNoRecorded is yesNo for a yes/no field a visit may never have set:
// "not recorded" then, never a "No" nobody answered.
func yesNoRecorded(lang string, b, unknown bool) string {
	if unknown {
		return t(lang, "not.recorded")
	}
	return yesNo(lang, b)
}

// location writes one location: its indicators against the standards, its
// measurements, its findings in sentences, what is unresolved and the notes
// cleared for publication.
func (r *FacilityReport) location(d *doc, vm *VisitModel, lm *LocationModel) {
	lang := r.Req.Lang
	title := lm.Label
	if title == "" {
		title = word(locationKinds, lm.Kind, lang)
	}
	sub := word(locationKinds, lm.Kind, lang)
	if v := lm.Values["location_type"]; v != nil && v.Value != nil {
		if it, ok := vm.Template.Item("location_type"); ok {
			sub = valueText(lang, r.Zone, it, v.Value)
		}
	}
	d.pdf.Ln(2)
	d.font("B", 10)
	d.ensure(30)
	d.pdf.SetX(marginL)
	d.colour(colAccent)
	d.pdf.CellFormat(d.pdf.GetStringWidth(clean(title))+2, 6, clean(title), "", 0, "L", false, 0, "")
	d.font("", 8.5)
	d.colour(colMuted)
	d.pdf.CellFormat(0, 6, "  "+d.fit(sub, contentW-d.pdf.GetStringWidth(title)-6), "", 1, "L", false, 0, "")
	d.colour(colText)

	tb := d.newTable([]float64{70, 34, 40, 30}, 7.5, t(lang, "indicator"), t(lang, "value"), t(lang, "standard"), t(lang, "assessment"))
	started := false
	for _, res := range lm.Indicators {
		if !res.Applicable && !lm.Hidden[res.ID] {
			continue
		}
		ind, _ := vm.Template.Indicator(res.ID)
		src := r.source(ind)
		val := locationIndicatorText(lang, lm, ind, res)
		band, assess := res.Band, assessmentText(lang, ind, res.Band)
		if lm.Hidden[ind.ID] {
			band, assess = "", "—" // the band would narrow the count down
		}
		cells := []cell{
			{text: ind.Label.In(lang)},
			{text: val, style: "B", align: "R"},
			{text: standardText(lang, ind) + cite(src), cites: []*Source{src}},
			{text: assess, band: band, align: "C"},
		}
		if !started {
			tb.start(cells)
			started = true
		}
		tb.row(cells...)
	}
	d.pdf.Ln(1.5)
	r.scopeAnswers(d, vm.Template, schema.ScopeLocation, lm.Values)
	r.photos(d, lm.Photos)
}

// scopeAnswers writes the answers of one scope (the visit, or a location):
// measurements in a grid, yes/no and choice answers as sentences (problems
// in bold), text answers (withheld unless cleared), unresolved items and
// cleared notes.
func (r *FacilityReport) scopeAnswers(d *doc, tmpl *schema.Template, scope string, vals map[string]*review.ReportValue) {
	lang := r.Req.Lang
	var measures [][2]string
	var findings []richRun
	var texts [][2]string
	var unresolved []string
	var notes [][2]string
	for i := range tmpl.Items {
		it := &tmpl.Items[i]
		if it.Scope != scope || it.ID == "location_type" {
			continue
		}
		v := vals[it.ID]
		if v == nil {
			continue
		}
		label := it.Label.In(lang)
		for _, n := range v.Notes {
			notes = append(notes, [2]string{label, n})
		}
		switch {
		case v.Source == review.ValueUnresolved:
			s := label
			if shown := candidatesText(lang, r.Zone, it, v.Candidates); shown != "" {
				s += " (" + shown + ")"
			}
			unresolved = append(unresolved, s)
		case v.Withheld:
			texts = append(texts, [2]string{label, t(lang, "withheld")})
		case v.Value == nil:
		case it.Numeric() || it.Type == schema.TypeDateTime || it.Type == schema.TypeDate || it.Type == schema.TypeTime || it.Type == schema.TypeMulti:
			measures = append(measures, [2]string{label, valueText(lang, r.Zone, it, v.Value)})
		case it.Type == schema.TypeYesNo || it.Type == schema.TypeChoice:
			if s, adverse, ok := findingSentence(lang, tmpl, it, v.Value); ok {
				run := richRun{text: s + " "}
				if adverse {
					run.style = "B"
					run.colour = ptr(bandColour[schema.BandRed].fg)
				}
				findings = append(findings, run)
			}
		case it.Type == schema.TypeText:
			if s, _ := v.Value.(string); strings.TrimSpace(s) != "" {
				texts = append(texts, [2]string{label, s})
			}
		}
	}
	if len(measures) > 0 {
		tb := d.newTable([]float64{58, 29, 58, 29}, 7)
		for i := 0; i < len(measures); i += 2 {
			cells := []cell{{text: measures[i][0], fg: &colMuted}, {text: measures[i][1], style: "B"}}
			if i+1 < len(measures) {
				cells = append(cells, cell{text: measures[i+1][0], fg: &colMuted}, cell{text: measures[i+1][1], style: "B"})
			} else {
				cells = append(cells, cell{}, cell{})
			}
			tb.row(cells...)
		}
		d.pdf.Ln(1.5)
	}
	if len(findings) > 0 {
		d.ensure(8)
		d.writeRich(8, findings)
		d.pdf.Ln(1)
	}
	for _, tx := range texts {
		d.ensure(8)
		d.writeRich(8, []richRun{{text: tx[0] + ": ", style: "B"}, {text: tx[1]}})
	}
	if len(unresolved) > 0 {
		d.ensure(8)
		d.writeRich(8, []richRun{{text: t(lang, "unresolved") + ": ", style: "B", colour: ptr(bandColour[schema.BandAmber].fg)},
			{text: strings.Join(unresolved, "; ") + "."}})
	}
	for _, n := range notes {
		d.ensure(8)
		d.writeRich(7.5, []richRun{{text: t(lang, "note") + " — " + n[0] + ": ", style: "B", colour: &colMuted}, {text: n[1]}})
	}
}

// recommendations writes every recommendation with its status history.
func (r *FacilityReport) recommendations(d *doc) {
	lang := r.Req.Lang
	d.heading(t(lang, "recommendations"), 15, 20)
	if len(r.Recommendations) == 0 {
		d.paragraph(t(lang, "recs.none"), 9, "", colText)
		return
	}
	d.paragraph(tf(lang, "recs.asof", r.date(r.Req.Now)), 8, "", colMuted)
	d.pdf.Ln(2)
	tb := d.newTable([]float64{10, 24, 86, 54}, 7.5, t(lang, "rank"), t(lang, "made.at"), t(lang, "recommendation"), t(lang, "history"))
	for i, rec := range r.Recommendations {
		text := rec.Text
		if rec.TextWithheld {
			text = t(lang, "withheld")
		}
		var meta []string
		if rec.Category != "" {
			meta = append(meta, t(lang, "category")+": "+rec.Category)
		}
		if rec.Addressee != "" {
			meta = append(meta, t(lang, "addressee")+": "+rec.Addressee)
		}
		if len(meta) > 0 {
			text += "\n" + strings.Join(meta, " · ")
		}
		cells := []cell{
			{text: fmt.Sprint(i + 1), align: "R"},
			{text: r.date(r.visitStarted[rec.VisitID])},
			{text: text},
			{text: r.historyText(rec), band: recommendationBand(rec.Status)},
		}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
}

// historyText lists a recommendation's statuses, oldest first, each dated by
// the visit where it was checked (else the day it was recorded).
func (r *FacilityReport) historyText(rec *store.ReportRecommendation) string {
	lang := r.Req.Lang
	var lines []string
	for i, h := range rec.History {
		when := r.visitStarted[h.VisitID]
		if when.IsZero() && i == 0 {
			when = r.visitStarted[rec.VisitID]
		}
		line := word(recommendationStatuses, h.Status, lang)
		if !when.IsZero() {
			line = r.date(when) + ": " + line
		} else if ct := parseTime(h.ChangedAt); !ct.IsZero() {
			line = r.date(ct) + ": " + line
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, word(recommendationStatuses, rec.Status, lang))
	}
	return strings.Join(lines, "\n")
}

// recommendationBand colours a recommendation's current status.
func recommendationBand(status string) string {
	switch status {
	case "implemented":
		return schema.BandGreen
	case "not_implemented":
		return schema.BandRed
	case "open", "in_progress":
		return schema.BandAmber
	}
	return schema.BandContext
}

// annex lists the standards cited in full, and how the report is made.
func annex(d *doc, sources []*Source) {
	lang := d.lang
	d.heading(t(lang, "annex"), 15, 20)
	for _, s := range sources {
		var names []string
		for _, ind := range s.Indicators {
			names = append(names, ind.Label.In(lang))
		}
		d.ensure(14)
		d.writeRich(8.5, []richRun{{text: fmt.Sprintf("[%d] ", s.N), style: "B", colour: &colAccent},
			{text: strings.Join(names, "; "), style: "B"}})
		d.paragraph(s.Text.In(lang), 8, "", colText)
		d.pdf.Ln(2.5)
	}
	d.pdf.Ln(4)
	d.heading(t(lang, "annex.method"), 12, 15)
	d.paragraph(t(lang, "method.text"), 8.5, "", colText)
	d.pdf.Ln(2)
	d.paragraph(t(lang, "confidential.text"), 8.5, "", colText)
	d.pdf.Ln(2)
	d.paragraph(t(lang, "legend"), 8, "", colMuted)
}

// trends writes, when the period holds more visits than the summary's
// columns, every indicator across every visit: the value, coloured by band.
func (r *FacilityReport) trends(d *doc) {
	const perTable = 8
	lang := r.Req.Lang
	if len(r.Visits) <= 4 || len(r.Summary) == 0 {
		return
	}
	d.pdf.Ln(5)
	d.heading(t(lang, "trends"), 12, 30)
	for from := 0; from < len(r.Visits); from += perTable {
		to := min(from+perTable, len(r.Visits))
		n := to - from
		colW := 17.0
		widths := append([]float64{contentW - colW*float64(n)}, repeat(colW, n)...)
		header := []string{t(lang, "indicator")}
		for _, vm := range r.Visits[from:to] {
			header = append(header, r.date(vm.Started))
		}
		tb := d.newTable(widths, 6.5, header...)
		for i, line := range r.Summary {
			cells := []cell{{text: line.Indicator.Label.In(lang) + cite(line.Source), cites: []*Source{line.Source}}}
			for k, a := range line.PerVisit[from:to] {
				c := trendCell(lang, a)
				if line.Differs(from + k) {
					// Judged by another standard than the row's: its own source.
					src := line.VisitSources[from+k]
					c.text += cite(src)
					c.cites = append(c.cites, src)
				}
				cells = append(cells, c)
			}
			if i == 0 {
				tb.start(cells)
			}
			tb.row(cells...)
		}
		d.pdf.Ln(3)
	}
}

// trendCell is an indicator at one visit in a trend table: its value (or
// the band alone when withheld), marked when counted from an unresolved value.
func trendCell(lang string, a *Aggregate) cell {
	if a == nil || !a.Applicable {
		return cell{text: "—", align: "C", fg: &colMuted}
	}
	if a.Withheld {
		return cell{text: "—", align: "C", fg: &colMuted}
	}
	text := t(lang, "no.toilet.short")
	if a.Value != nil {
		text = formatNumber(lang, *a.Value)
	}
	if len(a.Unresolved) > 0 {
		text += "\n" + t(lang, "unresolved.short")
	}
	return cell{text: text, band: a.Band, align: "C"}
}

// photos prints the cleared photos of a place (or of the visit) two to a
// row, each with its caption and the date it was taken. Photos nobody
// cleared never reach this point (store.reportPhotos).
func (r *FacilityReport) photos(d *doc, photos []*PhotoModel) {
	if len(photos) == 0 {
		return
	}
	lang := r.Req.Lang
	const gap, capH = 6.0, 9.0
	w := (contentW - gap) / 2
	d.pdf.Ln(1)
	d.font("B", 8.5)
	d.ensure(8 + 40)
	d.pdf.SetX(marginL)
	d.pdf.CellFormat(contentW, 5, t(lang, "photos"), "", 1, "L", false, 0, "")
	for i := 0; i < len(photos); i += 2 {
		row := photos[i:min(i+2, len(photos))]
		rowH := 0.0
		for _, p := range row {
			rowH = max(rowH, w*float64(p.Height)/float64(max(p.Width, 1)))
		}
		d.ensure(rowH + capH + 2)
		y := d.pdf.GetY()
		for j, p := range row {
			x := marginL + float64(j)*(w+gap)
			typ := "JPG"
			if p.ContentType == "image/png" {
				typ = "PNG"
			}
			opts := gofpdf.ImageOptions{ImageType: typ}
			name := "photo-" + p.ID
			d.pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(p.Data))
			h := w * float64(p.Height) / float64(max(p.Width, 1))
			d.pdf.ImageOptions(name, x, y, w, h, false, opts, 0, "")
			d.font("", 7.5)
			d.colour(colMuted)
			d.pdf.SetXY(x, y+h+0.8)
			caption := formatDateIn(lang, parseTime(p.TakenAt), r.Zone)
			if p.Caption != "" {
				caption = p.Caption + " · " + caption
			}
			d.pdf.MultiCell(w, 3.6, clean(caption), "", "L", false)
			d.colour(colText)
		}
		d.pdf.SetXY(marginL, y+rowH+capH+2)
	}
}
