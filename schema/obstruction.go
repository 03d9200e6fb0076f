package schema

// Obstruction of a visit and the interview module (issue 13): the values the
// sync protocol accepts for them, the team-size cap per visit kind, and the
// figures a report may count.

// ObstructionKinds: access refused outright, or granted after a delay.
var ObstructionKinds = []string{"refused", "delayed"}

// ObstructionTargets: what access was refused or delayed to. "devices" is a
// refusal to let the team bring in or use its equipment (camera, phone,
// thermometer, tape measure).
var ObstructionTargets = []string{"area", "documents", "person", "devices"}

// ObstructionReasons: the reason the staff gave, as a category (the words
// themselves stay in the record's note, which reports never print).
var ObstructionReasons = []string{"security", "no_authorisation", "staff_absent", "regime", "quarantine",
	"person_unwilling", "none_given", "other"}

// RepInInterviews: whether the Ombudsperson's representative stayed during
// the private interviews ("" when not recorded).
var RepInInterviews = []string{"yes", "no", "no_interviews"}

// InterviewPresent: who else was present at a private interview (none: only
// the monitors).
var InterviewPresent = []string{"none", "staff", "ombudsperson_rep", "other_detainees", "medical", "interpreter", "other"}

// InterviewComplaints: what a complaint made at an interview was about.
var InterviewComplaints = []string{"ill_treatment", "conditions", "health", "contact", "legal"}

// TeamCap is the largest visiting team the law allows for a kind of visit.
type TeamCap struct {
	Kind   string
	Max    int    // 0: no cap known
	Source string // where the number comes from
	// Verify: the number comes from a secondary source and the article of
	// law has not been checked; reports say "for verification".
	Verify bool
}

// TeamCaps: the cap on the team size per visit kind. The numbers (three for
// regular visits, two for special ones) come from the Coalition's account of
// practice (shared/domain/STANDARDS.md, "The visit"); the rules of forming
// the NPM's visiting groups adopted under the Law of the Republic of
// Kazakhstan "On the Commissioner for Human Rights" (2022) were not
// available to check, so the article is not cited and every cap is marked
// for verification. No cap is known for follow-up visits.
var TeamCaps = []TeamCap{
	{Kind: "regular", Max: 3, Source: "Coalition's account of practice; article of the rules of forming NPM groups for verification", Verify: true},
	{Kind: "special", Max: 2, Source: "Coalition's account of practice; article of the rules of forming NPM groups for verification", Verify: true},
	{Kind: "follow_up", Max: 0, Source: "no cap known", Verify: true},
}

// TeamCapOf returns the cap for a visit kind (Max 0 when none is known).
func TeamCapOf(kind string) TeamCap {
	for _, c := range TeamCaps {
		if c.Kind == kind {
			return c
		}
	}
	return TeamCap{Kind: kind}
}

// SmallCount is the smallest count of persons a report prints as a number:
// a count of 1 or 2 persons is printed as "fewer than 3" (OPCAT Art. 21(2);
// shared/domain/STANDARDS.md, "Confidentiality").
const SmallCount = 3
