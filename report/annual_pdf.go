package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"inspecta/schema"
)

var (
	colPrev = rgb{170, 180, 195} // the previous period's bars
	colCurr = colAccent          // this period's bars
)

// regionList names the report's regions, or "all regions".
func (ar *AnnualReport) regionList(lang string) string {
	if len(ar.Regions) == len(schema.Regions) {
		return t(lang, "annual.all.regions")
	}
	names := make([]string, len(ar.Regions))
	for i, r := range ar.Regions {
		names[i] = r.Name.In(lang)
	}
	return strings.Join(names, ", ")
}

// WritePDF renders the annual report as an A4 PDF.
func (ar *AnnualReport) WritePDF(w io.Writer) error {
	lang := ar.Req.Lang
	title := t(lang, "title.annual")
	d := newDoc(lang, title+": "+ar.Req.periodText(), title, ar.Req.GeneratedBy, ar.Req.Now)
	d.headerText = title + " · " + ar.Req.periodText()
	d.headerRight = ar.regionList(lang)
	d.footerLeft = "Inspecta · " + formatDate(lang, ar.Req.Now)
	if ar.Demo {
		d.footerLeft = t(lang, "demo")
	}
	if ar.Provisional() {
		d.footerLeft = t(lang, "provisional.footer") + " · " + d.footerLeft
	}
	d.pdf.AddPage()
	ar.cover(d)
	d.pdf.AddPage()
	ar.visits(d)
	ar.obstructions(d)
	d.pdf.Ln(6)
	ar.standards(d)
	ar.recommendations(d)
	ar.worst(d)
	ar.method(d)
	return d.output(w)
}

func (ar *AnnualReport) cover(d *doc) {
	lang, pdf := ar.Req.Lang, d.pdf
	pdf.SetY(24)
	d.orgHeader(ar.Req.Org)
	pdf.Ln(6)
	d.font("B", 22)
	d.colour(colAccent)
	pdf.MultiCell(contentW, 10, t(lang, "title.annual"), "", "L", false)
	pdf.Ln(2)
	d.font("B", 15)
	d.colour(colText)
	pdf.MultiCell(contentW, 7.5, ar.Req.periodText(), "", "L", false)
	pdf.Ln(4)
	if ar.Demo {
		demoBanner(d, lang)
	}
	registered, visited, visits := 0, 0, 0
	for _, rv := range ar.VisitsByRegion {
		registered += rv.Registered
		visited += rv.Facilities
		visits += rv.Total
	}
	unapprovedKey := "annual.unapproved.left"
	if ar.Req.IncludeUnapproved {
		unapprovedKey = "annual.unapproved.in"
	}
	d.keyValue([][2]string{
		{t(lang, "annual.regions"), ar.regionList(lang)},
		{t(lang, "period"), ar.Req.periodText()},
		{t(lang, "annual.previous"), ar.Previous.periodText()},
		{t(lang, "annual.facilities"), fmt.Sprintf("%d / %d", visited, registered)},
		{t(lang, "visits.count"), fmt.Sprint(visits)},
		{t(lang, "annual.obstructions"), fmt.Sprint(len(ar.Obstructions))},
		{t(lang, "annual.recs.made"), fmt.Sprint(ar.Recs.Made)},
		{t(lang, unapprovedKey), fmt.Sprint(ar.Unapproved)},
		{t(lang, "language"), t(lang, "lang.name")},
		{t(lang, "generated.on"), formatDate(lang, ar.Req.Now) + " " + ar.Req.Now.In(kzTime).Format("15:04")},
		{t(lang, "generated.by"), dash(ar.Req.GeneratedBy)},
	}, 70, 9.5)
	confidentialityBox(d, lang)
}

func (ar *AnnualReport) visits(d *doc) {
	lang := ar.Req.Lang
	d.heading(t(lang, "annual.h.visits"), 13, 25)
	kinds := []string{"regular", "special", "follow_up"}
	tb := d.newTable([]float64{58, 22, 22, 22, 18, 32}, 8,
		t(lang, "region"), word(visitKinds, "regular", lang), word(visitKinds, "special", lang),
		word(visitKinds, "follow_up", lang), t(lang, "annual.total"), t(lang, "annual.facilities.short"))
	tb.zebra = true
	totals := map[string]int{}
	total, visited, registered := 0, 0, 0
	for i, rv := range ar.VisitsByRegion {
		cells := []cell{{text: rv.Region.Name.In(lang)}}
		for _, k := range kinds {
			cells = append(cells, cell{text: fmt.Sprint(rv.ByKind[k]), align: "R"})
			totals[k] += rv.ByKind[k]
		}
		cells = append(cells, cell{text: fmt.Sprint(rv.Total), align: "R", style: "B"},
			cell{text: fmt.Sprintf("%d / %d", rv.Facilities, rv.Registered), align: "R"})
		total, visited, registered = total+rv.Total, visited+rv.Facilities, registered+rv.Registered
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
	if len(ar.VisitsByRegion) == 0 {
		d.paragraph(t(lang, "no.facilities"), 9, "B", colText)
	} else {
		cells := []cell{{text: t(lang, "annual.total"), style: "B"}}
		for _, k := range kinds {
			cells = append(cells, cell{text: fmt.Sprint(totals[k]), align: "R", style: "B"})
		}
		cells = append(cells, cell{text: fmt.Sprint(total), align: "R", style: "B"},
			cell{text: fmt.Sprintf("%d / %d", visited, registered), align: "R", style: "B"})
		tb.row(cells...)
	}
	d.pdf.Ln(4)
	if len(ar.VisitsByType) > 0 {
		d.heading(t(lang, "annual.h.bytype"), 10.5, 15)
		var labels []string
		var values []float64
		for _, c := range ar.VisitsByType {
			labels = append(labels, word(facilityTypes, c.Code, lang))
			values = append(values, float64(c.Count))
		}
		d.barChart(labels, [][]float64{values}, nil, []rgb{colCurr})
	}
}

func (ar *AnnualReport) obstructions(d *doc) {
	lang := ar.Req.Lang
	d.pdf.Ln(4)
	d.heading(t(lang, "annual.h.obstructions"), 13, 20)
	d.paragraph(t(lang, "annual.obstructions.note"), 7.5, "", colMuted)
	d.pdf.Ln(2)
	if len(ar.Obstructions) == 0 {
		d.paragraph(t(lang, "annual.obstructions.none"), 9, "B", colText)
		return
	}
	tb := d.newTable([]float64{24, 78, 42, 30}, 8, t(lang, "annual.date"), t(lang, "facility"), t(lang, "region"), t(lang, "annual.what"))
	tb.zebra = true
	for i, o := range ar.Obstructions {
		what := []string{}
		if a := o.Visit.Access; a.AnyRefused() {
			what = append(what, t(lang, "access.refused.by")+": "+byTarget(lang, a.Refused))
		} else if o.Refused {
			what = append(what, t(lang, "annual.refused"))
		}
		if a := o.Visit.Access; total(a.Delayed) > 0 {
			what = append(what, t(lang, "access.delayed.by")+": "+byTarget(lang, a.Delayed))
		}
		if w := o.Visit.Access.WaitMinutes; w != nil && *w > 0 {
			what = append(what, t(lang, "access.wait")+": "+minutesText(lang, w))
		}
		if o.Details {
			what = append(what, t(lang, "annual.details"))
		}
		region := o.Facility.Region
		if reg, ok := schema.RegionByCode(region); ok {
			region = reg.Name.In(lang)
		}
		cells := []cell{{text: formatDateIn(lang, o.Visit.Started, regionZone(o.Facility.Region))}, {text: o.Facility.Name}, {text: region}, {text: strings.Join(what, "; ")}}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
}

func (ar *AnnualReport) standards(d *doc) {
	lang := ar.Req.Lang
	d.heading(t(lang, "annual.h.standards"), 13, 30)
	d.paragraph(tf(lang, "annual.standards.note", ar.Previous.periodText()), 7.5, "", colMuted)
	d.pdf.Ln(2)
	tb := d.newTable([]float64{62, 38, 38, 36}, 8.5, t(lang, "annual.standard"),
		t(lang, "annual.prev.col"), t(lang, "annual.curr.col"), t(lang, "annual.change"))
	var labels []string
	var prev, curr []float64
	for i, s := range ar.Standards {
		change := "—"
		if s.Assessed > 0 && s.PrevAsses > 0 {
			// The share is the fair comparison when a different number of
			// facilities was assessed; the count follows it.
			change = tf(lang, "annual.change.text", signedPoints(lang, share(s.Below, s.Assessed)-share(s.PrevBelow, s.PrevAsses)), signed(s.Below-s.PrevBelow))
		} else if s.Assessed > 0 {
			change = t(lang, "annual.no.prev")
		}
		band := ""
		if s.Assessed > 0 && s.PrevAsses > 0 {
			switch {
			case share(s.Below, s.Assessed) > share(s.PrevBelow, s.PrevAsses):
				band = schema.BandRed
			case share(s.Below, s.Assessed) < share(s.PrevBelow, s.PrevAsses):
				band = schema.BandGreen
			}
		}
		cells := []cell{{text: t(lang, "annual.std."+s.ID), style: "B"},
			{text: belowText(lang, s.PrevBelow, s.PrevAsses, s.PrevNotJudged), align: "C"},
			{text: belowText(lang, s.Below, s.Assessed, s.NotJudged), align: "C"},
			{text: change, align: "C", band: band}}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
		labels = append(labels, t(lang, "annual.std."+s.ID))
		prev = append(prev, float64(s.PrevBelow))
		curr = append(curr, float64(s.Below))
	}
	d.pdf.Ln(3)
	d.heading(t(lang, "annual.h.chart.standards"), 10, 40)
	d.barChart(labels, [][]float64{prev, curr}, []string{ar.Previous.periodText(), ar.Req.periodText()}, []rgb{colPrev, colCurr})
	d.pdf.Ln(2)
	for _, s := range ar.Standards {
		if len(s.Names) == 0 {
			continue
		}
		d.paragraph(t(lang, "annual.std."+s.ID)+": "+strings.Join(s.Names, "; "), 7.5, "", colText)
		d.pdf.Ln(1)
	}
}

func (ar *AnnualReport) recommendations(d *doc) {
	lang, r := ar.Req.Lang, ar.Recs
	d.pdf.Ln(4)
	d.heading(t(lang, "annual.h.recs"), 13, 40)
	d.paragraph(t(lang, "annual.recs.note"), 7.5, "", colMuted)
	d.pdf.Ln(2)
	tb := d.newTable([]float64{90, 30, 54}, 9, t(lang, "annual.status"), t(lang, "annual.count"), t(lang, "annual.rate"))
	rows := []struct {
		key string
		n   int
	}{
		{"annual.recs.implemented", r.Implemented}, {"annual.recs.partly", r.Partly},
		{"annual.recs.not", r.NotImplemented}, {"annual.recs.open", r.Open}, {"annual.recs.superseded", r.Superseded},
	}
	first := []cell{{text: t(lang, "annual.recs.made"), style: "B"}, {text: fmt.Sprint(r.Made), align: "R", style: "B"}, {text: ""}}
	tb.start(first)
	tb.row(first...)
	for _, row := range rows {
		rate := "—"
		if row.key != "annual.recs.superseded" && r.Rate(row.n) >= 0 {
			rate = percent(lang, r.Rate(row.n))
		}
		tb.row(cell{text: t(lang, row.key)}, cell{text: fmt.Sprint(row.n), align: "R"}, cell{text: rate, align: "R"})
	}
	if r.Made > 0 {
		d.pdf.Ln(3)
		labels := make([]string, len(rows))
		values := make([]float64, len(rows))
		for i, row := range rows {
			labels[i], values[i] = t(lang, row.key), float64(row.n)
		}
		d.barChart(labels, [][]float64{values}, nil, []rgb{colCurr})
	}
}

func (ar *AnnualReport) worst(d *doc) {
	lang := ar.Req.Lang
	d.pdf.Ln(4)
	d.heading(t(lang, "annual.h.worst"), 13, 30)
	d.paragraph(t(lang, "legend"), 7, "", colMuted)
	d.pdf.Ln(2)
	if len(ar.Worst) == 0 {
		d.paragraph(t(lang, "annual.worst.none"), 9, "B", colText)
		return
	}
	tb := d.newTable([]float64{8, 52, 24, 16, 74}, 7.5,
		t(lang, "rank"), t(lang, "facility"), t(lang, "latest.visit"), t(lang, "red.amber"), t(lang, "worst"))
	for i, f := range ar.Worst {
		latest := f.Latest()
		s := severity(f)
		band := schema.BandAmber
		if s[1] > 0 {
			band = schema.BandRed
		}
		var worst []string
		for k, a := range worstAggregates(latest) {
			if k == 4 {
				break
			}
			worst = append(worst, fmt.Sprintf("%s: %s (%s)", a.Indicator.Label.In(lang), aggregateText(lang, a), assessmentInline(lang, a.Indicator, a.Band)))
		}
		region := f.RegionName
		cells := []cell{{text: fmt.Sprint(i + 1), align: "R"},
			{text: f.Facility.Name + "\n" + region},
			{text: f.date(latest.Started)},
			{text: fmt.Sprintf("%d / %d", s[1], s[2]), band: band, align: "C", style: "B"},
			{text: strings.Join(worst, "\n")}}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
}

func (ar *AnnualReport) method(d *doc) {
	lang := ar.Req.Lang
	d.pdf.Ln(4)
	d.heading(t(lang, "annual.h.method"), 11, 15)
	d.paragraph(t(lang, "annual.method"), 7.5, "", colText)
}

// barChart draws horizontal bars: one group per label, one bar per series,
// the value printed at the bar's end, with a legend when series are named.
func (d *doc) barChart(labels []string, series [][]float64, names []string, colours []rgb) {
	pdf := d.pdf
	const labelW, barH, gap = 58.0, 4.2, 2.4
	groupH := float64(len(series))*barH + gap
	legendH := 0.0
	if len(names) > 0 {
		legendH = 7
	}
	d.ensure(float64(len(labels))*groupH + legendH + 4)
	maxV := 1.0
	for _, s := range series {
		for _, v := range s {
			maxV = math.Max(maxV, v)
		}
	}
	barW := contentW - labelW - 14
	y := pdf.GetY() + 1
	pdf.SetLineWidth(0.2)
	for i, label := range labels {
		d.font("", 7.5)
		d.colour(colText)
		pdf.SetXY(marginL, y)
		pdf.CellFormat(labelW-2, groupH-gap, d.fit(label, labelW-2), "", 0, "R", false, 0, "")
		for k, s := range series {
			c := colours[k%len(colours)]
			w := barW * s[i] / maxV
			pdf.SetFillColor(c.r, c.g, c.b)
			if w > 0 {
				pdf.Rect(marginL+labelW, y+float64(k)*barH, w, barH-0.6, "F")
			}
			d.font("", 7)
			d.colour(colMuted)
			pdf.SetXY(marginL+labelW+w+1, y+float64(k)*barH)
			pdf.CellFormat(12, barH-0.6, formatNumber(d.lang, s[i]), "", 0, "L", false, 0, "")
		}
		y += groupH
	}
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.Line(marginL+labelW, pdf.GetY()-float64(len(labels))*groupH+groupH-1, marginL+labelW, y-gap+0.5)
	if len(names) > 0 {
		x := marginL + labelW
		for k, n := range names {
			c := colours[k%len(colours)]
			pdf.SetFillColor(c.r, c.g, c.b)
			pdf.Rect(x, y+1.2, 4, 3, "F")
			d.font("", 7.5)
			d.colour(colText)
			pdf.SetXY(x+5, y+0.8)
			w := pdf.GetStringWidth(n) + 8
			pdf.CellFormat(w, 4, n, "", 0, "L", false, 0, "")
			x += w + 5
		}
		y += legendH
	}
	d.colour(colText)
	pdf.SetXY(marginL, y+1)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// belowText is a period's count of facilities below a standard, of those
// judged, with those shown for comparison only on a line of their own.
func belowText(lang string, below, assessed, notJudged int) string {
	s := t(lang, "annual.not.assessed")
	if assessed > 0 {
		s = tf(lang, "annual.below.of", below, assessed)
	}
	if notJudged > 0 {
		s += "\n" + tf(lang, "not.judged", notJudged)
	}
	return s
}

func signed(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	if n < 0 {
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

// signedPoints is a change of share in percentage points.
func signedPoints(lang string, delta float64) string {
	p := math.Round(delta * 100)
	s := formatNumber(lang, math.Abs(p)) + " " + t(lang, "annual.pp")
	switch {
	case p > 0:
		return "+" + s
	case p < 0:
		return "−" + s
	}
	return "0 " + t(lang, "annual.pp")
}

func percent(lang string, r float64) string {
	return formatNumber(lang, math.Round(r*100)) + " %"
}
