// Package demo loads Inspecta's demo data set into an empty database, so that a
// new user sees within a minute what the product does with real findings.
//
// The data set follows shared/domain/DEMO-FACILITIES.md: the eleven facilities
// that the "Detention conditions" section of the Joint NGO Submission of the NGO
// Coalition of Kazakhstan against Torture to the 76th session of the UN Committee
// against Torture (21 March 2023) describes, each with one or more visits,
// cells, observations, recommendations and their follow-up. What the report
// says (14 °C in the cells of SIZO No. 61 in winter, people sharing beds in
// Shymkent, no bed linen in No. 70, six to eight people per cell in No. 75,
// rats in Colony No. 15, no elevator in Pavlodar…) is recorded as the report
// says it, and the observation's note quotes it. Everything else — the visit
// dates (2023–2026), capacities, cell areas, head counts, most temperatures and
// every yes/no the report does not mention — is invented to make the data set
// complete; those observations carry the note "Illustrative demo value, not
// from the report". Names, addresses and confidential notes contain no real
// person and no real street address.
//
// Every record is marked demo: facility and visit rows and users have demo = 1,
// and facility names start with "[DEMO] ". Every record goes through the sync
// engine as the demo user who would have made it (device "demo-loader"), so the
// sequence numbers, record index, op log, team tables and status histories are
// what real use would produce. The transaction's clock is set, step by step,
// to the illustrative time of each visit (recorded at its start, written up and
// submitted at its end, approved twelve days later), so that status histories,
// op log times and HLCs tell the same story as the visit dates. Visits are
// approved through the engine's SetVisitStatus by the region's coordinator,
// after the coordinator has consolidated every item the members disagree on.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// ErrNotEmpty is returned by Load when the database already holds a facility or a user.
var ErrNotEmpty = errors.New("the database already holds data; --demo loads only into an empty database")

// DeviceID is the device every demo operation is recorded as coming from.
const DeviceID = "demo-loader"

// PasswordLength is the length of the random passwords of the demo accounts.
const PasswordLength = 16

// Account is one demo user with the password it was given.
type Account struct {
	Username string
	Name     string
	Role     string
	Region   string // "" for staff and admin
	Password string
}

// Result is what Load created: the accounts (with their passwords, shown once)
// and counts of the records.
type Result struct {
	Accounts        []Account
	Facilities      int
	Visits          int
	Locations       int
	Observations    int
	Recommendations int
	Obstructions    int // refusals and delays of access
	Interviews      int // private interviews (categories only)
}

// Load loads the demo data set into db, which must hold no facility and no
// user (ErrNotEmpty otherwise), in one transaction: either all of it is loaded
// or nothing. Every record goes through engine as its demo author; an operation
// the engine does not apply is a bug of the data set and fails the load with
// the operation's type, id and message.
func Load(ctx context.Context, db *store.DB, engine *isync.Engine) (*Result, error) {
	if engine == nil {
		return nil, errors.New("load demo: no sync engine")
	}
	cat, err := db.Checklists(ctx)
	if err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if cat.Default() == nil {
		return nil, errors.New("load demo: the database has no active checklist")
	}
	if err := checkItems(cat); err != nil {
		return nil, err
	}
	res := &Result{}
	err = db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow("SELECT (SELECT count(*) FROM facilities) + (SELECT count(*) FROM users)").Scan(&n); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
		if n > 0 {
			return ErrNotEmpty
		}
		l := &loader{tx: tx, engine: engine, cat: cat, res: res, realNow: tx.Now,
			users: map[string]*store.User{}, facilities: map[string]string{}, visits: map[string]string{},
			locations: map[string]string{}, recs: map[string]string{}, obs: map[obsKey]string{}}
		l.clock = &isync.Clock{Node: DeviceID, Now: func() time.Time { return tx.Now }}
		defer func() { tx.Now = l.realNow }()
		return l.load()
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkItems makes sure the checklist each visit starts with (the one for its
// facility's type) still has every item and kind of place the visit uses, so
// that a renamed item fails with a clear message rather than a rejected op.
func checkItems(cat *schema.Catalog) error {
	var missing []string
	for _, v := range demoVisits {
		t := cat.ForFacilityType(facilityType(v.facility))
		for _, id := range usedItems(v) {
			if _, ok := t.Item(id); !ok {
				missing = append(missing, t.Ref()+" "+id)
			}
		}
		for _, loc := range v.locations {
			if len(t.LocationKinds) > 0 && !slices.Contains(t.LocationKinds, loc.kind) {
				missing = append(missing, t.Ref()+" kind "+loc.kind)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("load demo: checklists lack %q; update the demo data set", slices.Compact(missing))
	}
	return nil
}

// tmplFor is the checklist the demo visit v is recorded with: its facility type's.
func (l *loader) tmplFor(v *visitSpec) *schema.Template {
	return l.cat.ForFacilityType(facilityType(v.facility))
}

// facilityType is the type of the demo facility with key.
func facilityType(key string) string {
	for _, f := range demoFacilities {
		if f.key == key {
			return f.typ
		}
	}
	return ""
}

// loader holds the state of one load.
type loader struct {
	tx      *store.Tx
	engine  *isync.Engine
	cat     *schema.Catalog // the checklists; each visit is recorded with its facility type's
	res     *Result
	clock   *isync.Clock
	realNow time.Time

	users      map[string]*store.User // by username
	facilities map[string]string      // facility key → id
	visits     map[string]string      // visit key → id
	locations  map[string]string      // visit key + "/" + label → id
	recs       map[string]string      // recommendation key → id
	obs        map[obsKey]string      // → observation id
}

type obsKey struct{ visit, location, item, author string }

// event is one step of the illustrative timeline.
type event struct {
	at   time.Time
	what string
	run  func() error
}

func (l *loader) load() error {
	for _, u := range demoUsers {
		pw, err := newPassword()
		if err != nil {
			return err
		}
		user, err := l.tx.CreateUser(store.NewUser{Username: u.username, Name: u.name, Role: u.role, Region: u.region,
			Password: pw, Demo: true})
		if err != nil {
			return fmt.Errorf("load demo: create user %s: %w", u.username, err)
		}
		l.users[u.username] = user
		l.res.Accounts = append(l.res.Accounts, Account{Username: u.username, Name: u.name, Role: u.role,
			Region: user.Region, Password: pw})
	}

	if err := l.tx.SetOrg(demoOrg(), "", "demo"); err != nil {
		return fmt.Errorf("load demo: organisation settings: %w", err)
	}
	var events []event
	events = append(events, event{at: mustTime(registryDate), what: "facility registry", run: l.createFacilities})
	for i := range demoVisits {
		v := &demoVisits[i]
		start := mustTime(v.start)
		end := start.Add(time.Duration(v.hours) * time.Hour)
		events = append(events,
			event{at: start, what: "visit " + v.key, run: func() error { return l.recordVisit(v, start, end) }},
			event{at: end, what: "submit " + v.key, run: func() error { return l.submitVisit(v) }})
		if v.approve {
			events = append(events, event{at: end.Add(approvalDelay), what: "approve " + v.key,
				run: func() error { return l.approveVisit(v) }})
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	for _, e := range events {
		if e.at.After(l.realNow) {
			return fmt.Errorf("load demo: %s is dated %s, after the present", e.what, e.at.Format(time.DateOnly))
		}
		l.tx.Now = e.at
		if err := e.run(); err != nil {
			return err
		}
	}
	l.tx.Now = l.realNow

	// demo is set by the server, never by a device: mark the rows directly. The
	// database was empty and this is one transaction, so every row is the demo's.
	for _, table := range []string{"facilities", "visits"} {
		if _, err := l.tx.Exec("UPDATE " + table + " SET demo = 1"); err != nil {
			return fmt.Errorf("load demo: mark %s: %w", table, err)
		}
	}
	l.res.Facilities, l.res.Visits, l.res.Recommendations = len(l.facilities), len(l.visits), len(l.recs)
	l.res.Locations, l.res.Observations = len(l.locations), len(l.obs)
	return nil
}

func (l *loader) actor(username string) isync.Actor {
	u := l.users[username]
	return isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: DeviceID}
}

// apply sends one operation through the engine; anything but "applied" is a bug.
func (l *loader) apply(actor isync.Actor, op isync.Op) (isync.Result, error) {
	op.OpID = uuid.Must(uuid.NewV7()).String()
	op.HLC = l.clock.Next().String()
	if op.Action == "" {
		op.Action = isync.ActionUpsert
	}
	res, err := l.engine.ApplyServerOp(l.tx, actor, op)
	if err != nil {
		return res, fmt.Errorf("load demo: %s %s: %w", op.Type, op.ID, err)
	}
	if res.Status != isync.StatusApplied {
		msg := res.Status
		if res.Error != nil {
			msg = res.Error.Field + ": " + res.Error.Message
		}
		return res, fmt.Errorf("load demo: %s %s was not applied: %s", op.Type, op.ID, msg)
	}
	return res, nil
}

// create makes a new record of typ and returns its id.
func (l *loader) create(username string, typ schema.RecordType, fields map[string]any) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	raw, err := rawFields(fields)
	if err != nil {
		return "", err
	}
	_, err = l.apply(l.actor(username), isync.Op{Type: typ, ID: id, Fields: raw})
	return id, err
}

// update changes fields of a record, edited from its latest version.
func (l *loader) update(username string, typ schema.RecordType, id string, fields map[string]any) error {
	rec, err := l.tx.LoadRecord(typ, id)
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	raw, err := rawFields(fields)
	if err != nil {
		return err
	}
	base := map[string]int64{}
	for name := range raw {
		base[name] = rec.Seq
	}
	_, err = l.apply(l.actor(username), isync.Op{Type: typ, ID: id, Base: base, Fields: raw})
	return err
}

func rawFields(fields map[string]any) (map[string]json.RawMessage, error) {
	raw := make(map[string]json.RawMessage, len(fields))
	for name, v := range fields {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("load demo: field %s: %w", name, err)
		}
		raw[name] = b
	}
	return raw, nil
}

func (l *loader) createFacilities() error {
	for _, f := range demoFacilities {
		fields := map[string]any{"name": "[DEMO] " + f.name, "type": f.typ, "authority": f.authority,
			"region": f.region, "address": f.address, "capacity": f.capacity}
		if f.builtYear != 0 {
			fields["built_year"] = f.builtYear
		}
		addNames(fields, f)
		id, err := l.create("demo-admin", "facility", fields)
		if err != nil {
			return err
		}
		l.facilities[f.key] = id
	}
	return nil
}

// recordVisit records what the team of v recorded during the visit: the
// visit, its locations and observations.
func (l *loader) recordVisit(v *visitSpec, start, end time.Time) error {
	lead := v.team[0]
	team := make([]string, len(v.team))
	for i, name := range v.team {
		team[i] = l.users[name].ID
	}
	facilityID, ok := l.facilities[v.facility]
	if !ok {
		return fmt.Errorf("load demo: visit %s names unknown facility %s", v.key, v.facility)
	}
	fields := map[string]any{
		"facility_id": facilityID, "kind": v.kind, "announced": v.announced,
		"checklist":  l.tmplFor(v).Ref(),
		"started_at": start.UTC().Format(time.RFC3339), "ended_at": end.UTC().Format(time.RFC3339),
		"team": team, "ombudsperson_rep_present": v.ombudsperson, "access_refused": false,
		"arrived_at":  start.Add(-time.Duration(v.gateWaitMin) * time.Minute).UTC().Format(time.RFC3339),
		"admitted_at": start.UTC().Format(time.RFC3339), "team_size": v.teamSize,
	}
	if v.repInInterviews != "" {
		fields["rep_in_interviews"] = v.repInInterviews
	}
	visitID, err := l.create(lead, schema.RecordVisit, fields)
	if err != nil {
		return err
	}
	l.visits[v.key] = visitID
	if err := l.recordAccess(v, lead, visitID); err != nil {
		return err
	}

	// Visit-level items, recorded once by the lead.
	visitValues := map[string]any{"ombudsperson_rep_present": v.ombudsperson, "team_size": int64(v.teamSize)}
	for item, value := range v.visitValues {
		visitValues[item] = value
	}
	if err := l.observe(v, lead, visitID, "", visitValues, nil); err != nil {
		return err
	}

	for i, loc := range v.locations {
		locationID, err := l.create(lead, "location", map[string]any{"visit_id": visitID, "label": loc.label, "kind": loc.kind})
		if err != nil {
			return err
		}
		l.locations[v.key+"/"+loc.label] = locationID
		values := map[string]any{}
		for item, value := range loc.values {
			values[item] = value
		}
		if _, ok := values["air_temperature_c"]; ok {
			// Measured in the morning, one location after the other.
			values["air_temp_measured_at"] = start.Add(time.Hour + time.Duration(i)*25*time.Minute).UTC().Format(time.RFC3339)
			if v.outdoorC != nil {
				values["outdoor_temperature_c"] = *v.outdoorC
			}
		}
		if err := l.observe(v, lead, visitID, locationID, values, loc.notes); err != nil {
			return err
		}
		if len(loc.second) > 0 {
			if len(v.team) < 2 {
				return fmt.Errorf("load demo: visit %s has a second member's values but a team of one", v.key)
			}
			if err := l.observe(v, v.team[1], visitID, locationID, loc.second, loc.notes); err != nil {
				return err
			}
		}
	}

	return nil
}

// recordAccess records the visit's refusals and delays of access and its
// private interviews (categories and counts only), as the lead did.
func (l *loader) recordAccess(v *visitSpec, lead, visitID string) error {
	for _, o := range v.obstructions {
		fields := map[string]any{"visit_id": visitID, "kind": o.kind, "target": o.target, "reason_given": o.reason, "note": o.note}
		if o.minutes > 0 {
			fields["minutes"] = o.minutes
		}
		if _, err := l.create(lead, schema.RecordObstruction, fields); err != nil {
			return err
		}
	}
	for _, iv := range v.interviews {
		if _, err := l.create(lead, schema.RecordInterview, map[string]any{"visit_id": visitID,
			"private_setting": iv.private, "present": iv.present, "consent": iv.consent,
			"fear_of_reprisal": iv.fear, "complaints": iv.complaints, "follow_up": iv.followUp}); err != nil {
			return err
		}
	}
	l.res.Obstructions += len(v.obstructions)
	l.res.Interviews += len(v.interviews)
	return nil
}

// observe records author's values of one location ("" for the visit), each
// with the note that says where the value comes from.
func (l *loader) observe(v *visitSpec, author, visitID, locationID string, values map[string]any, notes map[string]string) error {
	items := make([]string, 0, len(values))
	for item := range values {
		items = append(items, item)
	}
	sort.Strings(items) // a stable op order from run to run
	for _, item := range items {
		note := illustrative
		if n, ok := v.report[item]; ok {
			note = n
		}
		if n, ok := notes[item]; ok {
			note = n
		}
		fields := map[string]any{"visit_id": visitID, "item": item, "value": values[item], "note": note}
		if locationID != "" {
			fields["location_id"] = locationID
		}
		id, err := l.create(author, "observation", fields)
		if err != nil {
			return err
		}
		l.obs[obsKey{visitID, locationID, item, l.users[author].ID}] = id
	}
	return nil
}

// submitVisit records what the lead writes up at the end of the visit — the
// follow-up of earlier recommendations, new recommendations, a confidential
// note — and submits the visit.
func (l *loader) submitVisit(v *visitSpec) error {
	lead, visitID, facilityID := v.team[0], l.visits[v.key], l.facilities[v.facility]
	for _, c := range v.check {
		recID, ok := l.recs[c.rec]
		if !ok {
			return fmt.Errorf("load demo: visit %s checks unknown recommendation %s", v.key, c.rec)
		}
		// A recommendation's status is the region's coordinator's to record.
		if err := l.update(v.coordinator, "recommendation", recID, map[string]any{"status": c.status, "checked_visit_id": visitID}); err != nil {
			return err
		}
	}
	for _, r := range v.recommend {
		id, err := l.create(lead, "recommendation", map[string]any{
			"facility_id": facilityID, "visit_id": visitID, "checked_visit_id": visitID,
			"text": r.text, "category": r.category, "addressee": r.addressee, "status": "open",
		})
		if err != nil {
			return err
		}
		l.recs[r.key] = id
	}
	if v.note != "" {
		if _, err := l.create(lead, "confidential_note", map[string]any{"visit_id": visitID, "text": v.note}); err != nil {
			return err
		}
	}
	return l.update(lead, "visit", visitID, map[string]any{"status": "submitted"})
}

// approveVisit has the region's coordinator decide the items the members
// disagree on and approve the visit, as the coordinator's desk does.
func (l *loader) approveVisit(v *visitSpec) error {
	visitID := l.visits[v.key]
	coordinator := v.coordinator
	for _, c := range v.consolidate {
		locationID := ""
		if c.location != "" {
			var ok bool
			if locationID, ok = l.locations[v.key+"/"+c.location]; !ok {
				return fmt.Errorf("load demo: visit %s consolidates unknown location %q", v.key, c.location)
			}
		}
		fields := map[string]any{"visit_id": visitID, "item": c.item, "value": c.value, "reason": c.reason}
		if locationID != "" {
			fields["location_id"] = locationID
		}
		if c.chosen != "" {
			obsID, ok := l.obs[obsKey{visitID, locationID, c.item, l.users[c.chosen].ID}]
			if !ok {
				return fmt.Errorf("load demo: visit %s consolidates %s from %s, who did not record it", v.key, c.item, c.chosen)
			}
			fields["observation_id"] = obsID
		}
		if _, err := l.create(coordinator, "consolidation", fields); err != nil {
			return err
		}
	}
	vc, err := review.ConsolidateVisit(l.tx, visitID, l.tmplFor(v))
	if err != nil {
		return fmt.Errorf("load demo: consolidate visit %s: %w", v.key, err)
	}
	fe, err := l.engine.SetVisitStatus(l.tx, l.actor(coordinator), visitID, "approved", "", vc.OpenItemMessages())
	if err != nil {
		var open *isync.ErrOpenItems
		if errors.As(err, &open) {
			return fmt.Errorf("load demo: visit %s cannot be approved: %v", v.key, open.Items)
		}
		return fmt.Errorf("load demo: approve visit %s: %w", v.key, err)
	}
	if fe != nil {
		return fmt.Errorf("load demo: approve visit %s: %s: %s", v.key, fe.Field, fe.Message)
	}
	return nil
}

// passwordAlphabet leaves out characters easily mistaken for each other (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newPassword returns a random password of PasswordLength characters from crypto/rand.
func newPassword() (string, error) {
	max := big.NewInt(int64(len(passwordAlphabet)))
	b := make([]byte, PasswordLength)
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("load demo: make password: %w", err)
		}
		b[i] = passwordAlphabet[n.Int64()]
	}
	return string(b), nil
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic("demo: bad date " + s)
	}
	return t.UTC()
}
