package schema

// The visibility rule: who may see which record and which of its fields.
// It is the one place that decides it. Every route that returns record data
// (pull, conflicts, quarantine, the desk's views, the audit trail, reports)
// and the server's log lines ask it; the pull's SQL is generated from it
// (store.VisibleRecords), and a test checks that the SQL and this function
// agree.
//
// The rule is data: a class for every field of every record type
// (fieldClasses), what each relation between reader and record may see of a
// record (recordAccess) and of each class of field (classAccess). A field the
// table does not know is treated as confidential: a new field stays hidden
// until someone classifies it.

// Access is what a reader gets of a record or a field.
type Access uint8

const (
	// Absent: the record is not listed at all / the field is left out.
	Absent Access = iota
	// Redacted: the record is listed, or the field named, but its contents
	// are withheld ("redacted" in the answer).
	Redacted
	// Visible: shown as stored.
	Visible
)

func (a Access) String() string {
	switch a {
	case Visible:
		return "visible"
	case Redacted:
		return "redacted"
	}
	return "absent"
}

// Relation is how a reader stands to one record. RelationOf works it out;
// every reader has exactly one relation to each record.
type Relation uint8

const (
	RelAuthor      Relation = iota // a member who wrote the record (observation, confidential note)
	RelTeam                        // a member on the record's visit team who is not its author
	RelRegion                      // a member of the record's region who is not on its visit team
	RelOtherRegion                 // a member or coordinator of another region
	RelCoordinator                 // the coordinator of the record's region
	RelStaff                       // coalition staff: every region
	RelAdmin                       // administrator: every region
	RelPublic                      // a report (PDF, CSV): whoever ends up reading it
	RelLog                         // the server's log lines
)

// Relations are every relation, for tests and for building queries.
var Relations = []Relation{RelAuthor, RelTeam, RelRegion, RelOtherRegion, RelCoordinator, RelStaff, RelAdmin, RelPublic, RelLog}

func (r Relation) String() string {
	return [...]string{"author", "team", "region", "other_region", "coordinator", "staff", "admin", "public", "log"}[r]
}

// Class is the sensitivity of a field.
type Class uint8

const (
	// ClassPlain: structure and ids, kinds, numbers, dates: whoever sees the
	// record sees them.
	ClassPlain Class = iota
	// ClassPrintable: free text that reports print (a location's label, a
	// recommendation's text). Whoever sees the record sees it; a report
	// prints it unless the pre-approval check flagged it and nobody cleared it.
	ClassPrintable
	// ClassPersonal: free text that may name or describe a detainee (an
	// observation's note, a personal text answer, a decision's reason): the
	// visit's team and the region's coordinator; redacted for staff and
	// admins; in a report only when a coordinator cleared it for publication.
	ClassPersonal
	// ClassConfidential: what a detainee said in confidence (a confidential
	// note's text): its author and the region's coordinator only; never in a
	// report.
	ClassConfidential
)

func (c Class) String() string {
	return [...]string{"plain", "printable", "personal", "confidential"}[c]
}

// fieldClasses classifies every field of every record type that is not
// ClassPlain. "value" of an observation or consolidation is ClassPersonal
// only for a text item the checklist marks personal (see FieldClass).
var fieldClasses = map[string]map[string]Class{
	"facility": {},
	"visit": {
		"status_reason": ClassPersonal, // why a visit was reopened (status history)
		"reason":        ClassPersonal, // the same, as the op log keeps it
	},
	"location": {
		"label": ClassPrintable,
	},
	"observation": {
		"note": ClassPersonal,
	},
	"consolidation": {
		"reason": ClassPersonal,
	},
	"recommendation": {
		"text":      ClassPrintable,
		"category":  ClassPrintable, // typed by a member, printed beside the text
		"addressee": ClassPrintable,
	},
	"confidential_note": {
		"text": ClassConfidential,
	},
	// A photo may show a person: its picture and caption are personal,
	// printed only once a coordinator cleared it (may_publish). A photo of
	// a confidential note takes the note's class (PhotoSubject).
	"photo": {
		"image":   ClassPersonal,
		"caption": ClassPersonal,
	},
	"obstruction": {
		"note": ClassPersonal, // the staff's words, areas or persons named: never printed
	},
	"interview": {
		// Every answer of an interview is confidential; a report gets only
		// counts of them (CountedFields), under the small-count rule.
		"private_setting": ClassConfidential, "present": ClassConfidential, "consent": ClassConfidential,
		"fear_of_reprisal": ClassConfidential, "complaints": ClassConfidential, "follow_up": ClassConfidential,
	},
}

// plainFields lists the fields known to be ClassPlain; any other field is
// treated as confidential.
var plainFields = map[string][]string{
	"facility": {"id", "name", "type", "authority", "region", "address", "capacity", "built_year", "verified", "demo", "created_by",
		"name_ru", "name_kk", "name_en", "authority_ru", "authority_kk", "authority_en", "address_ru", "address_kk", "address_en"},
	"visit": {"id", "facility_id", "kind", "announced", "started_at", "ended_at", "team", "ombudsperson_rep_present",
		"access_refused", "status", "checklist", "demo", "created_by", "_deleted",
		"arrived_at", "admitted_at", "team_size", "rep_in_interviews"},
	"location":          {"id", "visit_id", "kind", "created_by", "_deleted"},
	"observation":       {"id", "visit_id", "location_id", "item", "author_id", "_deleted"},
	"consolidation":     {"id", "visit_id", "location_id", "item", "observation_id", "decided_by", "_deleted"},
	"recommendation":    {"id", "facility_id", "visit_id", "status", "checked_visit_id", "created_by", "_deleted"},
	"confidential_note": {"id", "visit_id", "location_id", "consent_to_publish", "author_id", "_deleted"},
	"photo": {"id", "visit_id", "location_id", "item", "note_id", "taken_at", "sha256", "bytes", "author_id", "created_at",
		"received_at", "may_publish", "cleared_by", "cleared_at", "content_type", "width", "height"},
	"obstruction": {"id", "visit_id", "kind", "target", "minutes", "reason_given", "created_by", "_deleted"},
	"interview":   {"id", "visit_id", "author_id", "_deleted"},
}

// RecordTypeNames are the record types the rule knows.
var RecordTypeNames = []string{"facility", "visit", "location", "observation", "consolidation", "recommendation", "confidential_note",
	"obstruction", "interview"}

// FieldClass returns the class of a field of a record type. personal says
// whether the record's checklist item is a personal text item (observation
// and consolidation values). Unknown types and fields are ClassConfidential.
func FieldClass(typ, field string, personal bool) Class {
	classes, ok := fieldClasses[typ]
	if !ok {
		return ClassConfidential
	}
	if c, ok := classes[field]; ok {
		return c
	}
	if field == "value" && (typ == "observation" || typ == "consolidation") {
		if personal {
			return ClassPersonal
		}
		return ClassPlain
	}
	for _, f := range plainFields[typ] {
		if f == field {
			return ClassPlain
		}
	}
	return ClassConfidential
}

// visitRecords are the record types that belong to a visit.
var visitRecords = map[string]bool{"visit": true, "location": true, "observation": true, "consolidation": true, "confidential_note": true,
	"photo": true, "obstruction": true, "interview": true}

// PhotoSubject returns the subject and field that decide who sees a photo's
// picture: the photo itself (field "image", personal) or, for a photo
// attached to a confidential note, the note (field "text", confidential):
// a photo is never easier to see than the record it belongs to.
func PhotoSubject(photo Subject, noteAuthorID string, ofNote bool) (Subject, string) {
	if !ofNote {
		photo.Type = "photo"
		return photo, "image"
	}
	photo.Type = "confidential_note"
	photo.AuthorID = noteAuthorID
	return photo, "text"
}

// confidentialRecords are the record types whose contents only their author
// and the region's coordinator see: what detainees said in confidence.
var confidentialRecords = map[string]bool{"confidential_note": true, "interview": true}

// recordAccess is what each relation gets of a record of each type: Visible
// (listed with its fields, subject to the field rule), Redacted (its
// existence may be listed with every field but ids withheld: audit,
// conflicts, quarantine), Absent.
func recordAccess(typ string, rel Relation) Access {
	if confidentialRecords[typ] {
		switch rel {
		case RelAuthor, RelCoordinator:
			return Visible
		case RelTeam, RelStaff, RelAdmin:
			return Redacted
		}
		return Absent
	}
	switch rel {
	case RelAuthor, RelTeam, RelCoordinator, RelStaff, RelAdmin, RelPublic:
		return Visible
	case RelRegion:
		if visitRecords[typ] {
			return Absent // members see the visits they are on
		}
		return Visible // the region's facilities and recommendations
	}
	return Absent // another region; the log
}

// classAccess is what each relation gets of a field of each class, on a
// record it may see.
func classAccess(c Class, rel Relation) Access {
	if rel == RelLog {
		return Absent // log lines carry no record contents at all
	}
	switch c {
	case ClassPlain, ClassPrintable:
		return Visible
	case ClassPersonal:
		switch rel {
		case RelAuthor, RelTeam, RelCoordinator:
			return Visible
		case RelPublic:
			return Redacted // printed only once cleared (Subject.Cleared)
		}
		return Redacted
	}
	// ClassConfidential
	switch rel {
	case RelAuthor, RelCoordinator:
		return Visible
	case RelPublic:
		return Absent
	}
	return Redacted
}

// CountedFields are the confidential fields of which a report may print
// counts across records (how many interviews were held in private, how many
// persons complained of ill-treatment), never a record's own value: the
// report's data are read as counts in SQL (store.InterviewCounts) and a count
// below SmallCount is printed as "fewer than 3", as is any total or
// complement it could be worked out from.
var CountedFields = map[string][]string{
	"interview": {"private_setting", "present", "consent", "fear_of_reprisal", "complaints", "follow_up"},
}

// FollowUpAccess is what a relation gets of the follow-up list of a
// facility (an interview marked for follow-up: the date of its visit and
// what the complaint was about; never its id, author, or other answers). The
// region's monitors get it, so that the next team to visit can check for
// reprisals; a report and the log never do.
func FollowUpAccess(rel Relation) Access {
	switch rel {
	case RelAuthor, RelTeam, RelRegion, RelCoordinator:
		return Visible
	}
	return Absent
}

// Viewer is who reads: a user, or the pseudo-readers RolePublic and RoleLog.
type Viewer struct {
	UserID, Role, Region string
}

// Pseudo-roles of readers that are not users.
const (
	RolePublic = "public" // a report
	RoleLog    = "log"    // the server's log
)

// Subject is what the rule needs to know of one record.
type Subject struct {
	Type     string
	Region   string
	AuthorID string // observation and confidential note: the member who wrote it
	OnTeam   bool   // the viewer is on the record's visit team
	// Personal: the record's checklist item is a personal text item.
	Personal bool
	// Cleared: for a report, the text was cleared for publication by a
	// coordinator (personal text); for a report, staff and admins, the
	// printable text passed the pre-approval check or was cleared there
	// (CheckedSubject, store.Tx.PrintableCleared).
	Cleared bool
}

// RelationOf returns how viewer stands to the record s.
func RelationOf(v Viewer, s Subject) Relation {
	switch v.Role {
	case RolePublic:
		return RelPublic
	case RoleLog:
		return RelLog
	case RoleStaff:
		return RelStaff
	case RoleAdmin:
		return RelAdmin
	case RoleCoordinator:
		if v.Region != "" && v.Region == s.Region {
			return RelCoordinator
		}
		return RelOtherRegion
	case RoleMember:
		switch {
		case v.Region == "" || v.Region != s.Region:
			return RelOtherRegion
		case s.AuthorID != "" && s.AuthorID == v.UserID:
			return RelAuthor
		case s.OnTeam:
			return RelTeam
		}
		return RelRegion
	}
	return RelOtherRegion // an unknown role sees nothing
}

// RecordAccess returns what viewer gets of the record s as a whole.
func RecordAccess(v Viewer, s Subject) Access {
	return RecordAccessFor(s.Type, RelationOf(v, s))
}

// RecordAccessFor is RecordAccess for a known relation.
func RecordAccessFor(typ string, rel Relation) Access {
	if _, ok := fieldClasses[typ]; !ok {
		// An unknown type (a malformed operation) is treated as confidential:
		// its sender and the region's coordinator only.
		if rel == RelCoordinator || rel == RelAuthor {
			return Visible
		}
		return Absent
	}
	return recordAccess(typ, rel)
}

// FieldAccess returns what viewer gets of one field of the record s: never
// more than of the record itself.
func FieldAccess(v Viewer, s Subject, field string) Access {
	return FieldAccessFor(s, RelationOf(v, s), field)
}

// FieldAccessFor is FieldAccess for a known relation.
func FieldAccessFor(s Subject, rel Relation, field string) Access {
	rec := RecordAccessFor(s.Type, rel)
	if rec == Absent {
		return Absent
	}
	c := FieldClass(s.Type, field, s.Personal)
	a := classAccess(c, rel)
	if rel == RelPublic && s.Cleared && (c == ClassPersonal || c == ClassPrintable) {
		a = Visible
	}
	if printableChecked(rel) && !s.Cleared && c == ClassPrintable {
		a = Redacted
	}
	if rec == Redacted && c != ClassPlain {
		a = min(a, Redacted)
	}
	return a
}

// printableChecked reports whether a reader in relation rel sees a
// printable text only once it passed the pre-approval check (nothing in it
// flagged by FlagPersonalData, or a coordinator cleared that very text):
// a report, and coalition staff and administrators, who may see what is
// printable but not what may identify a person. The region's coordinator
// sees it (to clear or correct it), and so do the visit's team and the
// region's members who wrote it.
func printableChecked(rel Relation) bool {
	return rel == RelPublic || rel == RelStaff || rel == RelAdmin
}

// CheckedSubject returns s for one field whose value is known: a printable
// text that nothing in it flags (FlagPersonalData) is taken as cleared, as
// is an empty one. A flagged text stays uncleared: the caller that knows
// of a coordinator's clearance of that very text sets Cleared itself.
func CheckedSubject(s Subject, field string, value any) Subject {
	if s.Cleared || FieldClass(s.Type, field, s.Personal) != ClassPrintable {
		return s
	}
	switch v := value.(type) {
	case nil:
		s.Cleared = true
	case string:
		s.Cleared = len(FlagPersonalData(v)) == 0
	}
	return s
}

// Redact returns fields with every field the viewer may not see removed,
// and the names of those withheld as redacted (sorted as fields' keys are
// visited: callers sort if they need an order). fields is not changed. A
// printable text is judged by what it holds (CheckedSubject).
func Redact(v Viewer, s Subject, fields map[string]any) (map[string]any, []string) {
	rel := RelationOf(v, s)
	out := make(map[string]any, len(fields))
	var redacted []string
	for name, val := range fields {
		fs := s
		if printableChecked(rel) {
			fs = CheckedSubject(s, name, val) // the check runs only for those it concerns (not a member's pull)
		}
		switch FieldAccessFor(fs, rel, name) {
		case Visible:
			out[name] = val
		case Redacted:
			redacted = append(redacted, name)
		}
	}
	return out, redacted
}

// PersonalItems returns the ids of the items any of the templates marks as
// personal text: their values are ClassPersonal (FieldClass).
func PersonalItems(templates ...*Template) map[string]bool {
	out := map[string]bool{}
	for _, t := range templates {
		if t == nil {
			continue
		}
		for _, it := range t.Items {
			if it.Personal {
				out[it.ID] = true
			}
		}
	}
	return out
}
