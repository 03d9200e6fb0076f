package sync

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// change is one operation being validated and written.
type change struct {
	e      *Engine
	tx     *store.Tx
	actor  Actor
	op     Op
	rec    *store.Record  // the stored record (after following merged_into)
	fields map[string]any // decoded fields of the op (JSON fields still raw until validate)

	region, visitID, authorID string
	visit                     *store.Record // the visit the record belongs to, if any
	mergedFrom                string        // the op's own id when it was merged into an existing record

	// Set while writing.
	stamp         store.FieldVersion // the version this op gives the fields it writes
	plain         map[string]bool    // fields written as plain updates (the maker saw the latest)
	changed       bool               // the record gets a new sequence
	firstConflict string             // the first conflict this op opened
	decides       []decided          // the conflicts named in resolves
	closed        int                // how many of them it closed
}

// decided is a conflict an op names in resolves.
type decided struct{ id, field string }

// checkResolves checks the conflicts an op names as decided: open, of this
// record, of a field the op writes, and the actor's to decide (the region's
// coordinator, or the user whose value was set aside).
func (c *change) checkResolves() (*FieldError, error) {
	for _, id := range c.op.Resolves {
		var typ schema.RecordType
		var recordID, field, region, loserUser string
		var resolved *string
		err := c.tx.QueryRow("SELECT type, record_id, field, region, loser_user, resolved_at FROM conflicts WHERE id = ?", id).
			Scan(&typ, &recordID, &field, &region, &loserUser, &resolved)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (typ != c.op.Type || recordID != c.rec.ID)) {
			return invalid("resolves", "no conflict %s on this record", id), nil
		}
		if err != nil {
			return nil, fmt.Errorf("read conflict: %w", err)
		}
		if resolved != nil {
			return invalid("resolves", "conflict %s is already decided", id), nil
		}
		coordinator := c.actor.Role == schema.RoleCoordinator && region == c.actor.Region
		if !coordinator && loserUser != c.actor.UserID {
			return forbidden("resolves", "conflict %s is decided by the coordinator or by the member whose value was set aside", id), nil
		}
		_, writes := c.fields[field]
		if field == deletedField {
			_, writes = c.op.Base[deletedField]
			writes = writes || c.op.Action == ActionDelete
		}
		if !writes {
			return invalid("resolves", "a decision on conflict %s writes its field %s", id, field), nil
		}
		c.decides = append(c.decides, decided{id: id, field: field})
	}
	return nil, nil
}

// get returns a field's value after the op: the op's value, else the stored one.
func (c *change) get(name string) any {
	if v, ok := c.fields[name]; ok {
		return v
	}
	return c.rec.Fields[name]
}

func (c *change) getString(name string) string {
	s, _ := c.get(name).(string)
	return s
}

func (c *change) isNew() bool { return !c.rec.Exists }

// required rejects a new record that lacks one of the named fields, and a
// change that would empty one of them in an existing record (a facility
// without a name, a recommendation without its text); a text of nothing but
// spaces or invisible characters (zero-width, soft hyphen) is not one.
func (c *change) required(names ...string) *FieldError {
	if c.op.Action == ActionDelete {
		return nil
	}
	for _, n := range names {
		if s, written := c.fields[n].(string); written && s != "" && !visibleText(s) {
			return invalid("fields."+n, "%s has no visible character (only spaces or invisible characters): write it out", n)
		}
		if v := c.get(n); v != nil && v != "" {
			continue
		}
		if c.isNew() {
			return c.absentRecord(n, names)
		}
		if v, written := c.fields[n]; written && !sameValue(v, c.rec.Fields[n]) {
			return invalid("fields."+n, "%s of a %s cannot be emptied: give another, or delete the %s", n, c.op.Type, c.op.Type)
		}
	}
	return nil
}

// absentRecord answers an upsert to a record not on the server that lacks
// field n, one of the fields (required) a new one must have. An operation
// that gives none of them is a change to a record whose creation has not
// arrived yet (after a restore, from another device): missing_parent, sent
// again later. One that gives some of them is shaped as the record's
// creation: it is refused naming the missing field (invalid: nothing can
// make it whole, and it was sent again for 30 days in vain), unless it is
// still a change to a record to come: the device had the record from this
// server (a base above 0), or the user sent an operation on it that was
// refused and quarantined (typically its creation, missing_parent while its
// visit has not arrived, in this push or an earlier one; the device sends it
// again before this change). An upsert of no field at all that is not such
// a change is refused naming fields. A failure to read the quarantine answers
// missing_parent, the answer that loses nothing.
func (c *change) absentRecord(n string, required []string) *FieldError {
	had := false // the device had the record from this server
	for _, b := range c.op.Base {
		had = had || b > 0
	}
	if !had && len(c.op.Fields) == 0 {
		return invalid("fields", "an upsert to a %s the server does not hold carries its fields (a new %s must have %s)",
			c.op.Type, c.op.Type, strings.Join(required, ", "))
	}
	waits := true // gives none of the fields a new record must have
	for _, r := range required {
		if v := c.fields[r]; v != nil && v != "" {
			waits = false // shaped as a creation
		}
	}
	waits = waits || had
	if !waits {
		// CASE: json_extract fails on a quarantined text that is not JSON.
		err := c.tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM quarantine WHERE user_id = ?
			AND CASE WHEN json_valid(raw) THEN json_extract(raw, '$.id') = ? AND json_extract(raw, '$.type') = ? END)`,
			c.actor.UserID, c.op.ID, string(c.op.Type)).Scan(&waits)
		waits = waits || err != nil
	}
	if waits {
		return missingParent("fields."+n, "no %s %s on the server yet, and this change does not create it (a new %s must have %s): "+
			"it waits for the record's creation, sent by its device", c.op.Type, c.op.ID, c.op.Type, n)
	}
	return invalid("fields."+n, "a new %s must have %s (no %s %s is on the server to change)", c.op.Type, n, c.op.Type, c.op.ID)
}

// immutable rejects a change to a field that ties the record to its parent.
func (c *change) immutable(names ...string) *FieldError {
	if c.isNew() {
		return nil
	}
	for _, n := range names {
		if v, ok := c.fields[n]; ok && !sameValue(v, c.rec.Fields[n]) {
			return invalid("fields."+n, "%s of an existing %s cannot be changed", n, c.op.Type)
		}
	}
	return nil
}

func oneOf(field, value string, allowed []string) *FieldError {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	return invalid("fields."+field, "%s must be one of %v, not %q", field, allowed, value)
}

var (
	visitKinds          = []string{"regular", "special", "follow_up"}
	visitStatuses       = []string{"draft", "submitted"}
	recommendationState = []string{"open", "in_progress", "implemented", "not_implemented", "superseded"}
)

// loadVisit loads the visit with id and checks the actor may work on it. A
// visit not on the server is a missing parent (it may still come); a
// deleted one refuses every change inside it but a delete (parent_deleted:
// sending it again cannot help, the visit must be restored first).
func (c *change) loadVisit(id string) *FieldError {
	if _, err := uuid.Parse(id); err != nil {
		return invalid("fields.visit_id", "visit_id must be a UUID")
	}
	v, err := c.tx.PeekRecord(schema.RecordVisit, id)
	if err != nil || !v.Exists {
		return missingParent("fields.visit_id", "no visit %s on the server; push the visit first", id)
	}
	if v.Deleted && c.op.Action != ActionDelete {
		return parentDeleted("fields.visit_id", "the visit %s was deleted on the server; this change was not stored in it (the region's coordinator can restore the visit on the desk, under Deleted, then enter the change again)", id)
	}
	c.visit = v
	c.region = v.Region
	c.visitID = v.ID
	return nil
}

// onTeam reports whether the actor is on the visit's team.
func (c *change) onTeam(v *store.Record) bool {
	team, _ := v.Fields["team"].([]any)
	for _, m := range team {
		if m == c.actor.UserID {
			return true
		}
	}
	return false
}

// checkVisitAccess rejects a change inside a visit the actor may not change,
// or a visit that is approved and so locked.
func (c *change) checkVisitAccess() *FieldError {
	if c.region != c.actor.Region {
		return forbidden("fields.visit_id", "this visit belongs to another region; you can change records of %s only", c.actor.Region)
	}
	if c.actor.Role == schema.RoleMember && !c.onTeam(c.visit) {
		return forbidden("fields.visit_id", "you are not on this visit's team")
	}
	if c.visit.Fields["status"] == "approved" {
		return &FieldError{Field: "fields.visit_id", Code: CodeLocked,
			Message: "this visit is approved and locked; ask the coordinator to reopen it before changing it"}
	}
	return nil
}

// validate checks the op against the protocol, the checklist and the actor's
// scope, and works out the record's region and visit.
func (c *change) validate() (*FieldError, error) {
	fe, err := c.validateType()
	if fe != nil || err != nil {
		return fe, err
	}
	return c.checkMemberDelete()
}

// validateType is validate's part for each record type.
func (c *change) validateType() (*FieldError, error) {
	switch c.op.Type {
	case schema.RecordFacility:
		return c.validateFacility(), nil
	case schema.RecordVisit:
		return c.validateVisit()
	case schema.RecordLocation:
		if fe := firstError(c.required("visit_id"), c.immutable("visit_id")); fe != nil {
			return fe, nil
		}
		if fe := oneOf("kind", c.getString("kind"), schema.LocationKinds); fe != nil {
			return fe, nil
		}
		if fe := c.loadVisit(c.getString("visit_id")); fe != nil {
			return fe, nil
		}
		return c.checkVisitAccess(), nil
	case schema.RecordObservation, schema.RecordConsolidation:
		return c.validateValueRecord()
	case schema.RecordRecommendation:
		return c.validateRecommendation(), nil
	case schema.RecordConfidentialNote:
		if fe := firstError(c.required("visit_id", "text"), c.immutable("visit_id", "location_id")); fe != nil {
			return fe, nil
		}
		return c.validateAuthored("this confidential note belongs to another member")
	case schema.RecordObstruction:
		return c.validateObstruction(), nil
	case schema.RecordInterview:
		if fe := firstError(c.required("visit_id"), c.immutable("visit_id"), c.validateInterview()); fe != nil {
			return fe, nil
		}
		return c.validateAuthored("this interview was recorded by another member")
	}
	return invalid("type", "unknown record type %q", c.op.Type), nil
}

// checkMemberDelete holds a member's delete of a visit or a place to what is
// theirs alone: a visit still a draft, made by them, with nothing of another
// member's in it; a place they made with no other member's answers, notes or
// photos. Anything more would take colleagues' records with it, so it is the
// region's coordinator's to delete (the desk can restore it).
func (c *change) checkMemberDelete() (*FieldError, error) {
	if c.op.Action != ActionDelete || c.actor.Role == schema.RoleCoordinator || !c.rec.Exists || c.rec.Deleted {
		return nil, nil
	}
	var what, visitID, locationID string
	switch c.op.Type {
	case schema.RecordVisit:
		if status := str(c.rec.Fields["status"]); status != "" && status != "draft" {
			return forbidden("id", "this visit was submitted; only the region's coordinator can delete it"), nil
		}
		what, visitID = "visit", c.rec.ID
	case schema.RecordLocation:
		what, visitID, locationID = "place", c.visitID, c.rec.ID
	default:
		return nil, nil
	}
	if by := str(c.rec.Fields["created_by"]); by != "" && by != c.actor.UserID {
		return forbidden("id", "this %s was made by another member; only they or the region's coordinator can delete it", what), nil
	}
	n, err := c.tx.OthersRecordsIn(visitID, locationID, c.actor.UserID)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return forbidden("id", "this %s holds %d records of other members; only the region's coordinator can delete it", what, n), nil
	}
	// A teammate's phone may hold answers to this visit not yet sent: what
	// the server holds does not show them, and once the visit is gone they
	// would be refused (parent_deleted). A visit of a team is the
	// coordinator's to delete.
	if c.op.Type == schema.RecordVisit {
		team, _ := c.rec.Fields["team"].([]any)
		for _, m := range team {
			if m != c.actor.UserID {
				return forbidden("id", "other members are on this visit's team and may have recorded in it on their phones; only the region's coordinator can delete it"), nil
			}
		}
	}
	return nil, nil
}

// checkLocation checks that a record's place (its location_id) is a place of
// its visit (loadVisit first), and is not deleted unless the record is.
func (c *change) checkLocation(locationID string) (*FieldError, error) {
	loc, err := c.tx.Head(schema.RecordLocation, locationID)
	if err != nil {
		return nil, err
	}
	if !loc.Exists || loc.VisitID != c.visitID {
		return missingParent("fields.location_id", "no location %s in this visit; push the location first", locationID), nil
	}
	if loc.Deleted && c.op.Action != ActionDelete {
		return parentDeleted("fields.location_id", "the place %s was deleted on the server; this change was not stored in it (the region's coordinator can restore the place on the desk, under Deleted, then enter the change again)", locationID), nil
	}
	return nil, nil
}

// validateAuthored checks a record that belongs to its author (a
// confidential note, an interview): only the author and the region's
// coordinator change it. A note's place, when it names one, is a place of
// its visit that is not deleted.
func (c *change) validateAuthored(notYours string) (*FieldError, error) {
	if fe := c.loadVisit(c.getString("visit_id")); fe != nil {
		return fe, nil
	}
	if fe := c.checkVisitAccess(); fe != nil {
		return fe, nil
	}
	if locationID := c.getString("location_id"); locationID != "" && c.isNew() {
		if fe, err := c.checkLocation(locationID); fe != nil || err != nil {
			return fe, err
		}
	}
	c.authorID = c.actor.UserID
	if !c.isNew() {
		c.authorID = c.rec.AuthorID
		if c.rec.AuthorID != c.actor.UserID && c.actor.Role != schema.RoleCoordinator {
			return forbidden("id", "%s", notYours), nil
		}
	}
	return nil, nil
}

// validateObstruction checks one refusal or delay of access at a visit.
func (c *change) validateObstruction() *FieldError {
	// A new one says whether access was refused or delayed (kind) and to what
	// (target); the refusal names the one missing.
	if fe := firstError(c.required("visit_id", "kind", "target"), c.immutable("visit_id"),
		oneOf("kind", c.getString("kind"), schema.ObstructionKinds),
		oneOf("target", c.getString("target"), schema.ObstructionTargets),
		oneOf("reason_given", c.getString("reason_given"), schema.ObstructionReasons)); fe != nil {
		return fe
	}
	if m, ok := c.get("minutes").(int64); ok && m > 7*24*60 {
		return invalid("fields.minutes", "minutes must be at most a week (10080)")
	}
	if fe := c.loadVisit(c.getString("visit_id")); fe != nil {
		return fe
	}
	return c.checkVisitAccess()
}

// validateInterview checks an interview's answers: its lists hold known
// categories only, each once (there is no free text to carry a name).
func (c *change) validateInterview() *FieldError {
	for field, allowed := range map[string][]string{"present": schema.InterviewPresent, "complaints": schema.InterviewComplaints} {
		raw, ok := c.fields[field].(json.RawMessage)
		if !ok {
			continue
		}
		var list []string
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			list = nil
		} else if err := json.Unmarshal(raw, &list); err != nil {
			return invalid("fields."+field, "%s must be a list of %v", field, allowed)
		}
		clean := []any{}
		seen := map[string]bool{}
		for _, v := range list {
			if !slices.Contains(allowed, v) {
				return invalid("fields."+field, "%s must be a list of %v, not %q", field, allowed, v)
			}
			if !seen[v] {
				seen[v] = true
				clean = append(clean, v)
			}
		}
		if field == "present" && seen["none"] && len(clean) > 1 {
			return invalid("fields.present", "present cannot name someone and also say no one else (none)")
		}
		c.fields[field] = clean
	}
	return nil
}

func firstError(errs ...*FieldError) *FieldError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// facilityLanguages are the languages a facility's name, authority and
// address may be given in, besides the default field of version 1.
var facilityLanguages = []string{"ru", "kk", "en"}

func (c *change) validateFacility() *FieldError {
	c.fillFacilityDefaults()
	if fe := c.required("name", "region"); fe != nil {
		return fe
	}
	if fe := oneOf("type", c.getString("type"), schema.FacilityTypes); fe != nil {
		return fe
	}
	region := c.getString("region")
	if _, ok := schema.RegionByCode(region); !ok {
		return invalid("fields.region", "unknown region %q; use an ISO 3166-2:KZ code such as KZ-KAR", region)
	}
	if c.actor.Role != schema.RoleAdmin && (region != c.actor.Region || (!c.isNew() && c.rec.Region != c.actor.Region)) {
		return forbidden("fields.region", "you can add or change facilities of %s only", c.actor.Region)
	}
	if c.actor.Role == schema.RoleMember && !c.isNew() {
		return forbidden("id", "the facility registry is kept by coordinators; ask yours to correct this facility")
	}
	if y, ok := c.get("built_year").(int64); ok && (y < 1500 || y > int64(c.tx.Now.Year())) {
		return invalid("fields.built_year", "built_year must be between 1500 and %d", c.tx.Now.Year())
	}
	c.region = region
	return nil
}

// fillFacilityDefaults keeps the default fields (name, authority, address) and
// the per-language ones consistent for clients that know only one of them: a
// new facility given only per-language names gets the first of ru, kk, en as
// its default; a change of the default alone, from a client that does not
// know the languages, carries along the per-language values that were equal
// to the old default, so no language keeps showing a name that was corrected.
func (c *change) fillFacilityDefaults() {
	if c.op.Action == ActionDelete {
		return
	}
	for _, base := range []string{"name", "authority", "address"} {
		_, hasDefault := c.fields[base]
		given := false
		for _, l := range facilityLanguages {
			_, ok := c.fields[base+"_"+l]
			given = given || ok
		}
		switch {
		case !hasDefault && given && c.getString(base) == "":
			for _, l := range facilityLanguages {
				if s := c.getString(base + "_" + l); s != "" {
					c.fields[base] = s
					break
				}
			}
		case hasDefault && !given && !c.isNew():
			old := c.rec.Fields[base]
			for _, l := range facilityLanguages {
				if v := c.rec.Fields[base+"_"+l]; v != "" && v == old {
					c.fields[base+"_"+l] = c.fields[base]
				}
			}
		}
	}
}

func (c *change) validateVisit() (*FieldError, error) {
	if fe := firstError(c.required("facility_id"), c.immutable("facility_id")); fe != nil {
		return fe, nil
	}
	if fe := firstError(oneOf("kind", c.getString("kind"), visitKinds), oneOf("status", c.getString("status"), visitStatuses)); fe != nil {
		if c.getString("status") == "approved" {
			fe.Message = "a visit is approved by its coordinator through the approval, not by sync"
		}
		return fe, nil
	}
	if fe := oneOf("rep_in_interviews", c.getString("rep_in_interviews"), schema.RepInInterviews); fe != nil {
		return fe, nil
	}
	if n, ok := c.get("team_size").(int64); ok && (n < 1 || n > 50) {
		return invalid("fields.team_size", "team_size is the number of NPM members who entered: 1 to 50"), nil
	}
	for _, f := range []string{"started_at", "ended_at", "arrived_at", "admitted_at"} {
		if s := c.getString(f); s != "" {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				return invalid("fields."+f, "%s must be an RFC 3339 time such as 2026-11-26T10:15:00Z", f), nil
			}
		}
	}
	if fe := c.checkGateTimes(); fe != nil {
		return fe, nil
	}
	cat, err := c.tx.Checklists()
	if err != nil {
		return nil, err
	}
	if raw, given := c.fields["checklist"]; given && raw != nil {
		ref, _ := raw.(string)
		t := cat.Template(ref)
		if t == nil {
			return invalid("fields.checklist", "unknown checklist %q", ref), nil
		}
		// A visit is validated, shown and reported with the version it was
		// started with for good; a bare id is the active version, pinned now.
		if old, _ := c.rec.Fields["checklist"].(string); !c.isNew() && old != "" && old != t.Ref() {
			return invalid("fields.checklist", "a visit keeps the checklist version it was started with (%s)", old), nil
		}
		c.fields["checklist"] = t.Ref()
	}
	fac, err := c.tx.LoadRecord(schema.RecordFacility, c.getString("facility_id"))
	if err != nil {
		return nil, err
	}
	if !fac.Exists {
		return missingParent("fields.facility_id", "no facility %s on the server; push the facility first", c.getString("facility_id")), nil
	}
	if fac.Deleted && c.op.Action != ActionDelete {
		return parentDeleted("fields.facility_id", "the facility %s was deleted on the server; this visit was not stored (the coordinator can restore the facility, then the visit can be sent again)", c.getString("facility_id")), nil
	}
	c.region, c.visitID = fac.Region, c.op.ID
	if c.rec.Exists {
		c.visitID = c.rec.ID
	}
	if c.region != c.actor.Region {
		return forbidden("fields.facility_id", "this facility belongs to another region; you can work in %s only", c.actor.Region), nil
	}
	if c.isNew() {
		c.visit = &store.Record{Fields: map[string]any{"team": []any{c.actor.UserID}}}
	} else {
		c.visit = c.rec
		if fe := c.checkVisitAccess(); fe != nil {
			return fe, nil
		}
	}
	if raw, ok := c.fields["team"].(json.RawMessage); ok {
		var team []string
		if err := json.Unmarshal(raw, &team); err != nil {
			return invalid("fields.team", "team must be a list of user ids"), nil
		}
		seen := map[string]bool{}
		var clean []any
		for _, id := range append(team, c.creator()) {
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			u, err := c.tx.User(id)
			if err != nil || u.Region != c.region {
				return invalid("fields.team", "team member %s is not a user of this region", id), nil
			}
			clean = append(clean, id)
		}
		c.fields["team"] = clean
	} else if c.isNew() {
		c.fields["team"] = []any{c.actor.UserID}
	}
	if c.isNew() && c.fields["checklist"] == nil && cat.Default() != nil {
		// A client that names no checklist (1.0) knows only the general one:
		// its answers are validated against that, whatever the facility's type.
		c.fields["checklist"] = cat.Default().Ref()
	}
	return nil, nil
}

// checkGateTimes holds an operation that writes a gate time to the order the
// reports count the wait by: a team is let in (admitted_at) after it arrives
// (arrived_at). It compares the operation's own times, and for a time it does
// not write (or writes unchanged) the stored one. An inverted pair that two members' merged edits
// left (each consistent on its own; reports leave it out) never blocks an
// operation that writes neither time, such as the submission.
func (c *change) checkGateTimes() *FieldError {
	opTime := func(name string) (time.Time, bool) {
		var s string
		if raw, ok := c.op.Fields[name]; !ok || json.Unmarshal(raw, &s) != nil || s == "" || s == c.rec.Fields[name] {
			return time.Time{}, false // not written, or written as stored (a decision keeping the current value)
		}
		t, err := time.Parse(time.RFC3339, s)
		return t, err == nil
	}
	storedTime := func(name string) (time.Time, bool) {
		s, _ := c.rec.Fields[name].(string)
		t, err := time.Parse(time.RFC3339, s)
		return t, err == nil
	}
	arrived, writesArrived := opTime("arrived_at")
	admitted, writesAdmitted := opTime("admitted_at")
	ok := true
	switch {
	case !writesArrived && !writesAdmitted:
		return nil
	case !writesArrived:
		arrived, ok = storedTime("arrived_at")
	case !writesAdmitted:
		admitted, ok = storedTime("admitted_at")
	}
	if !ok || !admitted.Before(arrived) {
		return nil
	}
	field := "admitted_at"
	if !writesAdmitted {
		field = "arrived_at"
	}
	return invalid("fields."+field, "admitted_at (%s) is before arrived_at (%s): the team is let in after it arrives at the gate",
		admitted.Format(time.RFC3339), arrived.Format(time.RFC3339))
}

// creator is the user who created the visit being changed (the actor for a new one).
func (c *change) creator() string {
	if c.isNew() {
		return c.actor.UserID
	}
	s, _ := c.rec.Fields["created_by"].(string)
	return s
}

// validateValueRecord checks an observation or a consolidation: its item, its
// location and its value against the visit's checklist.
func (c *change) validateValueRecord() (*FieldError, error) {
	if fe := firstError(c.required("visit_id", "item"), c.immutable("visit_id", "location_id", "item")); fe != nil {
		return fe, nil
	}
	if fe := c.loadVisit(c.getString("visit_id")); fe != nil {
		return fe, nil
	}
	if fe := c.checkVisitAccess(); fe != nil {
		return fe, nil
	}
	if c.op.Type == schema.RecordConsolidation && c.actor.Role != schema.RoleCoordinator {
		return forbidden("type", "only the region's coordinator consolidates a visit"), nil
	}
	cat, err := c.tx.Checklists()
	if err != nil {
		return nil, err
	}
	tmpl := cat.Template(fmt.Sprint(c.visit.Fields["checklist"]))
	if tmpl == nil {
		tmpl = cat.Default()
	}
	if tmpl == nil {
		return invalid("fields.visit_id", "the visit's checklist is not on this server"), nil
	}
	itemID := c.getString("item")
	item, ok := tmpl.Item(itemID)
	if !ok {
		return invalid("fields.item", "unknown checklist item %q", itemID), nil
	}
	locationID := c.getString("location_id")
	switch {
	case item.Scope == "location" && locationID == "":
		return invalid("fields.location_id", "%s is asked per location; location_id is missing", itemID), nil
	case item.Scope == "visit" && locationID != "":
		return invalid("fields.location_id", "%s is asked once per visit; it takes no location_id", itemID), nil
	case locationID != "":
		if fe, err := c.checkLocation(locationID); fe != nil || err != nil {
			return fe, err
		}
	}
	if raw, ok := c.fields["value"].(json.RawMessage); ok {
		v, err := tmpl.ParseValue(itemID, raw)
		if err != nil {
			msg := err.Error()
			if ve, ok := err.(*schema.ValueError); ok {
				msg = ve.Message
			}
			return invalid("fields.value", "%s", msg), nil
		}
		c.fields["value"] = v
	}
	if c.op.Type == schema.RecordObservation {
		c.authorID = c.actor.UserID
		if !c.isNew() && c.rec.AuthorID != c.actor.UserID {
			return forbidden("id", "this observation belongs to another member; record your own value instead"), nil
		}
	}
	if c.isNew() {
		// Principle: one record per natural key; a second id is merged into the first.
		key := map[string]any{"visit_id": c.visitID, "location_id": locationID, "item": itemID}
		if c.op.Type == schema.RecordObservation {
			key["author_id"] = c.actor.UserID
		}
		existing, err := c.tx.FindByKey(c.op.Type, key)
		if err != nil {
			return nil, err
		}
		if existing != "" && existing != c.rec.ID {
			c.mergedFrom = c.rec.ID
			if c.rec, err = c.tx.LoadRecord(c.op.Type, existing); err != nil {
				return nil, err
			}
		}
	}
	return nil, nil
}

// checkedAfterMade holds a recommendation's follow-up to a visit after the
// one where it was made: the visit it is checked at (when the op sets it)
// is another visit of the facility, started later when both dates are known
// (the same visit may say it is open or in progress, not whether it was
// implemented). A status checked "before" the recommendation existed made its
// history read backwards in every report.
func checkedAfterMade(made, checked *store.Record, fields map[string]any, status any) *FieldError {
	if _, changed := fields["checked_visit_id"]; !changed || made == nil || checked == nil {
		return nil
	}
	if checked.ID == made.ID {
		if status := str(status); status != "implemented" && status != "not_implemented" {
			return nil // open or in progress as seen at this visit
		}
		return invalid("fields.checked_visit_id", "whether a recommendation was implemented is checked at a later visit than the one where it was made")
	}
	madeAt, err1 := time.Parse(time.RFC3339, str(made.Fields["started_at"]))
	checkedAt, err2 := time.Parse(time.RFC3339, str(checked.Fields["started_at"]))
	if err1 == nil && err2 == nil && !checkedAt.After(madeAt) {
		return invalid("fields.checked_visit_id", "the visit of %s is not after the visit of %s where the recommendation was made",
			checkedAt.Format("2006-01-02"), madeAt.Format("2006-01-02"))
	}
	return nil
}

func (c *change) validateRecommendation() *FieldError {
	if fe := firstError(c.required("facility_id", "text"), c.immutable("facility_id")); fe != nil {
		return fe
	}
	if fe := oneOf("status", c.getString("status"), recommendationState); fe != nil {
		return fe
	}
	fac, err := c.tx.LoadRecord(schema.RecordFacility, c.getString("facility_id"))
	if err != nil || !fac.Exists {
		return missingParent("fields.facility_id", "no facility %s on the server", c.getString("facility_id"))
	}
	c.region = fac.Region
	if c.region != c.actor.Region {
		return forbidden("fields.facility_id", "this facility belongs to another region")
	}
	// A member works on recommendations through a visit they are on: the one
	// where it was made or the one where it is being checked.
	allowed := c.actor.Role == schema.RoleCoordinator
	visits := map[string]*store.Record{}
	for _, f := range []string{"visit_id", "checked_visit_id"} {
		id := c.getString(f)
		if id == "" {
			continue
		}
		v, err := c.tx.LoadRecord(schema.RecordVisit, id)
		if err != nil || !v.Exists || v.Fields["facility_id"] != fac.ID {
			return invalid("fields."+f, "no visit %s of this facility", id)
		}
		_, changed := c.fields[f]
		if changed && v.Deleted {
			return parentDeleted("fields."+f, "the visit %s was deleted on the server", id)
		}
		if changed && v.Fields["status"] == "approved" {
			return &FieldError{Field: "fields." + f, Code: CodeLocked, Message: "that visit is approved and locked; ask the coordinator to reopen it"}
		}
		if c.onTeam(v) {
			allowed = true
		}
		visits[f] = v
	}
	if fe := checkedAfterMade(visits["visit_id"], visits["checked_visit_id"], c.fields, c.get("status")); fe != nil {
		return fe
	}
	if !allowed {
		return forbidden("fields.visit_id", "you can record recommendations only at visits you are on")
	}
	if fe := c.recommendationLocked(); fe != nil {
		return fe
	}
	if v, ok := c.fields["status"]; ok && c.actor.Role != schema.RoleCoordinator {
		if (c.isNew() && v != "" && v != "open") || (!c.isNew() && !sameValue(v, c.rec.Fields["status"])) {
			return forbidden("fields.status", "a recommendation's status is set by the region's coordinator")
		}
	}
	return nil
}

// recommendationLocked rejects a change to a recommendation made at an
// approved visit: its text and the rest stay as approved, and it is not
// deleted. Its status may still be recorded (by the coordinator) at a later visit.
func (c *change) recommendationLocked() *FieldError {
	if c.isNew() {
		return nil
	}
	madeAt := str(c.rec.Fields["visit_id"])
	if madeAt == "" {
		return nil
	}
	v, err := c.tx.PeekRecord(schema.RecordVisit, madeAt)
	if err != nil || !v.Exists || v.Fields["status"] != "approved" {
		return nil
	}
	locked := &FieldError{Field: "id", Code: CodeLocked,
		Message: "this recommendation was made at an approved visit and is locked; ask the coordinator to reopen the visit"}
	if c.op.Action == ActionDelete {
		return locked
	}
	for name, value := range c.fields {
		if name != "status" && name != "checked_visit_id" && !sameValue(value, c.rec.Fields[name]) {
			locked.Field = "fields." + name
			return locked
		}
	}
	return nil
}
