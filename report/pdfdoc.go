package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"inspecta/assets"
	"inspecta/schema"
	"inspecta/store"
)

// Page geometry of every report, in millimetres (A4 portrait).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 18.0
	marginR      = 18.0
	marginT      = 20.0
	footerH      = 14.0 // room kept for the page number under the text
	contentW     = pageW - marginL - marginR
	fnLineH      = 3.3 // one footnote line
	fnGap        = 3.0 // the rule above the footnotes
	fontFamily   = "DejaVu"
	totalPagesAl = "{nb}"
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	colText    = rgb{25, 25, 25}
	colMuted   = rgb{95, 95, 95}
	colRule    = rgb{170, 170, 170}
	colHeadBg  = rgb{232, 236, 242}
	colAccent  = rgb{31, 73, 125}
	colZebra   = rgb{247, 247, 247}
	bandColour = map[string]struct{ bg, fg rgb }{
		schema.BandRed:     {rgb{248, 203, 203}, rgb{150, 20, 20}},
		schema.BandAmber:   {rgb{252, 228, 176}, rgb{130, 80, 0}},
		schema.BandGreen:   {rgb{205, 235, 205}, rgb{20, 100, 35}},
		schema.BandContext: {rgb{225, 225, 225}, rgb{70, 70, 70}},
	}
	bandLine = map[string]rgb{
		schema.BandRed:     {200, 30, 30},
		schema.BandAmber:   {215, 140, 0},
		schema.BandGreen:   {40, 140, 60},
		schema.BandContext: {120, 120, 120},
	}
)

// doc wraps a gofpdf document with the report's fonts, running header, page
// numbers and per-page footnotes.
type doc struct {
	pdf  *gofpdf.Fpdf
	lang string

	headerText  string // left of the running header; none on the first page
	headerRight string
	footerLeft  string
	// org issues the report: its short name heads every later page.
	org *store.Org

	// footnotes are the sources cited on the current page, in order; the
	// bottom margin grows with them so that text never runs into them.
	footnotes []*Source
	// fnText caches each source's footnote, wrapped to the width, by number.
	fnText map[int][]string

	fontStyle string // the current font, so that measuring can restore it
	fontSize  float64
}

func newDoc(lang, title, subject, author string, created time.Time) *doc {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.AddUTF8FontFromBytes(fontFamily, "", assets.DejaVuSans())
	pdf.AddUTF8FontFromBytes(fontFamily, "B", assets.DejaVuSansBold())
	pdf.SetTitle(title, true)
	pdf.SetSubject(subject, true)
	pdf.SetAuthor(author, true)
	pdf.SetCreator("Inspecta", true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.AliasNbPages(totalPagesAl)
	d := &doc{pdf: pdf, lang: lang, fnText: map[int][]string{}}
	pdf.SetAutoPageBreak(true, footerH)
	pdf.SetHeaderFuncMode(d.header, true)
	pdf.SetFooterFunc(d.footer)
	return d
}

func (d *doc) header() {
	d.footnotes = nil
	d.pdf.SetAutoPageBreak(true, footerH)
	if d.pdf.PageNo() > 1 && d.headerText != "" {
		d.font("", 7.5)
		d.colour(colMuted)
		d.pdf.SetXY(marginL, 9)
		right := d.headerRight
		if d.org.IsSet() {
			right = d.org.ShortNameIn(d.lang) + " · " + right
		}
		rw := min(d.pdf.GetStringWidth(right), contentW/2)
		right = d.fit(right, rw)
		d.pdf.CellFormat(contentW-rw-4, 4, d.fit(d.headerText, contentW-rw-4), "", 0, "L", false, 0, "")
		d.pdf.CellFormat(rw+4, 4, right, "", 0, "R", false, 0, "")
		d.pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
		d.pdf.SetLineWidth(0.2)
		d.pdf.Line(marginL, 14, pageW-marginR, 14)
	}
	d.pdf.SetXY(marginL, marginT)
	d.colour(colText)
}

// orgHeader prints, at the top of a report's first page, the organisation
// that issues it: its logo, name, what it is, address and contact. With no
// settings yet it says so rather than name anyone (an administrator sets
// them on the desk or with "inspecta org set").
func (d *doc) orgHeader(org *store.Org) {
	d.org = org
	pdf := d.pdf
	if !org.IsSet() {
		d.font("", 8.5)
		d.colour(colMuted)
		pdf.MultiCell(contentW, 4.5, t(d.lang, "org.unset"), "", "L", false)
		d.colour(colText)
		return
	}
	top, x := pdf.GetY(), marginL
	const logoH = 16.0
	if len(org.Logo) > 0 {
		opts := gofpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
		info := pdf.RegisterImageOptionsReader("org-logo", opts, bytes.NewReader(org.Logo))
		if pdf.Ok() && info != nil && info.Height() > 0 {
			w := min(logoH*info.Width()/info.Height(), 45)
			pdf.ImageOptions("org-logo", marginL, top, w, 0, false, opts, 0, "")
			x = marginL + w + 4
		}
	}
	w := pageW - marginR - x
	pdf.SetXY(x, top)
	d.font("B", 11)
	d.colour(colText)
	pdf.MultiCell(w, 5, clean(org.NameIn(d.lang)), "", "L", false)
	d.font("", 8.5)
	d.colour(colMuted)
	for _, line := range []string{org.WhatIn(d.lang), org.Address, org.Contact} {
		if line = strings.TrimSpace(line); line != "" {
			pdf.SetX(x)
			pdf.MultiCell(w, 4, clean(line), "", "L", false)
		}
	}
	d.colour(colText)
	if len(org.Logo) > 0 && pdf.GetY() < top+logoH {
		pdf.SetY(top + logoH)
	}
	pdf.SetX(marginL)
}

func (d *doc) footer() {
	pdf := d.pdf
	if len(d.footnotes) > 0 {
		sort.Slice(d.footnotes, func(i, j int) bool { return d.footnotes[i].N < d.footnotes[j].N })
		y := pageH - footerH - float64(d.footnoteLines(d.footnotes))*fnLineH - 1
		pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
		pdf.SetLineWidth(0.2)
		pdf.Line(marginL, y-1.2, marginL+50, y-1.2)
		d.font("", 6.5)
		d.colour(colMuted)
		// A footnote wraps onto as many lines as it needs; none is cut.
		for _, s := range d.footnotes {
			for _, line := range d.footnote(s) {
				pdf.SetXY(marginL, y)
				pdf.CellFormat(contentW, fnLineH, line, "", 0, "L", false, 0, "")
				y += fnLineH
			}
		}
	}
	d.font("", 7.5)
	d.colour(colMuted)
	// The page number takes what it needs; the left text wraps onto a
	// second, smaller line rather than being cut.
	page := fmt.Sprintf(t(d.lang, "page"), pdf.PageNo(), totalPagesAl)
	pw := pdf.GetStringWidth(fmt.Sprintf(t(d.lang, "page"), 999, "999")) + 2
	leftW := contentW - pw
	pdf.SetXY(marginL+leftW, pageH-10)
	pdf.CellFormat(pw, 4, page, "", 0, "R", false, 0, "")
	left := d.lines(d.footerLeft, leftW)
	if len(left) > 1 {
		d.font("", 6.5)
		left = d.lines(d.footerLeft, leftW)
	}
	y := pageH - 10
	if len(left) > 1 {
		y = pageH - 11.5
	}
	for i, l := range left {
		if i == 2 {
			break
		}
		pdf.SetXY(marginL, y+float64(i)*3)
		pdf.CellFormat(leftW, 3, l, "", 0, "L", false, 0, "")
	}
	d.colour(colText)
}

// bottom is the y below which the current page has no room.
func (d *doc) bottom() float64 { return pageH - footerH - d.footnoteSpace(d.footnotes) }

func (d *doc) footnoteSpace(sources []*Source) float64 {
	if len(sources) == 0 {
		return 2
	}
	return float64(d.footnoteLines(sources))*fnLineH + fnGap
}

// footnote is a source's footnote wrapped to the text width: the short
// citation, and where it fits, where the full text is.
func (d *doc) footnote(s *Source) []string {
	if lines, ok := d.fnText[s.N]; ok {
		return lines
	}
	style, size := d.fontStyle, d.fontSize
	d.font("", 6.5)
	text := fmt.Sprintf("[%d] %s", s.N, s.ShortText(d.lang))
	suffix := " (" + t(d.lang, "see.annex") + ")"
	lines := d.lines(text+suffix, contentW)
	if short := d.lines(text, contentW); len(short) < len(lines) {
		lines = short
	}
	if size > 0 {
		d.font(style, size)
	}
	d.fnText[s.N] = lines
	return lines
}

// footnoteLines counts the lines the footnotes of sources take.
func (d *doc) footnoteLines(sources []*Source) int {
	n := 0
	for _, s := range sources {
		n += len(d.footnote(s))
	}
	return n
}

// ensure starts a new page unless h millimetres, and the footnotes of the
// sources cited in them, fit on this one; then it registers the sources. It
// reports whether a page was added.
func (d *doc) ensure(h float64, cites ...*Source) bool {
	added := false
	if d.pdf.GetY()+h > pageH-footerH-d.footnoteSpace(append(d.footnotes[:len(d.footnotes):len(d.footnotes)], d.newCites(cites)...)) {
		d.pdf.AddPage()
		added = true
	}
	for _, s := range cites {
		if s != nil && !d.cited(s) {
			d.footnotes = append(d.footnotes, s)
		}
	}
	d.pdf.SetAutoPageBreak(true, pageH-d.bottom())
	return added
}

// newCites are the sources of cites not yet cited on this page.
func (d *doc) newCites(cites []*Source) []*Source {
	var out []*Source
	seen := map[int]bool{}
	for _, s := range cites {
		if s != nil && !d.cited(s) && !seen[s.N] {
			out = append(out, s)
			seen[s.N] = true
		}
	}
	return out
}

func (d *doc) cited(s *Source) bool {
	for _, f := range d.footnotes {
		if f.N == s.N {
			return true
		}
	}
	return false
}

func (d *doc) font(style string, size float64) {
	d.fontStyle, d.fontSize = style, size
	d.pdf.SetFont(fontFamily, style, size)
}

func (d *doc) colour(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }

// fit shortens s with an ellipsis to fit w millimetres in the current font.
func (d *doc) fit(s string, w float64) string {
	s = clean(s)
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// clean makes text safe for the PDF writer: characters outside the Basic
// Multilingual Plane (which gofpdf cannot measure) and control characters
// other than new lines become a replacement mark or a space.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r > 0xFFFF || (r < 0x20 && r != '\n') || r == 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			b.WriteRune('\uFFFD')
		case r == '\t' || r == '\r':
			b.WriteRune(' ')
		case (r < 0x20 && r != '\n') || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lines splits text into the lines it takes in width w in the current font.
func (d *doc) lines(s string, w float64) []string {
	s = clean(s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, d.pdf.SplitText(para, w)...)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// heading writes a section heading, keeping it with at least keep mm below it.
func (d *doc) heading(text string, size float64, keep float64) {
	d.font("B", size)
	h := size * 0.5
	d.ensure(h + 3 + keep)
	d.colour(colAccent)
	d.pdf.SetX(marginL)
	d.pdf.MultiCell(contentW, h, clean(text), "", "L", false)
	d.colour(colText)
	d.pdf.Ln(1.5)
}

// paragraph writes wrapped text.
func (d *doc) paragraph(text string, size float64, style string, c rgb) {
	d.font(style, size)
	d.colour(c)
	lh := size * 0.45
	for _, line := range d.lines(text, contentW) {
		d.ensure(lh)
		d.pdf.SetX(marginL)
		d.pdf.CellFormat(contentW, lh, line, "", 1, "L", false, 0, "")
	}
	d.colour(colText)
}

// cell is one cell of a table row.
type cell struct {
	text  string
	style string // "" or "B"
	align string // L, C or R
	band  string // fills the cell with the band's colour
	fill  *rgb
	fg    *rgb
	cites []*Source
	size  float64 // the font size, when smaller than the table's
}

// table draws rows with wrapped cells and repeats its header on every page.
type table struct {
	d      *doc
	widths []float64
	header []cell
	size   float64
	zebra  bool
	rowNo  int
}

func (d *doc) newTable(widths []float64, size float64, header ...string) *table {
	tb := &table{d: d, widths: widths, size: size}
	for i, h := range header {
		tb.header = append(tb.header, cell{text: h, style: "B", size: d.wordsFit(h, "B", size, widths[i]-2)})
	}
	return tb
}

// wordsFit is the largest font size, from size down to 5 pt, at which every
// word of s fits in width w, so that a heading wraps between words and never
// inside one ("орындалмад/ы").
func (d *doc) wordsFit(s, style string, size, w float64) float64 {
	for ; size > 5; size -= 0.25 {
		d.font(style, size)
		fits := true
		for _, word := range strings.Fields(clean(s)) {
			if len(d.pdf.SplitText(word, w)) > 1 {
				fits = false
				break
			}
		}
		if fits {
			break
		}
	}
	return size
}

// fontSize is the size a cell is set in.
func (tb *table) fontSize(c cell) float64 {
	if c.size > 0 {
		return c.size
	}
	return tb.size
}

func (tb *table) lineH() float64 { return tb.size*0.42 + 0.4 }

func (tb *table) height(cells []cell) float64 {
	d := tb.d
	n := 1
	for i, c := range cells {
		d.font(c.style, tb.fontSize(c))
		if k := len(d.lines(c.text, tb.widths[i]-2)); k > n {
			n = k
		}
	}
	return float64(n)*tb.lineH() + 1.6
}

// start draws the header row (after making room for it and one more row).
func (tb *table) start(firstRow []cell) {
	h := tb.height(tb.header)
	extra := 0.0
	if firstRow != nil {
		extra = tb.height(firstRow)
	}
	tb.d.ensure(h + extra)
	tb.draw(tb.header, h, &colHeadBg)
}

// row draws one row, breaking the page (and repeating the header) when needed.
func (tb *table) row(cells ...cell) {
	h := tb.height(cells)
	var cites []*Source
	for _, c := range cells {
		cites = append(cites, c.cites...)
	}
	if tb.d.ensure(h, cites...) && len(tb.header) > 0 {
		// ensure registered the cites on the new page; the header goes first.
		hh := tb.height(tb.header)
		tb.draw(tb.header, hh, &colHeadBg)
	}
	var fill *rgb
	tb.rowNo++
	if tb.zebra && tb.rowNo%2 == 0 {
		fill = &colZebra
	}
	tb.draw(cells, h, fill)
}

func (tb *table) draw(cells []cell, h float64, fill *rgb) {
	d := tb.d
	pdf := d.pdf
	x0, y0 := marginL, pdf.GetY()
	x := x0
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.SetLineWidth(0.15)
	for i, c := range cells {
		w := tb.widths[i]
		bg := fill
		fg := colText
		if c.band != "" {
			if bc, ok := bandColour[c.band]; ok {
				bg, fg = &bc.bg, bc.fg
			}
		}
		if c.fill != nil {
			bg = c.fill
		}
		if c.fg != nil {
			fg = *c.fg
		}
		style := "D"
		if bg != nil {
			pdf.SetFillColor(bg.r, bg.g, bg.b)
			style = "FD"
		}
		pdf.Rect(x, y0, w, h, style)
		d.font(c.style, tb.fontSize(c))
		d.colour(fg)
		align := c.align
		if align == "" {
			align = "L"
		}
		y := y0 + 0.8
		for _, line := range d.lines(c.text, w-2) {
			pdf.SetXY(x+1, y)
			pdf.CellFormat(w-2, tb.lineH(), line, "", 0, align, false, 0, "")
			y += tb.lineH()
		}
		x += w
	}
	d.colour(colText)
	pdf.SetXY(marginL, y0+h)
}

// keyValue draws a two-column list of labels and values.
func (d *doc) keyValue(rows [][2]string, labelW float64, size float64) {
	tb := d.newTable([]float64{labelW, contentW - labelW}, size)
	for _, r := range rows {
		tb.row(cell{text: r[0], fg: &colMuted}, cell{text: r[1], style: "B"})
	}
}

// output writes the document.
func (d *doc) output(w io.Writer) error {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("render PDF: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeRich writes a paragraph of runs, each regular or bold, flowing and
// wrapping across the width.
func (d *doc) writeRich(size float64, runs []richRun) {
	lh := size * 0.45
	d.pdf.SetX(marginL)
	for _, r := range runs {
		d.font(r.style, size)
		if r.colour != nil {
			d.colour(*r.colour)
		} else {
			d.colour(colText)
		}
		// Write breaks pages on its own; keep the footnote room in the margin.
		d.pdf.Write(lh, clean(r.text))
	}
	d.pdf.Ln(lh)
	d.colour(colText)
}

type richRun struct {
	text   string
	style  string
	colour *rgb
}

func ptr(c rgb) *rgb { return &c }
