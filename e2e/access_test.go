package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"inspecta/store"
)

// TestObstructionAndInterviewOnThePhone: a member records at the gate when
// the team arrived and was let in and its size, a refused and a delayed
// access, and an interview, on a 360 px phone; the interview screen lists
// the follow-up of an earlier visit without naming anyone; everything
// reaches the server as entered, and the coordinator's desk shows it.
func TestObstructionAndInterviewOnThePhone(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv

	// An earlier visit to the IVS, with an interview that asked for a follow-up.
	token := srv.login("m1")
	dev := meDevice(srv, token)
	earlier, iv := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	var push struct {
		Results []struct{ Status string } `json:"results"`
	}
	op := func(n int, typ, id string, fields map[string]any) map[string]any {
		return map[string]any{"op_id": uuid.Must(uuid.NewV7()).String(), "type": typ, "id": id, "action": "upsert",
			"hlc": fmt.Sprintf("2026-01-10T09:00:00.000Z/%04d/%s", n, dev), "fields": fields}
	}
	srv.apiCall("POST", "/api/v1/sync/push", token, map[string]any{"device_id": dev, "ops": []any{
		op(1, "visit", earlier, map[string]any{"facility_id": f.ivs, "kind": "regular", "started_at": "2026-01-10T09:00:00Z"}),
		op(2, "interview", iv, map[string]any{"visit_id": earlier, "private_setting": true, "consent": true, "follow_up": true,
			"complaints": []string{"ill_treatment"}}),
	}}, &push)
	if len(push.Results) != 2 || push.Results[0].Status != "applied" || push.Results[1].Status != "applied" {
		t.Fatalf("seed the earlier visit: %+v", push.Results)
	}

	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	signIn(t, tab, srv.URL, "m1")

	// Start a visit with the times at the gate and the team's size.
	click(t, tab, fmt.Sprintf(`#facility-list a.card[href$=%s]`, js(f.ivs)))
	click(t, tab, "#start-visit")
	waitFor(t, tab, "visit form", `!!document.querySelector('#visit-arrived') && !!document.querySelector('#visit-team-size')`, 10*time.Second)
	setValue(t, tab, "#visit-arrived", "2026-11-20T09:00")
	setValue(t, tab, "#visit-admitted", "2026-11-20T09:45")
	setValue(t, tab, "#visit-team-size", "3")
	waitFor(t, tab, "the cap is named", `/3/.test(document.querySelector('#team-cap').textContent) && document.querySelector('#team-cap').textContent.includes('cap')`, 5*time.Second)
	click(t, tab, `input[name="rep-iv"][value="no"]`)
	screenshot(t, tab, "access-01-visit-form")
	click(t, tab, "#visit-save")
	waitFor(t, tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && !!document.querySelector('#visit-access')`, 10*time.Second)
	visitID := eval[string](t, tab, `location.hash.slice('#/visit/'.length)`)

	// Two obstructions: documents refused for security, a person produced after 30 minutes.
	click(t, tab, "#visit-access")
	waitFor(t, tab, "access screen", `!!document.querySelector('#ob-form') && document.querySelector('#access-wait').textContent === '45 min'`, 10*time.Second)
	click(t, tab, `input[name="ob-kind"][value="refused"]`)
	click(t, tab, `input[name="ob-target"][value="documents"]`)
	setValue(t, tab, "#ob-reason", "security")
	setValue(t, tab, "#ob-note", "the duty officer (by position) would not show the register of detainees")
	click(t, tab, "#ob-add")
	waitFor(t, tab, "first obstruction listed", `document.querySelectorAll('#ob-list li.card').length === 1`, 10*time.Second)
	click(t, tab, `input[name="ob-kind"][value="delayed"]`)
	click(t, tab, `input[name="ob-target"][value="person"]`)
	setValue(t, tab, "#ob-minutes", "30")
	setValue(t, tab, "#ob-reason", "staff_absent")
	click(t, tab, "#ob-add")
	waitFor(t, tab, "second obstruction listed", `document.querySelectorAll('#ob-list li.card').length === 2 &&
		!!document.querySelector('#ob-list li[data-kind="delayed"][data-target="person"]') &&
		document.querySelector('#ob-list li[data-kind="delayed"]').textContent.includes('30 min')`, 10*time.Second)
	screenshot(t, tab, "access-02-obstructions")

	// The interview screen: the earlier follow-up, then a new interview.
	do(t, tab, "interviews", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/interviews", srv.URL, visitID)))
	waitFor(t, tab, "earlier follow-up listed", `document.querySelectorAll('#followup-list li').length === 1 &&
		document.querySelector('#followup-list li').textContent.includes('ill-treatment')`, 15*time.Second)
	if txt := eval[string](t, tab, `document.querySelector('#followups').textContent`); containsAny(txt, iv, "Айгуль") {
		t.Errorf("the follow-up list names someone: %q", txt)
	}
	click(t, tab, `input[name="iv-private"][value="true"]`)
	click(t, tab, "#ivp-staff") // a guard stayed in the doorway: "no one else" is unticked
	if eval[bool](t, tab, `document.querySelector('#ivp-none').checked`) {
		t.Error(`"no one else" stays ticked beside "staff"`)
	}
	click(t, tab, `input[name="iv-fear"][value="true"]`)
	click(t, tab, "#ivc-ill_treatment")
	click(t, tab, "#ivc-health")
	click(t, tab, `input[name="iv-follow"][value="true"]`)
	screenshot(t, tab, "access-03-interview-form")
	click(t, tab, "#iv-add")
	waitFor(t, tab, "interview listed", `document.querySelectorAll('#iv-list li.card').length === 1 &&
		document.querySelector('#iv-list li.card').textContent.includes('ill-treatment')`, 10*time.Second)

	// Everything reaches the server as entered.
	syncNow(t, tab)
	waitFor(t, tab, "outbox empty", `inspecta.store.outboxCount().then(n => n === 0)`, 60*time.Second)
	db := srv.DB()
	var arrived, admitted, rep string
	var size int
	var obstructions []string
	var present, complaints string
	var private, fear, follow bool
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		if err := tx.QueryRow(`SELECT arrived_at, admitted_at, team_size, rep_in_interviews FROM visits WHERE id = ?`, visitID).
			Scan(&arrived, &admitted, &size, &rep); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT kind || '/' || target || '/' || COALESCE(minutes, '') || '/' || reason_given FROM obstructions WHERE visit_id = ? ORDER BY id`, visitID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			rows.Scan(&s)
			obstructions = append(obstructions, s)
		}
		return tx.QueryRow(`SELECT present, complaints, private_setting, fear_of_reprisal, follow_up FROM interviews WHERE visit_id = ?`, visitID).
			Scan(&present, &complaints, &private, &fear, &follow)
	})
	if err != nil {
		t.Fatal(err)
	}
	if wait := mustTime(t, admitted).Sub(mustTime(t, arrived)); wait != 45*time.Minute || size != 3 || rep != "no" {
		t.Errorf("visit: arrived %s, admitted %s (%v), team %d, representative at interviews %q; want 45 min, 3, no", arrived, admitted, wait, size, rep)
	}
	if want := []string{"refused/documents//security", "delayed/person/30/staff_absent"}; fmt.Sprint(obstructions) != fmt.Sprint(want) {
		t.Errorf("obstructions = %v; want %v", obstructions, want)
	}
	var pr, co []string
	json.Unmarshal([]byte(present), &pr)
	json.Unmarshal([]byte(complaints), &co)
	if fmt.Sprint(pr) != "[staff]" || fmt.Sprint(co) != "[ill_treatment health]" || !private || !fear || !follow {
		t.Errorf("interview: present %v, complaints %v, private %v, fear %v, follow-up %v", pr, co, private, fear, follow)
	}

	// The coordinator's desk shows the access and the interview counts.
	desk, closeDesk := b.tab(true)
	defer closeDesk()
	signIn(t, desk, srv.URL, "c1")
	do(t, desk, "desk visit", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s", srv.URL, visitID)))
	waitFor(t, desk, "desk access section", `document.querySelectorAll('#desk-obstructions li.card').length === 2 &&
		document.querySelector('#desk-access').textContent.includes('45 min') && !!document.querySelector('#desk-interviews')`, 30*time.Second)
	screenshot(t, desk, "access-04-desk")
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%q is not an RFC 3339 time", s)
	}
	return tm
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
