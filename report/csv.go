package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// CSV export kinds.
const (
	CSVObservations    = "observations"    // one row per visit, location and item
	CSVIndicators      = "indicators"      // one row per visit and indicator, facility-wide and per location
	CSVRecommendations = "recommendations" // one row per recommendation with its status history
	// CSVAccess (access.go): one row per visit, obstruction and interview counts
)

// CSVKinds lists the CSV export kinds.
var CSVKinds = []string{CSVObservations, CSVIndicators, CSVRecommendations, CSVAccess}

// ParseCSVKind checks a CSV export kind.
func ParseCSVKind(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range CSVKinds {
		if s == k {
			return s, nil
		}
	}
	return "", fmt.Errorf("unknown CSV kind %q: use observations, indicators, recommendations or access", s)
}

// utf8BOM lets spreadsheet programs recognise UTF-8 and show Cyrillic.
const utf8BOM = "\uFEFF"

// WriteCSV writes one CSV export of the facility report.
func (r *FacilityReport) WriteCSV(w io.Writer, kind string) error {
	return writeCSV(w, kind, r.Req.Lang, []*FacilityReport{r})
}

// WriteCSV writes one CSV export covering every facility of the region.
func (rr *RegionReport) WriteCSV(w io.Writer, kind string) error {
	return writeCSV(w, kind, rr.Req.Lang, rr.Facilities)
}

func writeCSV(w io.Writer, kind, lang string, reports []*FacilityReport) error {
	kind, err := ParseCSVKind(kind)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := &sheetWriter{csv.NewWriter(bw)}
	switch kind {
	case CSVObservations:
		err = observationsCSV(cw, lang, reports)
	case CSVIndicators:
		err = indicatorsCSV(cw, lang, reports)
	case CSVRecommendations:
		err = recommendationsCSV(cw, lang, reports)
	case CSVAccess:
		err = accessCSV(cw, lang, reports)
	}
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return bw.Flush()
}

// text cleans free text for a cell (and guards it, as every cell is).
func text(s string) string { return guardCell(clean(s)) }

// sheetWriter writes CSV rows whose every cell is guarded against spreadsheet
// formula injection: not only the free texts members type but every text a
// checklist brings (labels, units, sources: an imported XLSForm's label may
// start with "="), the names of places and whatever a column is added later.
// Bidi controls are dropped first (schema.DropBidiControls): a cell shows
// its text in the order stored, and "\u202e=…" is guarded as "=…".
type sheetWriter struct{ *csv.Writer }

func (w *sheetWriter) Write(row []string) error {
	for i, c := range row {
		row[i] = guardCell(schema.DropBidiControls(c))
	}
	return w.Writer.Write(row)
}

// guardCell puts a quote before a cell that a spreadsheet would read as a
// formula (starting with = + - @, a tab or a carriage return), unless it is a
// plain number such as -4.5, which a spreadsheet reads as the number.
func guardCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if plainNumber(s) {
		return s
	}
	return "'" + s
}

// plainNumber reports whether s is a decimal number as machineNumber writes
// one: an optional minus, digits, at most one point between digits.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	digits := func(p string) bool {
		return p != "" && strings.Trim(p, "0123456789") == ""
	}
	return digits(whole) && (!dot || digits(frac))
}

// isoDate is a date in loc, the zone in force in the facility's region then.
func isoDate(tm time.Time, loc *time.Location) string {
	if tm.IsZero() {
		return ""
	}
	return tm.In(zoneOr(loc)).Format("2006-01-02")
}

func machineNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// machineValue is a value as a program reads it: numbers with a decimal
// point, true/false, option ids, texts; a count of fewer than three persons
// as "fewer than 3", never the number.
func machineValue(lang string, it *schema.Item, v any) string {
	if smallCount(it, v) {
		return t(lang, "fewer.than.3")
	}
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return machineNumber(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return text(x)
	}
	return text(fmt.Sprint(v))
}

func facilityColumns(f *FacilityReport) []string {
	return []string{f.Facility.ID, text(f.Facility.Name), f.Facility.Region}
}

func visitColumns(f *FacilityReport, vm *VisitModel) []string {
	return []string{vm.ID, isoDate(vm.Started, f.Zone), vm.Status}
}

func observationsCSV(cw *sheetWriter, lang string, reports []*FacilityReport) error {
	cw.Write([]string{"facility_id", "facility_name", "region", "visit_id", "visit_date", "visit_status",
		"location_id", "location_label", "location_kind", "item", "code", "label", "value", "unit", "value_text", "status", "notes_cleared"})
	for _, f := range reports {
		for _, vm := range f.Visits {
			write := func(loc *LocationModel, vals map[string]*review.ReportValue, scope string) {
				for i := range vm.Template.Items {
					it := &vm.Template.Items[i]
					v := vals[it.ID]
					if it.Scope != scope || v == nil {
						continue
					}
					status := v.Source
					value := machineValue(lang, it, v.Value)
					shown := ""
					switch {
					case v.Withheld:
						status, value, shown = "withheld", "", t(lang, "withheld")
					case v.Source == review.ValueUnresolved:
						var cands []string
						for _, c := range v.Candidates {
							cands = append(cands, valueText(lang, f.Zone, it, c))
						}
						shown = t(lang, "unresolved.short")
						if len(cands) > 0 {
							shown += " (" + strings.Join(cands, "; ") + ")"
						}
					case v.Value != nil:
						shown = valueText(lang, f.Zone, it, v.Value)
					}
					unit := ""
					if it.UnitLabel != nil {
						unit = it.UnitLabel.In(lang)
					}
					row := append(facilityColumns(f), visitColumns(f, vm)...)
					if loc != nil {
						row = append(row, loc.ID, text(loc.Label), loc.Kind)
					} else {
						row = append(row, "", "", "")
					}
					row = append(row, it.ID, it.Code, it.Label.In(lang), value, unit, text(shown), status,
						text(strings.Join(v.Notes, " | ")))
					cw.Write(row)
				}
			}
			write(nil, vm.Values, schema.ScopeVisit)
			for _, lm := range vm.Locations {
				write(lm, lm.Values, schema.ScopeLocation)
			}
		}
	}
	return cw.Error()
}

func indicatorsCSV(cw *sheetWriter, lang string, reports []*FacilityReport) error {
	cw.Write([]string{"facility_id", "facility_name", "region", "visit_id", "visit_date", "visit_status",
		"scope", "location_id", "location_label", "indicator", "label", "value", "unit", "band", "band_text",
		"threshold", "comparison", "locations_applicable", "locations_red", "source", "unresolved"})
	for _, f := range reports {
		for _, vm := range f.Visits {
			for _, a := range vm.Aggregates {
				if !a.Applicable {
					continue
				}
				row := append(facilityColumns(f), visitColumns(f, vm)...)
				row = append(row, "facility", "", "")
				cols := indicatorColumns(lang, a.Indicator, a.Value, a.Band)
				if a.Withheld {
					cols[2], cols[4], cols[5] = "", "", t(lang, "withheld.small.count")
				}
				row = append(row, cols...)
				locs, red := "", ""
				if a.Indicator.Scope == schema.ScopeLocation {
					locs, red = strconv.Itoa(a.Locations), strconv.Itoa(len(a.ByBand[schema.BandRed]))
				}
				var open []string
				for _, u := range a.Unresolved {
					open = append(open, strings.TrimSpace(text(u.Label)+" "+unresolvedText(lang, a.Indicator, u.Range)))
				}
				cw.Write(append(row, locs, red, a.Indicator.Source.In(lang), strings.Join(open, "; ")))
			}
			for _, lm := range vm.Locations {
				for _, res := range lm.Indicators {
					if !res.Applicable && !lm.Hidden[res.ID] {
						continue
					}
					ind, _ := vm.Template.Indicator(res.ID)
					row := append(facilityColumns(f), visitColumns(f, vm)...)
					row = append(row, "location", lm.ID, text(lm.Label))
					cols := indicatorColumns(lang, ind, res.Value, res.Band)
					if lm.Hidden[ind.ID] {
						cols[2], cols[4], cols[5] = "", "", t(lang, "withheld.small.count")
					}
					open := ""
					if u := lm.Open[ind.ID]; u != nil && !lm.Hidden[ind.ID] {
						open = unresolvedText(lang, ind, u)
					}
					row = append(row, cols...)
					cw.Write(append(row, "", "", ind.Source.In(lang), open))
				}
			}
		}
	}
	return cw.Error()
}

func indicatorColumns(lang string, ind *schema.Indicator, v *float64, band string) []string {
	value := ""
	if v != nil {
		value = machineNumber(roundTo(*v, 4))
	}
	unit, threshold := "", ""
	if ind.UnitLabel != nil {
		unit = ind.UnitLabel.In(lang)
	}
	if ind.Threshold != nil {
		threshold = machineNumber(*ind.Threshold)
	}
	return []string{ind.ID, ind.Label.In(lang), value, unit, band, bandText(lang, band), threshold, ind.Comparison}
}

func roundTo(v float64, digits int) float64 {
	p, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return p
}

func recommendationsCSV(cw *sheetWriter, lang string, reports []*FacilityReport) error {
	cw.Write([]string{"facility_id", "facility_name", "region", "recommendation_id", "visit_id", "visit_date",
		"category", "addressee", "text", "status", "status_text", "checked_visit_date", "history", "provisional"})
	for _, f := range reports {
		for _, rec := range f.Recommendations {
			var hist []string
			for i, h := range rec.History {
				when := f.visitStarted[h.VisitID]
				if when.IsZero() && i == 0 {
					when = f.visitStarted[rec.VisitID]
				}
				if when.IsZero() {
					when = parseTime(h.ChangedAt)
				}
				hist = append(hist, strings.TrimSpace(isoDate(when, f.Zone)+" "+h.Status))
			}
			row := append(facilityColumns(f), rec.ID, rec.VisitID, isoDate(f.visitStarted[rec.VisitID], f.Zone),
				text(rec.Category), text(rec.Addressee), text(withheldText(rec, lang)), rec.Status,
				word(recommendationStatuses, rec.Status, lang), isoDate(f.visitStarted[rec.CheckedVisitID], f.Zone), strings.Join(hist, "; "),
				strconv.FormatBool(provisionalRecommendation(rec)))
			cw.Write(row)
		}
	}
	return cw.Error()
}

// provisionalRecommendation reports whether a recommendation, or a status
// it is shown with, was recorded at a visit not yet approved (a provisional
// report's).
func provisionalRecommendation(rec *store.ReportRecommendation) bool {
	if !rec.VisitApproved {
		return true
	}
	for _, h := range rec.History {
		if !h.VisitApproved {
			return true
		}
	}
	return false
}

// withheldText is a recommendation's text, or the note that it is withheld
// (flagged as possibly naming a person and not cleared).
func withheldText(rec *store.ReportRecommendation, lang string) string {
	if rec.TextWithheld {
		return t(lang, "withheld")
	}
	return rec.Text
}
