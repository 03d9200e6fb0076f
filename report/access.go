package report

import (
	"fmt"
	"sort"
	"strings"

	"inspecta/schema"
	"inspecta/store"
)

// Obstruction of the visit and the interviews, as the reports count them
// (issue 13). Obstruction figures are facts about the authorities and are
// printed as they are. Interview figures are counts of persons: a count of 1
// or 2 is printed as "fewer than 3", and so is any count from which one could
// be worked out on the same page or in the same export — the count of the
// other answer (interviews minus those held in private) and every total that
// adds up a withheld count (a facility's total over its visits, a region's
// over its facilities).

// VisitAccess is what a report prints of one visit's access and interviews.
type VisitAccess struct {
	Obstructions []*store.ReportObstruction
	// WaitMinutes is the time between arriving at the gate and being let in;
	// nil when either time is not recorded.
	WaitMinutes *int64
	Refused     map[string]int // refusals by target (schema.ObstructionTargets)
	Delayed     map[string]int // delays by target
	// LongestDelay is the longest recorded delay or exclusion, in minutes.
	LongestDelay int64
	Reasons      map[string]int // the reasons given, by category
	Cap          schema.TeamCap
	Interviews   *InterviewFigures
}

// AnyRefused reports whether access to anything was refused at the visit.
func (a *VisitAccess) AnyRefused() bool { return total(a.Refused) > 0 }

// AnyDelayed reports whether the team was kept waiting at the gate or
// access to anything was delayed.
func (a *VisitAccess) AnyDelayed() bool {
	return total(a.Delayed) > 0 || (a.WaitMinutes != nil && *a.WaitMinutes > 0)
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// PersonCount is a count of persons as a report may print it.
type PersonCount struct {
	N        int
	Withheld bool
}

// Text is the count in words: the number, or "fewer than 3".
func (c PersonCount) Text(lang string) string {
	if c.Withheld {
		return t(lang, "fewer.than.3")
	}
	return fmt.Sprint(c.N)
}

// smallPersons reports whether a count could point at one person: 1 or 2.
// Zero points at no one and is printed.
func smallPersons(n int) bool { return n > 0 && n < schema.SmallCount }

// interviewKeys are the interview figures a report prints besides the number
// of interviews, in order: each is a count of interviews with that answer.
var interviewKeys = func() []string {
	keys := []string{"private", "consent", "fear_of_reprisal", "follow_up"}
	for _, p := range schema.InterviewPresent {
		if p != "none" {
			keys = append(keys, "present:"+p)
		}
	}
	for _, c := range schema.InterviewComplaints {
		keys = append(keys, "complaint:"+c)
	}
	return keys
}()

// rawInterviewFigure returns the count behind a key of interviewKeys.
func rawInterviewFigure(c *store.InterviewCounts, key string) int {
	switch key {
	case "private":
		return c.Private
	case "consent":
		return c.Consent
	case "fear_of_reprisal":
		return c.FearOfReprisal
	case "follow_up":
		return c.FollowUp
	}
	if p, ok := strings.CutPrefix(key, "present:"); ok {
		return c.Present[p]
	}
	if p, ok := strings.CutPrefix(key, "complaint:"); ok {
		return c.Complaints[p]
	}
	return 0
}

// InterviewFigures are the interview counts of a visit, a facility or a
// region with the small-count rule applied.
type InterviewFigures struct {
	Total   PersonCount
	Figures map[string]PersonCount // by key of interviewKeys
	raw     *store.InterviewCounts
}

// interviewFigures applies the small-count rule to raw counts that add up
// parts (the visits of a facility, the facilities of a region; none for one
// visit): a figure is withheld when it is 1 or 2, when the rest of the total
// is 1 or 2, or when any part withheld it.
func interviewFigures(raw *store.InterviewCounts, parts []*InterviewFigures) *InterviewFigures {
	if raw == nil {
		raw = store.NewInterviewCounts()
	}
	f := &InterviewFigures{raw: raw, Figures: map[string]PersonCount{}}
	f.Total = PersonCount{N: raw.Total, Withheld: smallPersons(raw.Total)}
	for _, p := range parts {
		f.Total.Withheld = f.Total.Withheld || p.Total.Withheld
	}
	for _, k := range interviewKeys {
		n := rawInterviewFigure(raw, k)
		c := PersonCount{N: n, Withheld: smallPersons(n) || smallPersons(raw.Total-n)}
		for _, p := range parts {
			c.Withheld = c.Withheld || p.Figures[k].Withheld
		}
		f.Figures[k] = c
	}
	return f
}

// sumInterviews adds up figures of parts, with the rule applied to the sum.
func sumInterviews(parts []*InterviewFigures) *InterviewFigures {
	raw := store.NewInterviewCounts()
	for _, p := range parts {
		raw.Add(p.raw)
	}
	return interviewFigures(raw, parts)
}

// buildAccess works out a visit's access figures.
func buildAccess(vm *VisitModel, obs []*store.ReportObstruction, interviews *store.InterviewCounts) *VisitAccess {
	a := &VisitAccess{Obstructions: obs, Refused: map[string]int{}, Delayed: map[string]int{}, Reasons: map[string]int{},
		Cap: schema.TeamCapOf(vm.Kind), Interviews: interviewFigures(interviews, nil)}
	if arr, adm := parseTime(vm.ArrivedAt), parseTime(vm.AdmittedAt); !arr.IsZero() && !adm.IsZero() && !adm.Before(arr) {
		m := int64(adm.Sub(arr).Minutes())
		a.WaitMinutes = &m
	}
	for _, o := range obs {
		if o.Kind == "refused" {
			a.Refused[o.Target]++
		} else {
			a.Delayed[o.Target]++
		}
		if o.Minutes != nil && *o.Minutes > a.LongestDelay {
			a.LongestDelay = *o.Minutes
		}
		if o.ReasonGiven != "" {
			a.Reasons[o.ReasonGiven]++
		}
	}
	return a
}

// AtCap reports whether the team that entered was as large as the cap for
// the visit's kind allows (or larger).
func (a *VisitAccess) AtCap(teamSize *int64) bool {
	return a.Cap.Max > 0 && teamSize != nil && *teamSize >= int64(a.Cap.Max)
}

// FacilityAccess is a facility's access figures over the report's period.
type FacilityAccess struct {
	Visits          int
	VisitsRefused   int // visits at which access to anything was refused
	VisitsDelayed   int // visits at which the team waited at the gate or access was delayed
	Refused         map[string]int
	Delayed         map[string]int
	LongestWait     *int64 // the longest wait at the gate
	LongestDelay    int64
	VisitsAtCap     int // visits whose team was as large as the cap allows
	VisitsCapKnown  int // visits with a team size and a known cap
	RepPresent      int // visits accompanied by the Ombudsperson's representative
	RepInInterviews int // visits where the representative stayed during the private interviews
	Interviews      *InterviewFigures
}

// Access adds up the access figures of the report's visits.
func (r *FacilityReport) Access() *FacilityAccess {
	fa := &FacilityAccess{Refused: map[string]int{}, Delayed: map[string]int{}}
	var parts []*InterviewFigures
	for _, vm := range r.Visits {
		a := vm.Access
		fa.add(vm, a)
		parts = append(parts, a.Interviews)
	}
	fa.Interviews = sumInterviews(parts)
	return fa
}

func (fa *FacilityAccess) add(vm *VisitModel, a *VisitAccess) {
	fa.Visits++
	if a.AnyRefused() {
		fa.VisitsRefused++
	}
	if a.AnyDelayed() {
		fa.VisitsDelayed++
	}
	for k, n := range a.Refused {
		fa.Refused[k] += n
	}
	for k, n := range a.Delayed {
		fa.Delayed[k] += n
	}
	if a.WaitMinutes != nil && (fa.LongestWait == nil || *a.WaitMinutes > *fa.LongestWait) {
		w := *a.WaitMinutes
		fa.LongestWait = &w
	}
	fa.LongestDelay = max(fa.LongestDelay, a.LongestDelay)
	if a.Cap.Max > 0 && vm.TeamSizeEntered != nil {
		fa.VisitsCapKnown++
		if a.AtCap(vm.TeamSizeEntered) {
			fa.VisitsAtCap++
		}
	}
	if vm.OmbudspersonRepPresent {
		fa.RepPresent++
	}
	if vm.RepInInterviews == "yes" {
		fa.RepInInterviews++
	}
}

// regionAccess adds up the facilities' figures.
func regionAccess(facilities []*FacilityAccess) *FacilityAccess {
	ra := &FacilityAccess{Refused: map[string]int{}, Delayed: map[string]int{}}
	var parts []*InterviewFigures
	for _, f := range facilities {
		ra.Visits += f.Visits
		ra.VisitsRefused += f.VisitsRefused
		ra.VisitsDelayed += f.VisitsDelayed
		for k, n := range f.Refused {
			ra.Refused[k] += n
		}
		for k, n := range f.Delayed {
			ra.Delayed[k] += n
		}
		if f.LongestWait != nil && (ra.LongestWait == nil || *f.LongestWait > *ra.LongestWait) {
			w := *f.LongestWait
			ra.LongestWait = &w
		}
		ra.LongestDelay = max(ra.LongestDelay, f.LongestDelay)
		ra.VisitsAtCap += f.VisitsAtCap
		ra.VisitsCapKnown += f.VisitsCapKnown
		ra.RepPresent += f.RepPresent
		ra.RepInInterviews += f.RepInInterviews
		parts = append(parts, f.Interviews)
	}
	ra.Interviews = sumInterviews(parts)
	return ra
}

// ---------------------------------------------------------------- words

func minutesText(lang string, m *int64) string {
	if m == nil {
		return "—"
	}
	return tf(lang, "access.minutes", *m)
}

func timeOfDay(r *FacilityReport, s string) string {
	tm := parseTime(s)
	if tm.IsZero() {
		return "—"
	}
	return tm.In(zoneOr(r.Zone)).Format("15:04")
}

// byTarget prints counts by target: "areas 2, documents 1"; "0" when none.
func byTarget(lang string, m map[string]int) string {
	var parts []string
	for _, k := range schema.ObstructionTargets {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", word(obstructionTargets, k, lang), m[k]))
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, ", ")
}

// byTargetRecorded is byTarget for one visit: "not recorded" instead of a
// count of 0 when nothing was recorded of the visit's access (accessUnknown).
func byTargetRecorded(lang string, vm *VisitModel, m map[string]int) string {
	if accessUnknown(vm) {
		return t(lang, "not.recorded")
	}
	return byTarget(lang, m)
}

func reasonsText(lang string, m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", word(obstructionReasons, k, lang), m[k]))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

func teamText(lang string, vm *VisitModel, a *VisitAccess) string {
	size := "—"
	if vm.TeamSizeEntered != nil {
		size = fmt.Sprint(*vm.TeamSizeEntered)
	}
	if a.Cap.Max == 0 {
		return size + " (" + t(lang, "access.cap.none") + ")"
	}
	s := tf(lang, "access.cap.of", size, a.Cap.Max)
	if a.Cap.Verify {
		s += " (" + t(lang, "access.cap.verify") + ")"
	}
	return s
}

func interviewLabel(lang, key string) string {
	if p, ok := strings.CutPrefix(key, "present:"); ok {
		return t(lang, "iv.present") + ": " + word(interviewPresent, p, lang)
	}
	if c, ok := strings.CutPrefix(key, "complaint:"); ok {
		return t(lang, "iv.complaint") + ": " + word(interviewComplaints, c, lang)
	}
	return t(lang, "iv."+key)
}

// ---------------------------------------------------------------- PDF

// accessColumns is how many visits the facility report's access tables show
// side by side.
const accessColumns = 4

// access writes the facility report's section on obstruction and
// interviews: one column per visit of the period and one for the period.
func (r *FacilityReport) access(d *doc) {
	lang := r.Req.Lang
	d.pdf.Ln(4)
	d.heading(t(lang, "access.h"), 13, 40)
	d.paragraph(t(lang, "access.note"), 7.5, "", colMuted)
	fa := r.Access()
	for start := 0; start < len(r.Visits); start += accessColumns {
		end := min(start+accessColumns, len(r.Visits))
		visits := r.Visits[start:end]
		last := end == len(r.Visits)
		r.accessTable(d, visits, fa, last)
	}
}

func (r *FacilityReport) accessTable(d *doc, visits []*VisitModel, fa *FacilityAccess, withTotal bool) {
	lang := r.Req.Lang
	n := len(visits)
	if withTotal {
		n++
	}
	labelW := 62.0
	colW := (contentW - labelW) / float64(n)
	widths := []float64{labelW}
	header := []string{""}
	for _, vm := range visits {
		widths = append(widths, colW)
		header = append(header, r.date(vm.Started))
	}
	if withTotal {
		widths = append(widths, colW)
		header = append(header, t(lang, "access.period"))
	}
	d.pdf.Ln(2)
	tb := d.newTable(widths, 7.5, header...)
	started := false
	row := func(label string, per func(vm *VisitModel) string, tot string) {
		cells := []cell{{text: label}}
		for _, vm := range visits {
			cells = append(cells, cell{text: per(vm), align: "R"})
		}
		if withTotal {
			cells = append(cells, cell{text: tot, align: "R", style: "B"})
		}
		if !started {
			tb.start(cells)
			started = true
		}
		tb.row(cells...)
	}
	row(t(lang, "access.arrived"), func(vm *VisitModel) string { return timeOfDay(r, vm.ArrivedAt) }, "")
	row(t(lang, "access.admitted"), func(vm *VisitModel) string { return timeOfDay(r, vm.AdmittedAt) }, "")
	row(t(lang, "access.wait"), func(vm *VisitModel) string { return minutesText(lang, vm.Access.WaitMinutes) },
		t(lang, "access.longest")+" "+minutesText(lang, fa.LongestWait))
	// A visit that recorded nothing of its access refused nothing that is known.
	row(t(lang, "access.refused.by"), func(vm *VisitModel) string { return byTargetRecorded(lang, vm, vm.Access.Refused) }, byTarget(lang, fa.Refused))
	row(t(lang, "access.delayed.by"), func(vm *VisitModel) string { return byTargetRecorded(lang, vm, vm.Access.Delayed) }, byTarget(lang, fa.Delayed))
	row(t(lang, "access.longest.delay"), func(vm *VisitModel) string {
		l := vm.Access.LongestDelay
		return minutesText(lang, &l)
	}, minutesText(lang, &fa.LongestDelay))
	row(t(lang, "access.reasons"), func(vm *VisitModel) string { return reasonsText(lang, vm.Access.Reasons) }, "")
	row(t(lang, "access.team"), func(vm *VisitModel) string { return teamText(lang, vm, vm.Access) },
		tf(lang, "access.visits.at.cap", fa.VisitsAtCap, fa.VisitsCapKnown))
	row(t(lang, "accompanied"), func(vm *VisitModel) string {
		return yesNoRecorded(lang, vm.OmbudspersonRepPresent, vm.RepPresentUnknown)
	},
		tf(lang, "access.visits.of", fa.RepPresent, fa.Visits))
	row(t(lang, "access.rep.interviews"), func(vm *VisitModel) string { return repText(lang, vm.RepInInterviews) },
		tf(lang, "access.visits.of", fa.RepInInterviews, fa.Visits))
	row(t(lang, "iv.total"), func(vm *VisitModel) string { return vm.Access.Interviews.Total.Text(lang) }, fa.Interviews.Total.Text(lang))
	for _, k := range interviewKeys {
		row(interviewLabel(lang, k), func(vm *VisitModel) string { return vm.Access.Interviews.Figures[k].Text(lang) },
			fa.Interviews.Figures[k].Text(lang))
	}
}

func repText(lang, v string) string {
	if v == "" {
		return "—"
	}
	return word(repInInterviews, v, lang)
}

// regionAccess writes the regional summary's tables of obstruction and
// interviews, one row per facility visited and one for the region.
func (rr *RegionReport) access(d *doc) {
	lang := rr.Req.Lang
	d.heading(t(lang, "access.h"), 13, 40)
	d.paragraph(t(lang, "access.note"), 7.5, "", colMuted)
	var all []*FacilityAccess
	var names []string
	for _, f := range rr.Facilities {
		if len(f.Visits) == 0 {
			continue
		}
		all = append(all, f.Access())
		names = append(names, f.Facility.Name)
	}
	if len(all) == 0 {
		d.paragraph(t(lang, "no.visit.period"), 9, "", colMuted)
		return
	}
	ra := regionAccess(all)
	d.pdf.Ln(2)
	tb := d.newTable([]float64{46, 14, 18, 18, 30, 20, 16, 18}, 7,
		t(lang, "facility"), t(lang, "access.visits"), t(lang, "access.visits.refused"), t(lang, "access.visits.delayed"),
		t(lang, "access.refused.by"), t(lang, "access.longest.wait"), t(lang, "access.at.cap"), t(lang, "access.rep.interviews.short"))
	orow := func(name string, fa *FacilityAccess, style string, i int) {
		cells := []cell{{text: name, style: style}, {text: fmt.Sprint(fa.Visits), align: "R"},
			{text: fmt.Sprint(fa.VisitsRefused), align: "R"}, {text: fmt.Sprint(fa.VisitsDelayed), align: "R"},
			{text: byTarget(lang, fa.Refused)}, {text: minutesText(lang, fa.LongestWait), align: "R"},
			{text: fmt.Sprintf("%d / %d", fa.VisitsAtCap, fa.VisitsCapKnown), align: "R"},
			{text: fmt.Sprint(fa.RepInInterviews), align: "R"}}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
	for i, fa := range all {
		orow(names[i], fa, "", i)
	}
	orow(t(lang, "access.region.total"), ra, "B", len(all))

	d.pdf.Ln(4)
	keys := []string{"private", "consent", "fear_of_reprisal", "follow_up"}
	for _, c := range schema.InterviewComplaints {
		keys = append(keys, "complaint:"+c)
	}
	widths := []float64{40, 13}
	header := []string{t(lang, "facility"), t(lang, "iv.total.short")}
	for _, k := range keys {
		widths = append(widths, (contentW-53)/float64(len(keys)))
		header = append(header, interviewShort(lang, k))
	}
	tb = d.newTable(widths, 6.5, header...)
	irow := func(name string, f *InterviewFigures, style string, i int) {
		cells := []cell{{text: name, style: style}, {text: f.Total.Text(lang), align: "R"}}
		for _, k := range keys {
			cells = append(cells, cell{text: f.Figures[k].Text(lang), align: "R"})
		}
		if i == 0 {
			tb.start(cells)
		}
		tb.row(cells...)
	}
	for i, fa := range all {
		irow(names[i], fa.Interviews, "", i)
	}
	irow(t(lang, "access.region.total"), ra.Interviews, "B", len(all))
}

func interviewShort(lang, key string) string {
	if c, ok := strings.CutPrefix(key, "complaint:"); ok {
		return word(interviewComplaints, c, lang)
	}
	return t(lang, "iv."+key+".short")
}

// ---------------------------------------------------------------- CSV

// CSVAccess is the CSV export of obstruction and interview figures: one row
// per visit, interview counts under the small-count rule.
const CSVAccess = "access"

func accessCSV(cw interface{ Write([]string) error }, lang string, reports []*FacilityReport) error {
	head := []string{"facility_id", "facility_name", "region", "visit_id", "visit_date", "visit_status", "visit_kind",
		"arrived_at", "admitted_at", "wait_minutes", "team_size", "team_cap", "team_cap_source", "at_cap",
		"ombudsperson_rep_present", "rep_in_interviews"}
	for _, k := range schema.ObstructionTargets {
		head = append(head, "refused_"+k)
	}
	for _, k := range schema.ObstructionTargets {
		head = append(head, "delayed_"+k)
	}
	head = append(head, "longest_delay_minutes")
	for _, k := range schema.ObstructionReasons {
		head = append(head, "reason_"+k)
	}
	head = append(head, "interviews")
	for _, k := range interviewKeys {
		head = append(head, "interviews_"+strings.ReplaceAll(k, ":", "_"))
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, f := range reports {
		for _, vm := range f.Visits {
			a := vm.Access
			size, capText, capSrc, atCap := "", "", a.Cap.Source, ""
			if vm.TeamSizeEntered != nil {
				size = fmt.Sprint(*vm.TeamSizeEntered)
			}
			if a.Cap.Max > 0 {
				capText = fmt.Sprint(a.Cap.Max)
				if vm.TeamSizeEntered != nil {
					atCap = fmt.Sprint(a.AtCap(vm.TeamSizeEntered))
				}
			}
			wait := ""
			if a.WaitMinutes != nil {
				wait = fmt.Sprint(*a.WaitMinutes)
			}
			row := append(facilityColumns(f), visitColumns(f, vm)...)
			row = append(row, vm.Kind, vm.ArrivedAt, vm.AdmittedAt, wait, size, capText, text(capSrc), atCap,
				recordedBool(vm.OmbudspersonRepPresent, vm.RepPresentUnknown), vm.RepInInterviews)
			// Counts of refusals, delays and reasons, the longest delay: empty, not 0, for a visit that
			// recorded nothing of its access.
			count := func(n int) string {
				if accessUnknown(vm) {
					return ""
				}
				return fmt.Sprint(n)
			}
			for _, k := range schema.ObstructionTargets {
				row = append(row, count(a.Refused[k]))
			}
			for _, k := range schema.ObstructionTargets {
				row = append(row, count(a.Delayed[k]))
			}
			row = append(row, count(int(a.LongestDelay)))
			for _, k := range schema.ObstructionReasons {
				row = append(row, count(a.Reasons[k]))
			}
			row = append(row, a.Interviews.Total.Text(lang))
			for _, k := range interviewKeys {
				row = append(row, a.Interviews.Figures[k].Text(lang))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordedBool is a yes/no field for a CSV: "" when it was never set.
func recordedBool(b, unknown bool) string {
	if unknown {
		return ""
	}
	return fmt.Sprint(b)
}
