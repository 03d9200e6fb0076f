package report

import (
	"math"

	"inspecta/schema"
)

// chartIndicators are the key indicators drawn across visits, in order (a
// police checklist judges its cells by space_per_person_police).
var chartIndicators = []string{"space_per_person", "space_per_person_police", "occupancy_rate", "lowest_temperature"}

// chart draws one line chart per key indicator: its facility-wide value at
// each visit of the period, points coloured by band, the standard dashed.
// The panel states the latest visit's standard; visits whose checklist gives
// the indicator another standard or source are named with their own.
func (r *FacilityReport) chart(d *doc) {
	lang := r.Req.Lang
	type series struct {
		line *SummaryLine
		aggs []*Aggregate
	}
	var all []series
	for _, id := range chartIndicators {
		line := r.summaryLine(id)
		if line == nil {
			continue
		}
		s := series{line: line, aggs: make([]*Aggregate, len(r.Visits))}
		has := false
		for i, a := range line.PerVisit {
			if a != nil && a.Value != nil {
				s.aggs[i] = a
				has = true
			}
		}
		if has {
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return
	}
	const panelH = 62.0
	d.pdf.Ln(6)
	d.heading(t(lang, "chart"), 13, panelH+8)
	note := t(lang, "chart.note")
	for _, s := range all {
		for _, a := range s.aggs {
			if a != nil && len(a.Unresolved) > 0 {
				note = t(lang, "chart.note") + " " + t(lang, "chart.unresolved")
			}
		}
	}
	d.paragraph(note, 7.5, "", colMuted)
	d.pdf.Ln(2)
	for _, s := range all {
		others, cites := r.otherStandards(s.line, s.aggs)
		d.ensure(panelH+3, append([]*Source{s.line.Source}, cites...)...)
		top := d.pdf.GetY()
		r.drawPanel(d, s.line, s.aggs, others, top, panelH)
		d.pdf.SetXY(marginL, top+panelH+3)
	}
}

// summaryLine returns the summary line of an indicator, or nil.
func (r *FacilityReport) summaryLine(id string) *SummaryLine {
	for _, l := range r.Summary {
		if l.Indicator.ID == id {
			return l
		}
	}
	return nil
}

// otherStandards words the standards, other than the line's, that the
// charted visits were judged by, one per standard with the dates of its
// visits ("Standard (18.01.2023): ≥ 4 m²/person [1]"), and the sources they cite.
func (r *FacilityReport) otherStandards(line *SummaryLine, aggs []*Aggregate) ([]string, []*Source) {
	lang := r.Req.Lang
	var order []string
	dates := map[string][]string{}
	var cites []*Source
	for i, a := range aggs {
		if a == nil || !line.Differs(i) {
			continue
		}
		std := standardText(lang, a.Indicator) + cite(line.VisitSources[i])
		if _, seen := dates[std]; !seen {
			order = append(order, std)
			cites = append(cites, line.VisitSources[i])
		}
		dates[std] = append(dates[std], r.date(r.Visits[i].Started))
	}
	out := make([]string, len(order))
	for k, std := range order {
		out[k] = t(lang, "standard") + " (" + locationList(dates[std], 4) + "): " + std
	}
	return out, cites
}

// drawPanel draws one indicator's chart. The header states the line's
// standard (the latest visit's) and others, the standards other visits
// were judged by.
func (r *FacilityReport) drawPanel(d *doc, line *SummaryLine, aggs []*Aggregate, others []string, top, h float64) {
	lang := r.Req.Lang
	pdf := d.pdf
	ind, src := line.Indicator, line.Source
	// standardAt is the indicator visit i was judged by (the line's where
	// it does not apply).
	standardAt := func(i int) *schema.Indicator {
		if a := line.PerVisit[i]; a != nil {
			return a.Indicator
		}
		return ind
	}
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.SetLineWidth(0.2)
	pdf.Rect(marginL, top, contentW, h, "D")

	title := ind.Label.In(lang)
	if ind.UnitLabel != nil {
		title += ", " + ind.UnitLabel.In(lang)
	}
	d.font("B", 8.5)
	d.colour(colText)
	pdf.SetXY(marginL+3, top+2)
	pdf.CellFormat(contentW-60, 4.5, d.fit(title, contentW-60), "", 0, "L", false, 0, "")
	d.font("", 7.5)
	d.colour(colMuted)
	pdf.CellFormat(54, 4.5, t(lang, "standard")+": "+standardText(lang, ind)+cite(src), "", 0, "R", false, 0, "")
	d.font("", 6.5)
	for k, o := range others {
		pdf.SetXY(marginL+3, top+6.5+float64(k)*3.2)
		pdf.CellFormat(contentW-6, 3.2, d.fit(o, contentW-6), "", 0, "R", false, 0, "")
	}

	px0, px1 := marginL+16, marginL+contentW-8
	py0, py1 := top+11+3.2*float64(len(others)), top+h-11

	// Y range: the values and the threshold, from zero for ratios.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range aggs {
		if a != nil {
			lo, hi = math.Min(lo, *a.Value), math.Max(hi, *a.Value)
		}
	}
	for i := range aggs {
		if th := standardAt(i).Threshold; th != nil {
			lo, hi = math.Min(lo, *th), math.Max(hi, *th)
		}
	}
	if ind.Formula.Op == schema.OpRatio && lo > 0 {
		lo = 0
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	}
	dataLo, dataHi := lo, hi
	step := niceStep((hi - lo) / 4)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	// Leave room for the value labels above the highest point and keep the
	// lowest point off the axis (ratios stay anchored at zero).
	if hi-dataHi < step*0.35 {
		hi += step
	}
	if dataLo-lo < step*0.2 && !(ind.Formula.Op == schema.OpRatio && lo == 0) {
		lo -= step
	}
	y := func(v float64) float64 { return py1 - (v-lo)/(hi-lo)*(py1-py0) }

	// Grid and Y labels.
	d.font("", 6.5)
	for v := lo; v <= hi+step/2; v += step {
		yy := y(v)
		pdf.SetDrawColor(225, 225, 225)
		pdf.SetLineWidth(0.15)
		pdf.Line(px0, yy, px1, yy)
		d.colour(colMuted)
		pdf.SetXY(marginL+1, yy-1.5)
		pdf.CellFormat(px0-marginL-3, 3, formatNumber(lang, v), "", 0, "R", false, 0, "")
	}
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.SetLineWidth(0.25)
	pdf.Line(px0, py0, px0, py1)
	pdf.Line(px0, py1, px1, py1)

	// X positions and date labels.
	n := len(aggs)
	x := func(i int) float64 {
		if n == 1 {
			return (px0 + px1) / 2
		}
		return px0 + 4 + float64(i)*(px1-px0-8)/float64(n-1)
	}
	every := 1
	if n > 1 {
		if gap := (px1 - px0 - 8) / float64(n-1); gap < 17 {
			every = int(math.Ceil(17 / gap))
		}
	}
	d.colour(colMuted)
	for i, vm := range r.Visits {
		if i%every != 0 && i != n-1 {
			continue
		}
		pdf.SetXY(x(i)-10, py1+1.5)
		pdf.CellFormat(20, 3, r.date(vm.Started), "", 0, "C", false, 0, "")
	}

	// Each visit's standard, dashed, from halfway to the visit before to
	// halfway to the visit after: where a checklist changed the standard,
	// the line steps, and no point is drawn against another's standard.
	for i := 0; i < n; {
		si := standardAt(i)
		j := i + 1
		for j < n && sameLine(standardAt(j), si) {
			j++
		}
		if si.Threshold != nil {
			xa, xb := px0, px1
			if i > 0 {
				xa = (x(i-1) + x(i)) / 2
			}
			if j < n {
				xb = (x(j-1) + x(j)) / 2
			}
			c := bandLine[schema.BandRed]
			if si.Verify {
				c = bandLine[schema.BandContext]
			}
			pdf.SetDrawColor(c.r, c.g, c.b)
			pdf.SetLineWidth(0.35)
			pdf.SetDashPattern([]float64{1.6, 1.2}, 0)
			pdf.Line(xa, y(*si.Threshold), xb, y(*si.Threshold))
			pdf.SetDashPattern([]float64{}, 0)
		}
		i = j
	}

	// The line, broken where the indicator has no value.
	pdf.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	pdf.SetLineWidth(0.5)
	for i := 1; i < n; i++ {
		if aggs[i-1] != nil && aggs[i] != nil {
			pdf.Line(x(i-1), y(*aggs[i-1].Value), x(i), y(*aggs[i].Value))
		}
	}
	for i, a := range aggs {
		if a == nil {
			continue
		}
		c, ok := bandLine[a.Band]
		if !ok {
			c = bandLine[schema.BandContext]
		}
		pdf.SetFillColor(c.r, c.g, c.b)
		pdf.SetDrawColor(255, 255, 255)
		pdf.SetLineWidth(0.3)
		if len(a.Unresolved) > 0 {
			// Counted at the worst of the members' unresolved values: hollow.
			pdf.SetFillColor(255, 255, 255)
			pdf.SetDrawColor(c.r, c.g, c.b)
			pdf.SetLineWidth(0.5)
		}
		pdf.Circle(x(i), y(*a.Value), 1.3, "FD")
		if n <= 10 {
			d.font("B", 6.5)
			d.colour(c)
			pdf.SetXY(x(i)-10, y(*a.Value)-5)
			pdf.CellFormat(20, 3, formatNumber(lang, *a.Value), "", 0, "C", false, 0, "")
		}
	}
	d.colour(colText)
}

// sameLine reports whether two indicators draw the same standard line.
func sameLine(a, b *schema.Indicator) bool {
	switch {
	case a.Threshold == nil || b.Threshold == nil:
		return a.Threshold == nil && b.Threshold == nil
	}
	return *a.Threshold == *b.Threshold && a.Verify == b.Verify
}

// niceStep rounds a raw step to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	}
	return 10 * p
}
