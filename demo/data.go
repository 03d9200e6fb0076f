package demo

import (
	"maps"
	"sort"
	"time"

	"inspecta/schema"
)

// The notes that say where an observation's value comes from.
const (
	illustrative = "Illustrative demo value, not from the report"
	reportName   = "the NGO Coalition's 2023 report to the UN CAT"
)

// fromReport is the note of a value the report itself gives.
func fromReport(finding string) string { return "From " + reportName + ": " + finding }

// illustrativeFor is the note of an invented value that illustrates a finding
// the report states without this value (a number, or this cell).
func illustrativeFor(finding string) string {
	return "Illustrative value, not from the report. What " + reportName + " says: " + finding
}

// inLineWith is the note of a value of a visit invented after the report,
// consistent with (or departing from) what the report found.
func inLineWith(finding string) string {
	return "Illustrative demo value of a later visit. What " + reportName + " found: " + finding
}

// registryDate is when the demo's facility registry is set up, before the first visit.
const registryDate = "2023-01-09T04:00:00Z"

// approvalDelay is how long after a visit the coordinator approves it.
const approvalDelay = 12 * 24 * time.Hour

type userSpec struct{ username, name, role, region string }

// demoUsers are the demo accounts: one of each role, and the members and
// coordinators of the regions whose facilities the demo visits.
var demoUsers = []userSpec{
	{"demo-admin", "Demo administrator", schema.RoleAdmin, ""},
	{"demo-staff", "Demo coalition staff", schema.RoleStaff, ""},
	{"demo-coordinator", "Demo coordinator (Karaganda)", schema.RoleCoordinator, "KZ-KAR"},
	{"demo-member", "Demo member A (Karaganda)", schema.RoleMember, "KZ-KAR"},
	{"demo-member2", "Demo member B (Karaganda)", schema.RoleMember, "KZ-KAR"},
	{"demo-coordinator-aty", "Demo coordinator (Atyrau)", schema.RoleCoordinator, "KZ-ATY"},
	{"demo-member-aty", "Demo member (Atyrau)", schema.RoleMember, "KZ-ATY"},
	{"demo-coordinator-akt", "Demo coordinator (Aktobe)", schema.RoleCoordinator, "KZ-AKT"},
	{"demo-member-akt", "Demo member (Aktobe)", schema.RoleMember, "KZ-AKT"},
	{"demo-coordinator-shy", "Demo coordinator (Shymkent)", schema.RoleCoordinator, "KZ-SHY"},
	{"demo-member-shy", "Demo member (Shymkent)", schema.RoleMember, "KZ-SHY"},
	{"demo-member-alm", "Demo member (Almaty region)", schema.RoleMember, "KZ-ALM"},
	{"demo-member-vos", "Demo member (East Kazakhstan)", schema.RoleMember, "KZ-VOS"},
	{"demo-member-pav", "Demo member (Pavlodar)", schema.RoleMember, "KZ-PAV"},
	{"demo-member-ala", "Demo member (Almaty city)", schema.RoleMember, "KZ-ALA"},
}

type facilitySpec struct {
	key, name, typ, authority, region, address string
	capacity                                   int64 // illustrative: the report gives none
	builtYear                                  int64 // 0 when the report gives none
}

const (
	mia       = "Ministry of Internal Affairs"
	miaPenal  = "Ministry of Internal Affairs, Criminal Executive System"
	noAddress = " (demo record: street address left out)"
)

// demoFacilities are the eleven facilities of the report's "Detention
// conditions" section, as DEMO-FACILITIES.md lists them.
var demoFacilities = []facilitySpec{
	{"la155", "Institution LA 155/14 (medium security), near Almaty", "colony", miaPenal, "KZ-ALM", "Almaty region" + noAddress, 1200, 0},
	{"srdf", "Special Reception and Distribution Facility of the Police Department, Shymkent", "special_reception",
		mia + ", Shymkent City Police Department", "KZ-SHY", "Shymkent" + noAddress, 60, 1962},
	{"inst78", "Institution No. 78 (high security, women), Shymkent", "colony",
		miaPenal + ", Department for Shymkent and Turkestan region", "KZ-SHY", "Shymkent" + noAddress, 700, 0},
	{"sizo61", "Pre-trial detention facility No. 61, Karaganda region", "sizo", miaPenal, "KZ-KAR", "Karaganda region" + noAddress, 900, 0},
	{"saran", "Temporary detention facility (IVS), Saran", "ivs", mia + ", police", "KZ-KAR", "Saran, Karaganda region" + noAddress, 30, 0},
	{"no70", "Detention centre No. 70, Aktobe", "sizo", miaPenal, "KZ-AKT", "Aktobe" + noAddress, 600, 1949},
	{"no75", "Remand prison No. 75, Atyrau", "sizo", miaPenal, "KZ-ATY", "Atyrau" + noAddress, 500, 0},
	{"colony15", "Prison Colony No. 15, Atyrau region", "colony", miaPenal, "KZ-ATY", "Atyrau region" + noAddress, 1000, 0},
	{"sizo73", "Pre-trial detention facility No. 73, Ust-Kamenogorsk", "sizo", miaPenal, "KZ-VOS", "Ust-Kamenogorsk" + noAddress, 800, 1720},
	{"pavlodar", "Regional Child Psychoneurological Center for Special Social Services, Pavlodar", "children_institution",
		"Pavlodar Region Administration for Coordination of Employment and Social Programmes", "KZ-PAV", "Pavlodar" + noAddress, 150, 0},
	{"no18", "Detention Centre No. 18, Almaty", "sizo", miaPenal, "KZ-ALA", "Almaty" + noAddress, 1200, 0},
}

type visitSpec struct {
	key, facility string
	kind          string // regular, special, follow_up
	announced     bool
	ombudsperson  bool
	start         string // RFC 3339, UTC
	hours         int
	team          []string // usernames; the first leads the visit and records it
	teamSize      int      // NPM members who entered (the team_size item)
	coordinator   string   // the region's coordinator, who approves
	approve       bool
	outdoorC      *float64 // outside temperature when the cells were measured

	visitValues map[string]any    // visit-level items, by the lead
	report      map[string]string // item → note, for every observation of that item in this visit
	locations   []locSpec
	consolidate []consolidationSpec // decided by the coordinator before approval
	check       []checkSpec         // earlier recommendations checked at this visit
	recommend   []recSpec           // recommendations made at this visit
	note        string              // one confidential note, by the lead

	// Access: how long the team waited at the gate (arrived_at is that long
	// before started_at, when it was let in), what was refused or delayed,
	// and whether the Ombudsperson's representative stayed during the
	// private interviews ("" not recorded). Every figure is illustrative.
	gateWaitMin     int
	obstructions    []obstructionSpec
	repInInterviews string
	interviews      []interviewSpec // recorded by the lead, categories only
}

// obstructionSpec is one refusal or delay of access (schema.Obstruction*);
// note stays in the database (never printed).
type obstructionSpec struct {
	kind, target, reason string
	minutes              int
	note                 string
}

// interviewSpec is one private interview: who else was there, the
// categories of complaint, no name and no words of the person.
type interviewSpec struct {
	private, consent, fear, followUp bool
	present, complaints              []string
}

type locSpec struct {
	label, kind string
	values      map[string]any    // recorded by the lead
	second      map[string]any    // recorded by the second team member (same cell, their own count)
	notes       map[string]string // item → note, overriding the visit's
}

type consolidationSpec struct {
	location, item string // location label ("" for a visit-level item)
	value          any
	chosen         string // username whose observation was chosen; "" for a value of the coordinator's own
	reason         string
}

type checkSpec struct{ rec, status string }

type recSpec struct{ key, text, category, addressee string }

func deg(c float64) *float64 { return &c }

// with returns base with the overrides applied, as a new map.
func with(base map[string]any, overrides map[string]any) map[string]any {
	m := maps.Clone(base)
	maps.Copy(m, overrides)
	return m
}

// custodialCell is what a cell of a police or penitentiary facility usually
// looks like in the demo; each cell overrides what differs. Every value here is illustrative.
var custodialCell = map[string]any{
	"wall_distance_m":             2.4,
	"ceiling_height_m":            2.8,
	"hours_locked_in_h":           23.0,
	"outdoor_exercise_min":        60.0,
	"heating_working":             true,
	"window_openable":             true,
	"window_obstructed":           "partly",
	"daylight_sufficient":         false,
	"lights_on_all_night":         true,
	"ventilation":                 "natural",
	"damp_or_mould":               false,
	"toilet_in_cell":              true,
	"toilet_partition":            "partial",
	"toilets_working":             1,
	"running_water":               true,
	"drinking_water_l_per_person": 3.0,
	"hot_water":                   false,
	"showers_per_week":            1.0,
	"hygiene_products_free":       false,
	"pests":                       "insects",
	"sewage_problems":             false,
	"bedding_sufficient":          true,
	"step_free_route":             false,
	"accessible_toilet_shower":    false,
	"lift_available":              false,
	"accessible_information":      false,
}

// penitentiaryFindings is what the report says of every penitentiary institution.
var penitentiaryFindings = map[string]string{
	"food_sufficient":          "in all institutions of the penitentiary system food is insufficient in quantity and nutritional value.",
	"medical_care_available":   "medical care is inadequate and necessary medication is often lacking.",
	"accessible_toilet_shower": "penitentiary institutions are not adapted for people with disabilities: no ramps, no access to toilets and showers.",
	"step_free_route":          "penitentiary institutions have no ramps for people with disabilities.",
	"complaint_mechanism":      "the computers for electronic complaints are hard to use and placed in administrative buildings prisoners cannot easily reach; complaints are often not registered.",
}

// notesOf turns findings into the notes of observations, with note saying how
// the value relates to the report.
func notesOf(note func(string) string, findings map[string]string) map[string]string {
	out := make(map[string]string, len(findings))
	for item, f := range findings {
		out[item] = note(f)
	}
	return out
}

var (
	penitentiaryReport = notesOf(fromReport, penitentiaryFindings) // visits the report describes
	penitentiaryLater  = notesOf(inLineWith, penitentiaryFindings) // visits after it
)

// custodialVisit is the visit-level answers of a visit to a police or
// penitentiary facility; each visit adds its numbers and the sections of its
// checklist (prisonSections, policeSections). Interviews are left to the
// interview module.
func custodialVisit(capacity, headcount int) map[string]any {
	return map[string]any{
		"official_capacity":      capacity,
		"headcount":              headcount,
		"debrief_held":           true,
		"complaint_mechanism":    "not_working",
		"food_sufficient":        "insufficient",
		"medical_care_available": "partly",
	}
}

// prisonSections are illustrative answers to the sections of the SIZO and
// colony checklist that the report does not describe (admission, registers,
// separation, contact, daily life, food, health care): a typical picture,
// each value noted as invented. A visit overrides what differs.
var prisonSections = map[string]any{
	"medical_exam_admission": "late_or_some", "admission_injuries": "recorded_only", "tb_screening": true,
	"mental_health_screening": false, "rights_on_admission": "oral_only",
	"force_register": "kept_gaps", "force_persons": 4, "injuries_register": "kept_gaps", "injuries_persons": 3,
	"injuries_reported": false, "disciplinary_register": "kept_complete", "disciplinary_persons": 35,
	"solitary_register": "kept_complete", "solitary_longest_days": 10.0, "solitary_protected_groups": false,
	"restraints_register": "kept_gaps", "restraints_persons": 2, "deaths_in_custody": 0, "deaths_investigated": "no_deaths",
	"juveniles_present": 0, "juveniles_with_adults": false, "women_present": 0, "women_separate": "no_women",
	"foreigners_present": 6, "foreigners_interpreter_consul": false, "tb_hiv": "gaps", "disabilities_present": 2,
	"disability_accommodation": false,
	"visits_family":            "restricted", "telephone": "limited", "letters": "censored", "lawyer_private": true,
	"work": "few", "education": "none", "leisure": "few", "religion": true, "books_media": true, "hours_out_of_room_h": 1.0,
	"meals_per_day": 3, "hot_meal_daily": true, "special_diets": "partly", "kitchen_hygienic": true, "relies_on_parcels": true,
	"health_staff": "daytime", "medicines_free": "family", "medical_confidentiality": false, "specialist_care": "delayed", "medical_records": true,
}

// policeSections are illustrative answers to the police-custody checklist's
// own sections (safeguards in custody, registers, separation, contact, food,
// health care), each noted as invented. A visit overrides what differs.
var policeSections = map[string]any{
	"custody_register": "kept_gaps", "arrest_time_gap_persons": 3, "arrest_to_register_h": 5.0, "delivery_to_ivs": "held_elsewhere",
	"custody_without_court_h": 50.0, "relatives_notified": "some", "lawyer_access": "appointed_only", "doctor_on_arrival": "on_request",
	"injuries_recorded_form": "recorded_only", "rights_information": "oral_only", "video_working": "some", "video_kept_days": 30.0,
	"footage_shown": false, "interview_rooms": "offices", "full_meal_daily": true,
	"force_register": "kept_gaps", "force_persons": 2, "injuries_register": "kept_gaps", "injuries_persons": 5, "injuries_reported": false,
	"restraints_register": "kept_gaps", "restraints_persons": 4, "deaths_in_custody": 0, "deaths_investigated": "no_deaths",
	"juveniles_present": 0, "juveniles_with_adults": false, "women_present": 1, "women_separate": "male_staff",
	"foreigners_present": 0, "foreigners_interpreter_consul": true, "tb_hiv": "none_held",
	"visits_family": "none", "telephone": "limited", "letters": "censored", "lawyer_private": false,
	"meals_per_day": 3, "hot_meal_daily": true, "special_diets": "not_provided", "kitchen_hygienic": true, "relies_on_parcels": true,
	"health_staff": "visiting", "medicines_free": "family", "medical_confidentiality": false, "specialist_care": "delayed", "medical_records": true,
}

// prisonVisit and policeVisit are custodialVisit with the sections of the checklist of the facility's type.
func prisonVisit(capacity, headcount int) map[string]any {
	return with(prisonSections, custodialVisit(capacity, headcount))
}

func policeVisit(capacity, headcount int) map[string]any {
	return with(policeSections, custodialVisit(capacity, headcount))
}

// reportNotes merges note maps; later ones win.
func reportNotes(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

const (
	cpcs      = "Committee of the Penitentiary and Correctional System (CPCS), Ministry of Internal Affairs"
	kar       = "demo-coordinator"
	memberA   = "demo-member"
	memberB   = "demo-member2"
	demolish  = "Demolish the building and build a new facility that meets national and international standards."
	noteIntro = "Demo confidential note (invented for the demo; no real person): "
)

var sizo61Report = map[string]string{
	"air_temperature_c": fromReport("in winter the temperature in the cells does not rise above 14 °C."),
	"sewage_problems":   fromReport("constant problems with the sewage system; inadequate sanitary conditions."),
}

var sizo61Later = map[string]string{
	"air_temperature_c": inLineWith("in winter the temperature in the cells does not rise above 14 °C."),
	"sewage_problems":   inLineWith("constant problems with the sewage system."),
}

var saranReport = map[string]string{
	"daylight_sufficient": fromReport("the IVS is located in a semi-basement; the cells are poorly equipped."),
	"cell_area_m2":        illustrativeFor("there is not enough room to sit down in the cells."),
	"wall_distance_m":     illustrativeFor("there is not enough room to sit down in the cells."),
	"sewage_problems":     fromReport("due to the limited space it is impossible to comply with sanitation and hygiene standards."),
}

var saranLater = map[string]string{
	"daylight_sufficient": inLineWith("the IVS is in a semi-basement."),
	"cell_area_m2":        inLineWith("there is not enough room to sit down in the cells."),
}

var no70Report = map[string]string{
	"bedding_sufficient": fromReport("apart from mattresses, detainees are not given bed linen and not everyone has a pillow."),
	"window_openable":    fromReport("the windows cannot be closed, so they are covered with plastic film in winter."),
	"window_obstructed":  fromReport("the windows are covered with plastic film in winter."),
	"damp_or_mould":      fromReport("the plaster is crumbling and the walls are damp; the building (1949) has never been renovated."),
}

var no75Report = map[string]string{
	"persons_present":  fromReport("six to eight people are held in one cell with inadequate space."),
	"cell_area_m2":     illustrativeFor("six to eight people are held in one cell with inadequate space."),
	"hot_water":        fromReport("there is no hot water in the cells."),
	"showers_per_week": illustrativeFor("there are no showers in the cells."),
	"damp_or_mould":    fromReport("there is no dryer, so laundry dries in the cells and makes them damp; the plaster is crumbling."),
	"sewage_problems":  fromReport("there are problems with the sewage system."),
}

// demoVisits are the visits, in no particular order: the loader plays them in date order.
var demoVisits = []visitSpec{
	// ---------------------------------------------------------------- Karaganda: SIZO No. 61
	{
		key: "sizo61-2023", facility: "sizo61", kind: "regular", ombudsperson: true,
		start: "2023-01-18T03:30:00Z", hours: 8, team: []string{memberA, memberB}, teamSize: 3,
		coordinator: kar, approve: true, outdoorC: deg(-18),
		visitValues: prisonVisit(900, 780),
		report:      reportNotes(penitentiaryReport, sizo61Report),
		locations: []locSpec{
			{label: "Cell 14", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 6, "sleeping_places": 6,
					"air_temperature_c": 14.0, "sewage_problems": true, "damp_or_mould": true}),
				second: map[string]any{"cell_area_m2": 16.2, "persons_present": 5, "sleeping_places": 6, "air_temperature_c": 14.0}},
			{label: "Cell 22", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 12.0, "persons_present": 4, "sleeping_places": 4,
					"air_temperature_c": 14.0, "sewage_problems": true}),
				second: map[string]any{"cell_area_m2": 12.0, "persons_present": 4, "sleeping_places": 4, "air_temperature_c": 14.0}},
			{label: "Transit cell 3", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 20.0, "persons_present": 9, "sleeping_places": 8,
					"air_temperature_c": 14.0, "sewage_problems": true, "hygiene_products_free": false}),
				notes: map[string]string{"persons_present": illustrativeFor("the facility houses transit prisoners moved around the country but has no sanitary check-up unit.")}},
		},
		consolidate: []consolidationSpec{{location: "Cell 14", item: "persons_present", value: 6, chosen: memberA,
			reason: "Checked against the roll-call list: six persons held; one was at the medical unit during the second count. (Demo)"}},
		recommend: []recSpec{
			{"sizo61-demolish", demolish, "infrastructure", cpcs},
			{"sizo61-heating", "Until a new building is ready, repair the heating so that cell temperatures reach at least 18 °C in winter.",
				"climate", "Administration of SIZO No. 61"},
			{"sizo61-checkup", "Set up a sanitary check-up unit for transit prisoners.", "sanitation", cpcs},
		},
		note: noteIntro + "in a private interview a detainee of Cell 14 said the cell had been this cold since November and that extra blankets were refused.",
	},
	{
		key: "sizo61-2024", facility: "sizo61", kind: "follow_up",
		start: "2024-02-06T03:30:00Z", hours: 7, team: []string{memberA, memberB}, teamSize: 2,
		coordinator: kar, approve: true, outdoorC: deg(-15),
		visitValues: prisonVisit(900, 820),
		report:      reportNotes(penitentiaryLater, sizo61Later),
		locations: []locSpec{
			{label: "Cell 14", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 12.5, "persons_present": 6, "sleeping_places": 6,
					"air_temperature_c": 14.0, "sewage_problems": true, "damp_or_mould": true}),
				second: map[string]any{"cell_area_m2": 11.5, "persons_present": 6, "sleeping_places": 6, "air_temperature_c": 15.0},
				notes:  map[string]string{"cell_area_m2": illustrative + " (the cell was partitioned since the last visit)."}},
			{label: "Cell 31", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 5, "sleeping_places": 6,
					"air_temperature_c": 14.5, "sewage_problems": true}),
				second: map[string]any{"cell_area_m2": 16.0, "persons_present": 5, "sleeping_places": 6, "air_temperature_c": 14.0}},
		},
		consolidate: []consolidationSpec{{location: "Cell 14", item: "cell_area_m2", value: 12.0,
			reason: "Measured again with the facility's floor plan: 12.0 m² without the sanitary annex. (Demo)"}},
		check: []checkSpec{{"sizo61-demolish", "not_implemented"}, {"sizo61-heating", "not_implemented"}, {"sizo61-checkup", "in_progress"}},
		note:  noteIntro + "two detainees said sewage had flooded the corridor of the first floor twice in January.",
	},
	{
		key: "sizo61-2025", facility: "sizo61", kind: "regular",
		start: "2025-12-10T04:00:00Z", hours: 7, team: []string{memberA, memberB}, teamSize: 2,
		coordinator: kar, outdoorC: deg(-12),
		visitValues: prisonVisit(900, 760),
		report:      reportNotes(penitentiaryLater, sizo61Later),
		locations: []locSpec{
			// Left for the coordinator: the members disagree on the area of Cell 14.
			{label: "Cell 14", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 11.5, "persons_present": 5, "sleeping_places": 6,
					"air_temperature_c": 14.0, "sewage_problems": true, "damp_or_mould": true}),
				second: map[string]any{"cell_area_m2": 14.0, "persons_present": 5, "sleeping_places": 6, "air_temperature_c": 14.0}},
			{label: "Cell 40", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 4, "sleeping_places": 6,
					"air_temperature_c": 15.0, "sewage_problems": false}),
				second: map[string]any{"cell_area_m2": 16.0, "persons_present": 4, "sleeping_places": 6, "air_temperature_c": 15.0}},
		},
		check: []checkSpec{{"sizo61-demolish", "not_implemented"}, {"sizo61-heating", "in_progress"}, {"sizo61-checkup", "implemented"}},
	},

	// ---------------------------------------------------------------- Karaganda: IVS Saran
	{
		key: "saran-2023", facility: "saran", kind: "regular", ombudsperson: true,
		start: "2023-02-15T04:00:00Z", hours: 5, team: []string{memberA, memberB}, teamSize: 2,
		coordinator: kar, approve: true, outdoorC: deg(-14),
		visitValues: with(policeVisit(30, 22), map[string]any{"food_sufficient": "partly"}),
		report:      reportNotes(penitentiaryReport, saranReport),
		locations: []locSpec{
			{label: "Cell 2 (semi-basement)", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 7.5, "persons_present": 3, "sleeping_places": 3,
					"wall_distance_m": 1.9, "ceiling_height_m": 2.3, "air_temperature_c": 17.0, "toilet_partition": "none",
					"sewage_problems": true, "outdoor_exercise_min": 0.0, "showers_per_week": 0.5}),
				second: map[string]any{"cell_area_m2": 7.5, "persons_present": 3, "sleeping_places": 2, "air_temperature_c": 17.0}},
			{label: "Cell 5 (semi-basement)", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 6.0, "persons_present": 2, "sleeping_places": 2,
					"wall_distance_m": 1.8, "ceiling_height_m": 2.3, "air_temperature_c": 16.0, "toilet_partition": "none",
					"sewage_problems": true, "outdoor_exercise_min": 0.0, "showers_per_week": 0.5}),
				second: map[string]any{"cell_area_m2": 6.2, "persons_present": 2, "sleeping_places": 2, "air_temperature_c": 16.0}},
		},
		consolidate: []consolidationSpec{{location: "Cell 2 (semi-basement)", item: "sleeping_places", value: 3, chosen: memberA,
			reason: "Three bunks; one had no mattress, which member B did not count. A mattress can be provided: three places. (Demo)"}},
		recommend: []recSpec{
			{"saran-new-building", "Move the IVS out of the semi-basement: build a new temporary detention facility.", "infrastructure", mia},
			{"saran-shower", "Give detainees access to a shower at least once a week.", "hygiene", "Head of the IVS, Saran"},
		},
	},
	{
		key: "saran-2024", facility: "saran", kind: "follow_up",
		start: "2024-04-23T04:00:00Z", hours: 5, team: []string{memberA, memberB}, teamSize: 2,
		coordinator: kar, approve: true, outdoorC: deg(9),
		visitValues: with(policeVisit(30, 26), map[string]any{"food_sufficient": "partly"}),
		report:      reportNotes(penitentiaryLater, saranLater),
		locations: []locSpec{
			{label: "Cell 2 (semi-basement)", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 7.5, "persons_present": 4, "sleeping_places": 3,
					"wall_distance_m": 1.9, "ceiling_height_m": 2.3, "air_temperature_c": 19.0, "toilet_partition": "none",
					"showers_per_week": 1.0, "outdoor_exercise_min": 0.0}),
				second: map[string]any{"cell_area_m2": 7.5, "persons_present": 3, "sleeping_places": 3, "air_temperature_c": 19.0}},
		},
		consolidate: []consolidationSpec{{location: "Cell 2 (semi-basement)", item: "persons_present", value: 4, chosen: memberA,
			reason: "The register shows four persons; one was taken to the investigator during member B's count. (Demo)"}},
		check: []checkSpec{{"saran-new-building", "not_implemented"}, {"saran-shower", "implemented"}},
	},
	{
		key: "saran-2026", facility: "saran", kind: "follow_up",
		start: "2026-03-17T04:00:00Z", hours: 4, team: []string{memberB, memberA}, teamSize: 2,
		coordinator: kar, outdoorC: deg(2),
		visitValues: with(policeVisit(30, 18), map[string]any{"food_sufficient": "partly"}),
		report:      reportNotes(penitentiaryLater, saranLater),
		locations: []locSpec{
			{label: "Cell 2 (semi-basement)", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 7.5, "persons_present": 2, "sleeping_places": 3,
					"wall_distance_m": 1.9, "ceiling_height_m": 2.3, "air_temperature_c": 18.0, "toilet_partition": "none",
					"outdoor_exercise_min": 30.0}),
				second: map[string]any{"cell_area_m2": 7.5, "persons_present": 2, "sleeping_places": 3, "air_temperature_c": 18.0}},
		},
		check: []checkSpec{{"saran-new-building", "in_progress"}},
		note:  noteIntro + "the duty officer said the design of a new building had been approved but no date was set for construction.",
	},

	// ---------------------------------------------------------------- Aktobe: Detention centre No. 70
	{
		key: "no70-2023", facility: "no70", kind: "regular",
		start: "2023-01-25T05:00:00Z", hours: 7, team: []string{"demo-member-akt"}, teamSize: 2,
		coordinator: "demo-coordinator-akt", approve: true, outdoorC: deg(-16),
		visitValues: prisonVisit(600, 540),
		report:      reportNotes(penitentiaryReport, no70Report),
		locations: []locSpec{
			{label: "Cell 7", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 14.0, "persons_present": 4, "sleeping_places": 4,
					"air_temperature_c": 16.0, "window_openable": false, "window_obstructed": "fully", "damp_or_mould": true,
					"bedding_sufficient": false})},
			{label: "Cell 12", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 10.0, "persons_present": 3, "sleeping_places": 3,
					"air_temperature_c": 15.0, "window_openable": false, "window_obstructed": "fully", "damp_or_mould": true,
					"bedding_sufficient": false})},
		},
		consolidate: []consolidationSpec{{item: "headcount", value: 540, chosen: "demo-member-akt",
			reason: "Confirmed against the facility's register on the day of the visit. (Demo)"}},
		recommend: []recSpec{
			{"no70-linen", "Provide every detainee with bed linen and a pillow.", "bedding", "Administration of Detention centre No. 70"},
			{"no70-windows", "Replace the windows so that they close, instead of covering them with plastic film.", "climate", cpcs},
			{"no70-repair", "Repair the crumbling plaster and treat the damp walls; plan the renovation of the 1949 building.", "infrastructure", cpcs},
		},
	},
	{
		key: "no70-2025", facility: "no70", kind: "follow_up",
		start: "2025-01-21T05:00:00Z", hours: 6, team: []string{"demo-member-akt"}, teamSize: 2,
		coordinator: "demo-coordinator-akt", approve: true, outdoorC: deg(-13),
		visitValues: prisonVisit(600, 510),
		report: reportNotes(penitentiaryLater, map[string]string{
			"bedding_sufficient": inLineWith("apart from mattresses, detainees were not given bed linen."),
			"window_obstructed":  inLineWith("the windows were covered with plastic film in winter."),
			"damp_or_mould":      inLineWith("the plaster was crumbling and the walls damp."),
		}),
		locations: []locSpec{
			{label: "Cell 7", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 14.0, "persons_present": 3, "sleeping_places": 4,
					"air_temperature_c": 18.0, "window_openable": true, "window_obstructed": "partly", "damp_or_mould": true,
					"bedding_sufficient": true})},
			{label: "Cell 12", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 10.0, "persons_present": 3, "sleeping_places": 3,
					"air_temperature_c": 16.0, "window_openable": false, "window_obstructed": "fully", "damp_or_mould": true,
					"bedding_sufficient": true})},
		},
		check: []checkSpec{{"no70-linen", "implemented"}, {"no70-windows", "in_progress"}},
	},

	// ---------------------------------------------------------------- Atyrau: Remand prison No. 75, Colony No. 15
	{
		key: "no75-2023", facility: "no75", kind: "regular", ombudsperson: true,
		start: "2023-02-08T05:00:00Z", hours: 8, team: []string{"demo-member-aty"}, teamSize: 3,
		coordinator: "demo-coordinator-aty", approve: true, outdoorC: deg(-4),
		visitValues: with(prisonVisit(500, 560), map[string]any{"solitary_longest_days": 20.0, "leisure": "none"}),
		report:      reportNotes(penitentiaryReport, no75Report),
		locations: []locSpec{
			{label: "Cell 4", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 6, "sleeping_places": 6,
					"air_temperature_c": 17.0, "hot_water": false, "damp_or_mould": true, "sewage_problems": true})},
			{label: "Cell 9", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 7, "sleeping_places": 6,
					"air_temperature_c": 17.0, "hot_water": false, "damp_or_mould": true, "sewage_problems": true})},
			{label: "Cell 15", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 18.0, "persons_present": 8, "sleeping_places": 8,
					"air_temperature_c": 18.0, "hot_water": false, "damp_or_mould": true, "sewage_problems": true})},
			{label: "Exercise yard 2 (no bench, no horizontal bar)", kind: "yard",
				values: map[string]any{"cell_area_m2": 24.0, "step_free_route": false},
				notes: map[string]string{"cell_area_m2": illustrativeFor("there are no sports grounds; not all exercise yards have horizontal bars or even benches."),
					"step_free_route": penitentiaryReport["step_free_route"]}},
		},
		consolidate: []consolidationSpec{{item: "headcount", value: 560, chosen: "demo-member-aty",
			reason: "Confirmed against the facility's register: 560 held for 500 places. (Demo)"}},
		recommend: []recSpec{
			{"no75-unfit", "Stop holding people in the building the NPM assessed as unfit to live in; transfer them to a facility that meets standards.", "infrastructure", cpcs},
			{"no75-dryer", "Install laundry dryers so that laundry is no longer dried in the cells.", "hygiene", "Administration of Remand prison No. 75"},
			{"no75-yards", "Equip the exercise yards with benches and horizontal bars; create a sports ground.", "regime", "Administration of Remand prison No. 75"},
		},
		note:        noteIntro + "two detainees said they did not dare hand written complaints to the team in front of staff.",
		gateWaitMin: 35,
		obstructions: []obstructionSpec{
			{kind: "refused", target: "documents", reason: "no_authorisation", note: "Demo (illustrative): the register of use of force was not shown."},
			{kind: "delayed", target: "person", reason: "regime", minutes: 40, note: "Demo (illustrative): a detainee asked for was brought after the count."},
		},
		// The seed report: prisoners are still wary of passing complaints to
		// visiting NPM members; visits are accompanied by the Ombudsperson's
		// representative.
		repInInterviews: "yes",
		// The representative stayed during the interviews; staff did at two.
		interviews: []interviewSpec{
			{private: true, consent: true, present: []string{"ombudsperson_rep"}, complaints: []string{"conditions", "health"}},
			{private: true, consent: true, fear: true, present: []string{"ombudsperson_rep"}, complaints: []string{"conditions"}, followUp: true},
			{private: false, consent: true, fear: true, present: []string{"staff", "ombudsperson_rep"}, followUp: true},
			{private: false, consent: true, fear: true, present: []string{"staff", "ombudsperson_rep"}, complaints: []string{"ill_treatment"}, followUp: true},
			{private: true, consent: true, present: []string{"ombudsperson_rep"}, complaints: []string{"conditions", "contact"}},
			{private: true, consent: true, present: []string{"ombudsperson_rep"}, complaints: []string{"legal"}},
		},
	},
	{
		key: "no75-2024", facility: "no75", kind: "follow_up",
		start: "2024-06-18T05:00:00Z", hours: 7, team: []string{"demo-member-aty"}, teamSize: 2,
		coordinator: "demo-coordinator-aty", approve: true, outdoorC: deg(34),
		visitValues: prisonVisit(500, 540),
		report: reportNotes(penitentiaryLater, map[string]string{
			"persons_present":   inLineWith("six to eight people were held in one cell with inadequate space."),
			"hot_water":         inLineWith("there was no hot water in the cells."),
			"air_temperature_c": inLineWith("there are no air conditioners."),
			"damp_or_mould":     inLineWith("without a dryer, laundry dried in the cells and made them damp."),
		}),
		locations: []locSpec{
			{label: "Cell 4", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 7, "sleeping_places": 6,
					"air_temperature_c": 31.0, "heating_working": false, "hot_water": false, "damp_or_mould": false, "sewage_problems": true})},
			{label: "Cell 9", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 8, "sleeping_places": 6,
					"air_temperature_c": 32.0, "heating_working": false, "hot_water": false, "damp_or_mould": false, "sewage_problems": true})},
			{label: "Exercise yard 2", kind: "yard",
				values: map[string]any{"cell_area_m2": 24.0, "step_free_route": false},
				notes:  map[string]string{"cell_area_m2": illustrative + " (a bench and a horizontal bar were installed since the last visit)."}},
		},
		check: []checkSpec{{"no75-unfit", "not_implemented"}, {"no75-dryer", "in_progress"}, {"no75-yards", "implemented"}},
		recommend: []recSpec{
			{"no75-hot-water", "Provide hot water and access to showers; install air conditioning or ventilation for the summer heat.", "water", cpcs},
		},
	},
	{
		key: "colony15-2023", facility: "colony15", kind: "special",
		start: "2023-02-09T05:00:00Z", hours: 6, team: []string{"demo-member-aty"}, teamSize: 2,
		coordinator: "demo-coordinator-aty", outdoorC: deg(-3),
		visitValues: prisonVisit(1000, 870),
		report: reportNotes(penitentiaryReport, map[string]string{
			"pests": fromReport("prisoners complained about rats."),
		}),
		locations: []locSpec{
			{label: "Dormitory, unit 2", kind: "dormitory",
				values: with(custodialCell, map[string]any{"cell_area_m2": 150.0, "persons_present": 52,
					"sleeping_places": 56, "hours_locked_in_h": 10.0, "outdoor_exercise_min": 120.0, "air_temperature_c": 18.0,
					"toilet_in_cell": false, "toilets_working": 4, "pests": "rodents", "ceiling_height_m": 3.0, "wall_distance_m": 6.0})},
			{label: "Canteen", kind: "kitchen",
				values: map[string]any{"pests": "rodents", "running_water": true, "hot_water": true, "sewage_problems": false}},
		},
		recommend: []recSpec{
			{"colony15-rats", "Carry out pest control against rats in the living units and the canteen, and close the gaps they come through.", "hygiene", "Administration of Prison Colony No. 15"},
		},
	},

	// ---------------------------------------------------------------- Shymkent
	{
		key: "srdf-2023", facility: "srdf", kind: "regular",
		start: "2023-02-22T04:00:00Z", hours: 5, team: []string{"demo-member-shy"}, teamSize: 2,
		coordinator: "demo-coordinator-shy", approve: true, outdoorC: deg(6),
		visitValues: policeVisit(60, 81),
		report: reportNotes(penitentiaryReport, map[string]string{
			"headcount":       illustrativeFor("the detainees live in constantly overcrowded conditions."),
			"sleeping_places": illustrativeFor("those serving administrative sentences sometimes have to share beds and take turns sleeping."),
			"persons_present": illustrativeFor("the facility is constantly overcrowded."),
		}),
		locations: []locSpec{
			{label: "Cell 3", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 9, "sleeping_places": 6,
					"air_temperature_c": 19.0, "bedding_sufficient": false})},
			{label: "Cell 5", kind: "police_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 12.0, "persons_present": 7, "sleeping_places": 4,
					"air_temperature_c": 20.0, "bedding_sufficient": false})},
		},
		consolidate: []consolidationSpec{{item: "headcount", value: 81, chosen: "demo-member-shy",
			reason: "Confirmed against the admission register: 81 persons for 60 places. (Demo)"}},
		recommend: []recSpec{
			{"srdf-beds", "Give every person their own bed; stop admitting people beyond the official capacity.", "space", mia + ", Shymkent City Police Department"},
			{"srdf-rebuild", "Reconstruct the 1962 building.", "infrastructure", mia},
		},
	},
	{
		key: "inst78-2023", facility: "inst78", kind: "regular",
		start: "2023-02-23T04:00:00Z", hours: 7, team: []string{"demo-member-shy"}, teamSize: 2,
		coordinator: "demo-coordinator-shy", outdoorC: deg(8),
		visitValues: with(prisonVisit(700, 640), map[string]any{"women_present": 640, "women_separate": "yes", "mothers_with_children": "inadequate",
			"women_health_screening": false, "work": "most"}),
		report: reportNotes(penitentiaryReport, map[string]string{
			"damp_or_mould": illustrativeFor("the buildings were converted from stables built in the mid-19th century and require major repair or demolition."),
		}),
		locations: []locSpec{
			{label: "Dormitory, unit 1 (building converted from stables)", kind: "dormitory",
				values: with(custodialCell, map[string]any{"cell_area_m2": 140.0, "persons_present": 48,
					"sleeping_places": 50, "hours_locked_in_h": 10.0, "outdoor_exercise_min": 120.0, "air_temperature_c": 17.0,
					"toilet_in_cell": false, "toilets_working": 3, "damp_or_mould": true, "ceiling_height_m": 3.2, "wall_distance_m": 6.5})},
		},
		recommend: []recSpec{
			{"inst78-buildings", "Carry out major repair or replace the living buildings converted from 19th-century stables.", "infrastructure", cpcs},
		},
	},

	// ---------------------------------------------------------------- Almaty region: LA 155/14
	{
		key: "la155-2023", facility: "la155", kind: "special",
		start: "2023-03-01T04:00:00Z", hours: 7, team: []string{"demo-member-alm"}, teamSize: 2,
		outdoorC:    deg(9),
		visitValues: with(prisonVisit(1200, 1050), map[string]any{"medical_care_available": "not_available"}),
		report: reportNotes(penitentiaryReport, map[string]string{
			"running_water":   fromReport("in some buildings water does not reach the second floor, so inmates carry water in buckets."),
			"sewage_problems": fromReport("the conditions are unsanitary: the toilets have an unpleasant smell, especially in summer."),
		}),
		locations: []locSpec{
			{label: "Dormitory, unit 3, second floor", kind: "dormitory",
				values: with(custodialCell, map[string]any{"cell_area_m2": 160.0, "persons_present": 58,
					"sleeping_places": 60, "hours_locked_in_h": 10.0, "outdoor_exercise_min": 120.0, "air_temperature_c": 17.0,
					"toilet_in_cell": false, "toilets_working": 3, "running_water": false, "sewage_problems": true,
					"ceiling_height_m": 3.0, "wall_distance_m": 6.0})},
			{label: "Medical unit", kind: "medical",
				values: map[string]any{"step_free_route": false, "accessible_toilet_shower": false, "lift_available": false,
					"accessible_information": false, "running_water": true,
					"disability_assistance_notes": "A prisoner who uses a wheelchair cannot move around independently and has no orthopaedic or rehabilitation equipment and not the medication he needs. No name recorded."},
				notes: map[string]string{"disability_assistance_notes": fromReport("a prisoner who is a wheelchair user (group 1 disability) cannot move around independently and lacks medication and orthopaedic and rehabilitation equipment.")}},
		},
		recommend: []recSpec{
			{"la155-wheelchair", "Provide the prisoner who uses a wheelchair with the medication, orthopaedic and rehabilitation equipment he needs, and a step-free route to the medical unit, canteen and yard.", "disability", "Ministry of Healthcare; Administration of LA 155/14"},
			{"la155-water", "Bring running water to the second floor of every building.", "water", cpcs},
		},
		note:        noteIntro + "the prisoner who uses a wheelchair asked the team to follow up on his request for a new wheelchair and agreed to be contacted through his lawyer.",
		gateWaitMin: 70,
		obstructions: []obstructionSpec{
			{kind: "delayed", target: "area", reason: "no_authorisation", minutes: 70, note: "Demo (illustrative): kept at the gate until the head of the institution confirmed the visit by telephone."},
			{kind: "refused", target: "area", reason: "security", note: "Demo (illustrative): the disciplinary unit was not shown."},
			{kind: "refused", target: "devices", reason: "security", note: "Demo (illustrative): the camera had to stay at the gate."},
		},
		repInInterviews: "no",
		interviews: []interviewSpec{
			{private: true, consent: true, present: []string{"none"}, complaints: []string{"health"}, followUp: true},
			{private: true, consent: true, fear: true, present: []string{"none"}, complaints: []string{"conditions", "health"}},
			{private: true, consent: true, present: []string{"none"}, complaints: []string{"conditions"}},
			{private: false, consent: true, fear: true, present: []string{"staff"}},
		},
	},

	// ---------------------------------------------------------------- East Kazakhstan: SIZO No. 73
	{
		key: "sizo73-2023", facility: "sizo73", kind: "regular",
		start: "2023-01-31T04:00:00Z", hours: 7, team: []string{"demo-member-vos"}, teamSize: 2,
		outdoorC:    deg(-20),
		visitValues: prisonVisit(800, 690),
		report: reportNotes(penitentiaryReport, map[string]string{
			"damp_or_mould": illustrativeFor("the facility is in a building from 1720 that fails to meet national or international standards."),
		}),
		locations: []locSpec{
			{label: "Cell 21 (old building)", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 18.0, "persons_present": 6, "sleeping_places": 6,
					"air_temperature_c": 17.0, "damp_or_mould": true, "ceiling_height_m": 2.4, "window_obstructed": "partly"})},
			{label: "Cell 34", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 12.0, "persons_present": 4, "sleeping_places": 4,
					"air_temperature_c": 18.0, "damp_or_mould": true})},
		},
		recommend: []recSpec{
			{"sizo73-relocate", "Move the facility out of the 1720 building into one that meets national and international standards.", "infrastructure", cpcs},
		},
		gateWaitMin:     15,
		repInInterviews: "no_interviews",
	},

	// ---------------------------------------------------------------- Pavlodar: children's social-care centre
	{
		key: "pavlodar-2023", facility: "pavlodar", kind: "regular", announced: true,
		start: "2023-02-28T04:00:00Z", hours: 5, team: []string{"demo-member-pav"}, teamSize: 2,
		outdoorC: deg(-9),
		visitValues: map[string]any{"official_capacity": 150, "headcount": 132,
			"debrief_held": true, "complaint_mechanism": "only_through_staff", "food_sufficient": "sufficient",
			"medical_care_available": "available",
			// The children's checklist's own sections; every value illustrative.
			"medical_exam_admission": "within_24h", "rights_on_admission": "not_given", "placement_legal_basis": "gaps",
			"restraint_register": "not_kept", "seclusion_register": "not_kept", "punishments_used": true, "injuries_register": "kept_gaps",
			"deaths": 0, "deaths_investigated": "no_deaths", "women_men_apart": true, "disabilities_present": 41,
			"disability_accommodation": false, "language_support": false, "visits_family": "restricted", "telephone": "limited",
			"work": "none", "education": "few", "leisure": "none", "hours_out_of_room_h": 2.0, "meals_per_day": 5,
			"hot_meal_daily": true, "special_diets": "provided", "health_staff": "round_the_clock", "medicines_free": "free",
			"care_plan": false},
		report: map[string]string{
			"lift_available":         fromReport("the centre has no elevator."),
			"step_free_route":        fromReport("the centre has no walkways or handrails."),
			"accessible_information": fromReport("the centre has no pictograms."),
			"toilet_partition":       illustrativeFor("in similar social, medical and educational institutions even toilets and showers do not always have partitions or curtains."),
			"outdoor_exercise_min":   illustrativeFor("in similar institutions there is often no opportunity even to go outside for a walk."),
		},
		locations: []locSpec{
			{label: "Room 4 (second floor)", kind: "room",
				values: map[string]any{"cell_area_m2": 24.0, "persons_present": 5, "sleeping_places": 5,
					"wall_distance_m": 3.5, "ceiling_height_m": 3.0, "hours_locked_in_h": 0.0, "outdoor_exercise_min": 0.0,
					"air_temperature_c": 22.0, "heating_working": true, "window_openable": true, "window_obstructed": "none",
					"daylight_sufficient": true, "lights_on_all_night": false, "ventilation": "natural", "damp_or_mould": false,
					"toilet_in_cell": false, "bedding_sufficient": true, "pests": "none", "step_free_route": false,
					"lift_available": false, "accessible_information": false}},
			{label: "Sanitary block, second floor", kind: "sanitary",
				values: map[string]any{"toilet_partition": "none", "toilets_working": 3, "running_water": true, "hot_water": true,
					"showers_per_week": 2.0, "hygiene_products_free": true, "sewage_problems": false, "step_free_route": false,
					"accessible_toilet_shower": false}},
		},
		recommend: []recSpec{
			{"pavlodar-access", "Install an elevator, walkways, handrails and pictograms so that every child can move around the centre.", "disability", "Pavlodar Region Administration for Coordination of Employment and Social Programmes"},
			{"pavlodar-privacy", "Fit partitions and curtains in toilets and showers, and organise daily walks outside.", "sanitation", "Director of the centre"},
		},
	},

	// ---------------------------------------------------------------- Almaty city: Detention Centre No. 18
	{
		key: "no18-2023", facility: "no18", kind: "special",
		start: "2023-03-06T04:00:00Z", hours: 6, team: []string{"demo-member-ala"}, teamSize: 2,
		outdoorC:    deg(4),
		visitValues: with(prisonVisit(1200, 1130), map[string]any{"juveniles_present": 1, "juveniles_with_adults": true}),
		report: reportNotes(penitentiaryReport, map[string]string{
			"juveniles_with_adults": fromReport("a 15-year-old was held in a cell with adult detainees with previous convictions."),
			"juveniles_present":     illustrativeFor("a 15-year-old was held in a cell with adult detainees."),
		}),
		locations: []locSpec{
			{label: "Cell 112", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 20.0, "persons_present": 6, "sleeping_places": 6,
					"air_temperature_c": 19.0}),
				notes: map[string]string{"persons_present": illustrativeFor("a 15-year-old was held in a cell with adult detainees with previous convictions.")}},
			{label: "Cell 118", kind: "shared_cell",
				values: with(custodialCell, map[string]any{"cell_area_m2": 16.0, "persons_present": 4, "sleeping_places": 4,
					"air_temperature_c": 19.0})},
		},
		recommend: []recSpec{
			{"no18-juveniles", "Hold children apart from adults at all times, and never with adults who have previous convictions.", "safeguards", cpcs},
		},
		note: noteIntro + "staff confirmed that a detainee under 18 had been held with adults; the team did not meet him and recorded no name.",
	},
}

// usedItems lists every checklist item visit v records.
func usedItems(v visitSpec) []string {
	seen := map[string]bool{"ombudsperson_rep_present": true, "team_size": true, "air_temp_measured_at": true, "outdoor_temperature_c": true}
	for item := range v.visitValues {
		seen[item] = true
	}
	for _, loc := range v.locations {
		for item := range loc.values {
			seen[item] = true
		}
		for item := range loc.second {
			seen[item] = true
		}
	}
	for _, c := range v.consolidate {
		seen[c.item] = true
	}
	items := make([]string, 0, len(seen))
	for item := range seen {
		items = append(items, item)
	}
	sort.Strings(items)
	return items
}

// finding is what a recommendation of a visit follows from in that visit's
// own answers: an indicator in the band named, or an answer. The zero finding
// is a recommendation the report itself makes (demolish, rebuild) with no
// checklist answer behind it.
type finding struct {
	indicator, band string // the indicator is in this band in at least one place
	item            string // or the item has this answer in at least one place
	value           any
}

// recommendationBasis names the finding of every recommendation, so that no
// recommendation asks for what its visit already records (a shower a week
// where the visit records one): TestRecommendationsFollowFromTheirVisit.
var recommendationBasis = map[string]finding{
	"sizo61-demolish": {}, "sizo61-checkup": {}, "saran-new-building": {}, "no75-unfit": {}, "no75-yards": {},
	"srdf-rebuild": {}, "inst78-buildings": {}, "sizo73-relocate": {},
	"sizo61-heating":   {indicator: "lowest_temperature", band: schema.BandRed},
	"saran-shower":     {indicator: "showers_per_week", band: schema.BandRed},
	"srdf-beds":        {indicator: "sleeping_places_per_person", band: schema.BandRed},
	"no70-linen":       {item: "bedding_sufficient", value: false},
	"no70-windows":     {item: "window_openable", value: false},
	"no70-repair":      {item: "damp_or_mould", value: true},
	"no75-dryer":       {item: "damp_or_mould", value: true},
	"no75-hot-water":   {item: "hot_water", value: false},
	"colony15-rats":    {item: "pests", value: "rodents"},
	"la155-wheelchair": {item: "step_free_route", value: false},
	"la155-water":      {item: "running_water", value: false},
	"pavlodar-access":  {item: "lift_available", value: false},
	"pavlodar-privacy": {item: "toilet_partition", value: "none"},
	"no18-juveniles":   {item: "juveniles_with_adults", value: true},
}
