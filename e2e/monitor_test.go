package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/uuid"

	"inspecta/store"
)

// The field app in a monitor's hands (issue 16): a Kazakh phone at 360×740
// through sync redraws, an approval that locks the visit, a refused change,
// copying the previous cell; and every screen measured for overflow, broken
// words, cut labels and touch targets in kk, ru and en.

// kazakhBrowser is a browser whose preferred language is Kazakh.
func kazakhBrowser(t *testing.T) *browser {
	t.Helper()
	return newBrowserWith(t, chromedp.Flag("accept-lang", "kk-KZ,kk"), chromedp.Flag("lang", "kk-KZ"))
}

// taps counts what a person does on the phone: a tap on the screen or a key of the keyboard.
type taps struct {
	t   *testing.T
	ctx context.Context
	n   int
}

func (p *taps) tap(selector string) {
	p.t.Helper()
	// A redraw after a sync may move the node between finding it and tapping
	// it (the browser protocol then forgets its id): find it again.
	var err error
	for try := 0; try < 3; try++ {
		tctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
		err = chromedp.Do(tctx, chromedp.WaitVisible(selector), chromedp.ScrollIntoView(selector), chromedp.Click(selector))
		cancel()
		if err == nil || !strings.Contains(err.Error(), "Could not find node") {
			break
		}
	}
	if err != nil {
		p.t.Fatalf("tap %s: %v", selector, err)
	}
	p.n++
}

// keys types into the focused control, one tap per key ("\r" is Enter / Next).
func (p *taps) keys(s string) {
	p.t.Helper()
	do(p.t, p.ctx, "type "+s, chromedp.KeyEvent(s))
	p.n += len([]rune(s))
}

func TestMonitorJourney(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv
	b := kazakhBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()

	// The phone's language at first start: Kazakh, before anyone picks it.
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	waitFor(t, tab, "Kazakh at first start", `document.documentElement.lang === 'kk' && document.querySelector('#signin-submit').textContent === 'Кіру'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "facility list", `document.querySelectorAll('#facility-list a.card').length === 2`, 20*time.Second)

	// A visit with m2 on the team and one cell.
	click(t, tab, `#facility-list a.card[data-name^="ИВС"]`)
	click(t, tab, "#start-visit")
	waitFor(t, tab, "visit form", `!!document.querySelector('input[data-user="m2"]')`, 10*time.Second)
	eval[bool](t, tab, `(document.querySelector('input[data-user="m2"]').click(), true)`)
	click(t, tab, "#visit-save")
	waitFor(t, tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && !!document.querySelector('#add-location')`, 10*time.Second)
	visitID := eval[string](t, tab, `location.hash.slice('#/visit/'.length)`)
	waitFor(t, tab, "dates as dd.mm.yyyy", `/\d\d\.\d\d\.\d{4} \d\d:\d\d/.test(document.querySelector('#visit-status').textContent)`, 5*time.Second)
	addPlace := func(label string) string {
		t.Helper()
		setValue(t, tab, "#loc-label", label)
		click(t, tab, "#loc-add")
		waitFor(t, tab, "place "+label, fmt.Sprintf(`!!document.querySelector('#location-list a.card[data-label=%s]')`, js(label)), 10*time.Second)
		return eval[string](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('location', %s).then(ls => ls.find(l => l.fields.label === %s).id)`, js(visitID), js(label)))
	}
	cell1 := addPlace("1-камера")

	// Cell 1's measurements entered anew, tap by tap, with Enter / Next between questions.
	do(t, tab, "cell 1", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/space", srv.URL, visitID, cell1)))
	waitFor(t, tab, "space section", `!!document.querySelector('#in-cell_area_m2')`, 10*time.Second)
	anew := &taps{t: t, ctx: tab}
	// The place's kind (a police cell, the IVS checklist's first kind) is the one question for it: no "type of room" to answer here.
	anew.tap("#in-cell_area_m2")
	anew.keys("11,5\r")
	anew.keys("4\r")
	anew.keys("2,1\r")
	anew.keys("2,4\r")
	anew.keys("3\r")
	waitFor(t, tab, "Enter / Next reached the next section button", `document.activeElement && document.activeElement.id === 'next-section'`, 5*time.Second)
	waitFor(t, tab, "red indicator in Kazakh numbers", `(() => { const b = document.querySelector('#ind-space_per_person_police');
		return b && b.dataset.band === 'red' && b.textContent.includes('2,88'); })()`, 5*time.Second)
	waitFor(t, tab, "section done", `document.querySelector('#section-left').classList.contains('done')`, 5*time.Second)
	waitFor(t, tab, "cell 1 synced", `inspecta.store.outboxCount().then(n => n === 0 && document.querySelector('#sync-status').dataset.running === '0')`, 30*time.Second)

	// The red indicator's standard opened; then two automatic syncs, each
	// bringing a teammate's value, while a half-typed value keeps its focus and caret.
	eval[bool](t, tab, `(window.__syncs = 0, inspecta.syncer.onStatus(s => { if (window.__running && !s.running) window.__syncs++; window.__running = s.running; }), true)`)
	do(t, tab, "open the standard", chromedp.ScrollIntoView("#ind-space_per_person_police"), chromedp.Click("#ind-space_per_person_police"))
	waitFor(t, tab, "standard open", `!document.querySelector('#std-space_per_person_police').hidden`, 5*time.Second)
	tokenB := srv.login("m2")
	deviceB := meDevice(srv, tokenB)
	pushB := func(item string, value any) {
		t.Helper()
		var out struct {
			Results []struct{ Status string } `json:"results"`
		}
		srv.apiCall("POST", "/api/v1/sync/push", tokenB, map[string]any{"device_id": deviceB, "ops": []any{map[string]any{
			"op_id": uuid.Must(uuid.NewV7()).String(), "type": "observation", "id": uuid.Must(uuid.NewV7()).String(), "action": "upsert",
			"hlc":    time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + "/0000/" + deviceB,
			"fields": map[string]any{"visit_id": visitID, "location_id": cell1, "item": item, "value": value},
		}}}, &out)
		if len(out.Results) != 1 || out.Results[0].Status != "applied" {
			t.Fatalf("device B's push: %+v", out.Results)
		}
	}
	// Half-typed: "2,1" becomes "2,15", the caret moved back between "2," and "15".
	do(t, tab, "type into wall distance", chromedp.ScrollIntoView("#in-wall_distance_m"), chromedp.Click("#in-wall_distance_m"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#in-wall_distance_m').setSelectionRange(3, 3)`),
		chromedp.KeyEvent("5"), chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowLeft))
	y := eval[float64](t, tab, `scrollY`)
	for i, step := range []struct {
		item  string
		value any
		shown string
	}{{"ceiling_height_m", 2.4, "2,4"}, {"persons_present", 4, "4"}} {
		pushB(step.item, step.value)
		// A note recorded elsewhere in the app (as another screen would) is a
		// local change: the syncer runs by itself 1.5 s later, pushes it and pulls B's value.
		eval[bool](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('observation', %s).then(os => os.find(o => o.fields.item === 'sleeping_places' && o.fields.location_id === %s))
			.then(o => inspecta.store.change('observation', o.id, { note: %s })).then(() => true)`, js(visitID), js(cell1), js(fmt.Sprintf("note %d", i+1))))
		waitFor(t, tab, fmt.Sprintf("automatic sync %d", i+1), fmt.Sprintf(`window.__syncs >= %d`, i+1), 30*time.Second)
		waitFor(t, tab, fmt.Sprintf("device B's value %d redrawn in place", i+1), fmt.Sprintf(`[...document.querySelectorAll('.item[data-item=%s] .others li')].some(li => li.textContent.includes(%s))`,
			js(step.item), js("Пётр Иванов: "+step.shown)), 20*time.Second)
	}
	if n := eval[int](t, tab, `window.__syncs`); n < 2 {
		t.Fatalf("automatic syncs = %d; want 2", n)
	}
	state := eval[string](t, tab, `(() => { const a = document.activeElement; return [
		!document.querySelector('#std-space_per_person_police').hidden, document.querySelector('#ind-space_per_person_police').getAttribute('aria-expanded'),
		a && a.id, a && a.value, a && a.selectionStart].join('|'); })()`)
	if state != "true|true|in-wall_distance_m|2,15|2" {
		t.Fatalf("after two syncs: standard open, aria-expanded, focus, value, caret = %s; want true|true|in-wall_distance_m|2,15|2", state)
	}
	if y2 := eval[float64](t, tab, `scrollY`); y2 < y-1 || y2 > y+1 {
		t.Errorf("scroll moved from %.0f to %.0f through the syncs", y, y2)
	}
	screenshot(t, tab, "kk-standard-open-after-syncs")
	eval[bool](t, tab, `(document.activeElement.blur(), true)`) // commits 2,15
	waitFor(t, tab, "typed value saved", `inspecta.store.outboxCount().then(n => n === 0)`, 30*time.Second)

	// Cell 2 by copying cell 1: asks first, marks the copies, persons differ.
	do(t, tab, "back to the visit", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	waitFor(t, tab, "hub", `!!document.querySelector('#loc-label')`, 10*time.Second)
	cell2 := addPlace("2-камера")
	do(t, tab, "cell 2", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/space", srv.URL, visitID, cell2)))
	waitFor(t, tab, "copy offered", `!!document.querySelector('#copy-prev')`, 10*time.Second)
	copying := &taps{t: t, ctx: tab}
	copying.tap("#copy-prev")
	if eval[int](t, tab, `inspecta.store.ofVisit('observation', location.hash.split('/')[2]).then(os => os.filter(o => o.fields.location_id === location.hash.split('/')[4]).length)`) != 0 {
		t.Fatal("copying wrote answers before the monitor confirmed")
	}
	copying.tap("#copy-do")
	waitFor(t, tab, "copies marked", `document.querySelectorAll('.item.copied').length === 5 && document.querySelector('#in-persons_present').value === '4'`, 10*time.Second)
	screenshot(t, tab, "kk-copied-marked")
	copying.tap("#in-persons_present")
	copying.keys("\b5\r")
	waitFor(t, tab, "the changed answer is no longer marked", `!document.querySelector('.item[data-item="persons_present"]').classList.contains('copied')`, 5*time.Second)
	copying.tap("#confirm-copied")
	waitFor(t, tab, "all confirmed", `document.querySelectorAll('.item.copied').length === 0`, 5*time.Second)
	t.Logf("a cell's measurements (5 questions): %d taps entered anew, %d taps copied from the previous cell", anew.n, copying.n)
	if copying.n*2 >= anew.n {
		t.Errorf("copying took %d taps, entering anew %d: want fewer than half", copying.n, anew.n)
	}
	waitFor(t, tab, "cell 2 synced", `inspecta.store.outboxCount().then(n => n === 0)`, 30*time.Second)
	checkStored(t, srv.DB(), visitID, f.m1, []answer{
		{"1-камера", "", "cell_area_m2", "", 11.5}, {"1-камера", "", "persons_present", "", 4.0},
		{"1-камера", "", "wall_distance_m", "", 2.15}, {"1-камера", "", "ceiling_height_m", "", 2.4}, {"1-камера", "", "sleeping_places", "", 3.0},
		{"2-камера", "", "cell_area_m2", "", 11.5}, {"2-камера", "", "persons_present", "", 5.0},
		{"2-камера", "", "wall_distance_m", "", 2.15}, {"2-камера", "", "ceiling_height_m", "", 2.4}, {"2-камера", "", "sleeping_places", "", 3.0},
	})

	// Before submitting: the required questions nobody answered, each one tap away.
	do(t, tab, "hub", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	click(t, tab, "#submit-visit")
	waitFor(t, tab, "missing list", `!!document.querySelector('#missing a.missing-item[data-item="official_capacity"]')`, 5*time.Second)
	click(t, tab, `#missing a.missing-item[data-item="official_capacity"]`)
	waitFor(t, tab, "one tap to the question", `document.activeElement && document.activeElement.id === 'in-official_capacity'`, 10*time.Second)
	do(t, tab, "hub again", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	click(t, tab, "#submit-visit")
	click(t, tab, "#submit-confirm")
	waitFor(t, tab, "submitted and synced", `inspecta.store.outboxCount().then(n => n === 0 && document.querySelector('#sync-status').dataset.running === '0')`, 30*time.Second)

	// The coordinator approves on another device; the phone, not yet told,
	// changes cell 1's floor area: refused, rolled back, named in Kazakh.
	do(t, tab, "cell 1 again", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/space", srv.URL, visitID, cell1)))
	waitFor(t, tab, "cell 1 idle", `!!document.querySelector('#in-cell_area_m2') && document.querySelector('#sync-status').dataset.running === '0'`, 20*time.Second)
	// The phone makes its change out of reach of the server (so that no sync
	// tells it about the approval first); the server comes back, the
	// coordinator approves at once, and the phone's next try (5 s later) is refused.
	tokenC := srv.login("c1")
	srv.Stop()
	setValue(t, tab, "#in-cell_area_m2", "30")
	waitFor(t, tab, "the change waits", `inspecta.store.outboxCount().then(n => n === 1)`, 10*time.Second)
	waitFor(t, tab, "a sync failed offline", `/Байланыс жоқ/.test(document.querySelector('#sync-status').textContent)`, 20*time.Second)
	srv.Start()
	var approval struct {
		Visit struct {
			Status string `json:"status"`
		} `json:"visit"`
	}
	srv.approveShown(visitID, tokenC, &approval) // fails the test unless 2xx
	if approval.Visit.Status != "approved" {
		t.Fatalf("after the coordinator's approval the visit is %q; want approved", approval.Visit.Status)
	}
	waitFor(t, tab, "refused", `inspecta.store.rejected().then(r => r.length === 1)`, 60*time.Second)
	t.Logf("refusal: %s", eval[string](t, tab, `inspecta.store.rejected().then(r => JSON.stringify(r))`))
	waitFor(t, tab, "a pull after the refusal", `document.querySelector('#sync-status').dataset.running === '0'`, 30*time.Second)
	t.Logf("phone's visit after the refusal: %s", eval[string](t, tab, fmt.Sprintf(`inspecta.store.get('visit', %s).then(v => JSON.stringify(v))`, js(visitID))))
	waitFor(t, tab, "locked on screen", `document.querySelector('#in-cell_area_m2').disabled && !!document.querySelector('#approved-banner')`, 30*time.Second)
	if !eval[bool](t, tab, `new Promise(ok => { const end = Date.now() + 30000; (function poll() {
		if (document.querySelector('#in-cell_area_m2').value === '11,5') ok(true); else if (Date.now() > end) ok(false); else setTimeout(poll, 100); })(); })`) {
		t.Fatalf("the refused floor area was not rolled back: field %q, local record %s", eval[string](t, tab, `document.querySelector('#in-cell_area_m2').value`),
			eval[string](t, tab, `inspecta.store.ofVisit('observation', location.hash.split('/')[2]).then(os => JSON.stringify(os.filter(o => o.fields.item === 'cell_area_m2')))`))
	}
	banner := eval[string](t, tab, `document.querySelector('#approved-banner').textContent`)
	if !strings.Contains(banner, "Координатор") || !strings.Contains(banner, "Баруды қайта ашу") {
		t.Errorf("approved banner = %q; want the coordinator's name and how to ask for a reopening, in Kazakh", banner)
	}
	// Nothing can be edited on screen: every control of the checklist is disabled, a tap changes nothing.
	if n := eval[int](t, tab, `[...document.querySelectorAll('.checklist input, .checklist textarea, .checklist select')].filter(e => !e.disabled && !e.closest('fieldset:disabled') && e.id !== 'section-select').length`); n != 0 {
		t.Errorf("%d controls still editable on the approved visit", n)
	}
	// The police checklist's space section has no choice (the place's kind is the one question): tap a measurement and type.
	do(t, tab, "tap and type in the approved visit", chromedp.ScrollIntoView(`#in-cell_area_m2`), chromedp.Click(`#in-cell_area_m2`), chromedp.KeyEvent("9"))
	if eval[string](t, tab, `document.querySelector('#in-cell_area_m2').value`) != "11,5" || eval[int](t, tab, `inspecta.store.outboxCount()`) != 0 {
		t.Error("a tap changed the approved visit")
	}
	for _, sel := range []string{"#copy-prev", "#confirm-copied"} {
		if eval[bool](t, tab, fmt.Sprintf(`!!document.querySelector(%s)`, js(sel))) {
			t.Errorf("%s is offered on an approved visit", sel)
		}
	}
	screenshot(t, tab, "kk-approved-locked")
	do(t, tab, "hub of the approved visit", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	waitFor(t, tab, "hub locked", `!!document.querySelector('#approved-banner') && !document.querySelector('#add-location') && !document.querySelector('#submit-visit')`, 10*time.Second)
	do(t, tab, "settings", chromedp.Navigate(srv.URL+"/#/settings"))
	waitFor(t, tab, "refused list", `!!document.querySelector('#rejected-list li')`, 10*time.Second)
	refused := eval[string](t, tab, `document.querySelector('#rejected-list li').innerText`)
	for _, want := range []string{"1-камера", "B02 · ", "Сіз енгіздіңіз: 30", "Сіздің өзгерісіңіз жеткенше бару бекітілді"} {
		if !strings.Contains(refused, want) {
			t.Errorf("refused entry %q lacks %q", refused, want)
		}
	}
	for _, bad := range []string{"fields.", "{", "approved and locked"} {
		if strings.Contains(refused, bad) {
			t.Errorf("refused entry %q shows %q", refused, bad)
		}
	}
	screenshot(t, tab, "kk-refused-list")
	if v := observationValue(t, srv, visitID, cell1, "cell_area_m2"); v != "11.5" {
		t.Errorf("server's floor area of cell 1 = %s; want 11.5", v)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}

func meDevice(s *appServer, token string) string {
	var me struct {
		DeviceID string `json:"device_id"`
	}
	s.apiCall("GET", "/api/v1/me", token, nil, &me)
	return me.DeviceID
}

func observationValue(t *testing.T, s *appServer, visitID, locationID, item string) string {
	t.Helper()
	var v string
	if err := s.DB().Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT value FROM observations WHERE visit_id = ? AND location_id = ? AND item = ? AND author_id IN (SELECT id FROM users WHERE username = 'm1')`,
			visitID, locationID, item).Scan(&v)
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// darkMode makes the tab prefer the dark colour scheme, as a phone set to dark does.
func darkMode(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	scheme := "light"
	if on {
		scheme = "dark"
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
		t.Fatal(err)
	}
}

// seedVisits pushes, as m1 from another device, a draft visit with two cells
// (the first half answered) and a visit the coordinator then approves.
// Returns the draft's id, its cells' ids and the approved visit's id.
func seedVisits(t *testing.T, f *fixture) (draft, cell1, cell2, approved string) {
	t.Helper()
	s := f.srv
	token := s.login("m1")
	device := meDevice(s, token)
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	draft, cell1, cell2, approved = id(), id(), id(), id()
	cellA := id()
	n := 0
	op := func(typ, rid string, fields map[string]any) map[string]any {
		n++
		return map[string]any{"op_id": id(), "type": typ, "id": rid, "action": "upsert",
			"hlc": fmt.Sprintf("2026-11-20T09:00:%02d.000Z/0000/%s", n, device), "fields": fields}
	}
	visit := func(vid, status string) map[string]any {
		return op("visit", vid, map[string]any{"facility_id": f.ivs, "kind": "regular", "announced": false, "status": status,
			"started_at": "2026-11-20T09:00:00Z", "team": []string{f.m1, f.m2}, "checklist": "kz-npm-default@2"})
	}
	obs := func(vid, loc, item string, v any) map[string]any {
		return op("observation", id(), map[string]any{"visit_id": vid, "location_id": loc, "item": item, "value": v})
	}
	ops := []any{visit(draft, "draft"),
		op("location", cell1, map[string]any{"visit_id": draft, "kind": "cell", "label": "Камера 12 (демо)"}),
		op("location", cell2, map[string]any{"visit_id": draft, "kind": "dormitory", "label": "Жатақхана 3"}),
		obs(draft, cell1, "location_type", "multiple"), obs(draft, cell1, "cell_area_m2", 24.5), obs(draft, cell1, "persons_present", 4),
		obs(draft, cell1, "air_temperature_c", 14), obs(draft, cell1, "heating_working", false),
		visit(approved, "submitted"),
		op("location", cellA, map[string]any{"visit_id": approved, "kind": "cell", "label": "Камера 1"}),
		obs(approved, cellA, "cell_area_m2", 12), obs(approved, cellA, "persons_present", 3),
	}
	var out struct {
		Results []struct{ Status string } `json:"results"`
	}
	s.apiCall("POST", "/api/v1/sync/push", token, map[string]any{"device_id": device, "ops": ops}, &out)
	for i, r := range out.Results {
		if r.Status != "applied" {
			t.Fatalf("seed op %d: %s", i, r.Status)
		}
	}
	s.approveShown(approved, s.login("c1"), nil)
	return draft, cell1, cell2, approved
}

// measureJS defines window.__measure(): the layout problems of the screen at
// its width: a page that scrolls sideways, an element out of the viewport,
// content wider than its box, a word broken across two lines, a select whose
// chosen option is cut, and touch targets under 44×44 px (a radio or
// checkbox counts with its label, which takes the tap).
const measureJS = `window.__measure = () => {
  const out = [];
  const W = document.documentElement.clientWidth;
  const say = (el) => (el.id ? '#' + el.id : el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '')) +
    ' "' + (el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
  // Shown: laid out, not hidden, not transparent, not inside a box clipped for screen readers only.
  const shown = (el) => {
    if (!el.getClientRects().length || el.closest('[hidden]')) return false;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.opacity === '0') return false;
    for (let a = el; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).clip !== 'auto') return false;
    return true;
  };
  if (document.documentElement.scrollWidth > W + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W);
  const all = [...document.body.querySelectorAll('*')].filter(shown);
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.right > W + 1 || r.left < -1) out.push('out of the screen: ' + say(el) + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
    if (!['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'HTML', 'BODY'].includes(el.tagName) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      out.push('wider than its box: ' + say(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
  }
  // Words broken across lines: a word (split at spaces, hyphens and slashes, where breaking is right) whose box spans two lines.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || !shown(p) || ['OPTION', 'SCRIPT', 'STYLE', 'TEXTAREA'].includes(p.tagName) || p.closest('select')) continue;
    const re = /[^\s\u00a0\-–—\/·]{2,}/g;
    for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
      if (tops.size > 1) out.push('broken word: "' + m[0] + '" in ' + say(p));
    }
  }
  const canvas = document.createElement('canvas').getContext('2d');
  for (const sel of document.querySelectorAll('select')) {
    if (!shown(sel) || !sel.selectedOptions.length) continue;
    const cs = getComputedStyle(sel);
    canvas.font = cs.font;
    const need = canvas.measureText(sel.selectedOptions[0].text).width;
    const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
    if (need > room) out.push('select cut: ' + say(sel) + ' "' + sel.selectedOptions[0].text + '" needs ' + Math.round(need) + ' px, has ' + Math.round(room));
  }
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    let r = el.getBoundingClientRect();
    if ((el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels.length) {
      const l = el.labels[0];
      if (!shown(l)) continue;
      r = l.getBoundingClientRect();
    } else if (!shown(el)) continue;
    if (el.type === 'hidden' || (!r.width && !r.height)) continue;
    if (r.height < 43.5 || r.width < 43.5) out.push('touch target ' + Math.round(r.width) + '×' + Math.round(r.height) + ': ' + say(el));
  }
  return out;
}`

// TestLayout360 opens every screen of the field app at 360 px in Kazakh (in
// the dark theme, with screenshots), Russian and English (with large text)
// and measures it (measureJS): nothing may stick out, be cut or break a word,
// and every touch target is at least 44×44 px.
func TestLayout360(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv
	draft, cell1, cell2, approved := seedVisits(t, f)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	eval[bool](t, tab, measureJS+"; true")
	var problems []string
	check := func(lang, screen string) {
		t.Helper()
		for _, p := range eval[[]string](t, tab, `window.__measure()`) {
			problems = append(problems, fmt.Sprintf("%s %s: %s", lang, screen, p))
		}
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		setValue(t, tab, "#lang", lang)
		waitFor(t, tab, "sign-in in "+lang, fmt.Sprintf(`document.documentElement.lang === %s`, js(lang)), 5*time.Second)
		darkMode(t, tab, lang == "kk")
		check(lang, "sign-in")
		if lang == "kk" {
			screenshot(t, tab, "dark-kk-01-sign-in")
		}
	}
	do(t, tab, "sign in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "visits pulled", fmt.Sprintf(`!!document.querySelector('#visit-list a[href="#/visit/%s"]')`, draft), 30*time.Second)
	waitFor(t, tab, "synced", `document.querySelector('#sync-status')?.dataset.running === '0'`, 30*time.Second)
	// A change the server refused, for the badge and the list.
	eval[bool](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('observation', %s).then(os => os.find(o => o.fields.item === 'cell_area_m2'))
		.then(o => inspecta.store.db.add('rejected', { op: { op_id: 'x', type: 'observation', id: o.id, action: 'upsert', fields: { value: 30 } },
			error: { field: 'fields.visit_id', code: 'locked', message: 'that visit is approved and locked' }, at: Date.now() }))
		.then(() => inspecta.syncer.refresh()).then(() => true)`, js(approved)))
	type screen struct {
		name, path string
		before     string // a script that opens something on the screen
		shot       bool
	}
	v := "/visit/" + draft
	screens := []screen{
		{"facilities", "/", "", true},
		{"facility-new", "/facility-new", "", false},
		{"facility", "/facility/" + f.ivs, "", true},
		{"settings", "/settings", "", true},
		{"visit-new", "/visit-new/" + f.ivs, "", false},
		{"visit-hub", v, `document.querySelector('#submit-visit').click()`, true},
		{"visit-edit", "/visit-edit/" + draft, "", false},
		{"recommendations", v + "/recommendations", "", false},
		{"confidential", v + "/confidential", "", true},
		{"approved-hub", "/visit/" + approved, "", true},
		{"approved-checklist", "/visit/" + approved + "/check/visit", "", false},
	}
	for _, sec := range []string{"visit", "safeguards", "food_health"} {
		screens = append(screens, screen{"visit-checklist-" + sec, v + "/check/visit/" + sec, "", sec == "visit"})
	}
	for _, sec := range []string{"space", "regime", "climate", "sanitation", "water", "hygiene", "bedding", "disability"} {
		open := ""
		if sec == "space" {
			open = `document.querySelector('#ind-space_per_person').click(); document.querySelector('#help-cell_area_m2').open = true`
		}
		screens = append(screens, screen{"cell-" + sec, v + "/check/" + cell1 + "/" + sec, open, sec == "space"})
	}
	screens = append(screens, screen{"cell2-copy", v + "/check/" + cell2 + "/space", `document.querySelector('#copy-prev').click()`, true})
	for _, lang := range []string{"kk", "ru", "en"} {
		eval[bool](t, tab, `(location.hash = '#/settings', true)`)
		waitFor(t, tab, "settings", `!!document.querySelector('#lang')`, 10*time.Second)
		setValue(t, tab, "#lang", lang)
		waitFor(t, tab, "language "+lang, fmt.Sprintf(`document.documentElement.lang === %s`, js(lang)), 5*time.Second)
		large := lang == "en"
		if eval[bool](t, tab, `document.querySelector('#large-text').checked`) != large {
			click(t, tab, `label[for="large-text"]`)
		}
		waitFor(t, tab, "text size", fmt.Sprintf(`(document.documentElement.dataset.text === 'large') === %v`, large), 5*time.Second)
		darkMode(t, tab, lang == "kk")
		for i, s := range screens {
			eval[bool](t, tab, fmt.Sprintf(`(location.hash = %s, true)`, js("#"+s.path)))
			waitFor(t, tab, s.name, fmt.Sprintf(`document.documentElement.dataset.path === %s`, js(s.path)), 10*time.Second)
			if s.before != "" {
				eval[bool](t, tab, "(() => { "+s.before+"; return true; })()")
			}
			eval[bool](t, tab, `(scrollTo(0, 0), true)`)
			check(lang, s.name)
			if lang == "kk" && s.shot {
				screenshot(t, tab, fmt.Sprintf("dark-kk-%02d-%s", i+2, s.name))
			}
		}
	}
	// The coordinator's desk on a phone, on a second device of the same browser.
	desk, closeDesk := b.tab(true)
	defer closeDesk()
	do(t, desk, "desk: open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	do(t, desk, "desk: sign in", chromedp.SendKeys("#username", "c1"), chromedp.SendKeys("#password", "password-c1"), chromedp.Click("#signin-submit"))
	waitFor(t, desk, "desk: signed in", `document.documentElement.dataset.path === '/'`, 30*time.Second)
	eval[bool](t, desk, measureJS+"; true")
	deskScreens := []struct{ name, path, ready string }{
		{"desk", "/desk", `!!document.querySelector('a[href="#/desk/visit/` + approved + `"]')`},
		{"desk-visit", "/desk/visit/" + approved, `!!document.querySelector('.scope')`},
		{"desk-audit", "/desk/visit/" + approved + "/audit", `!!document.querySelector('table, .empty')`},
		{"desk-facility", "/desk/facility/" + f.ivs, `!!document.querySelector('h1')`},
		{"desk-facilities", "/desk/facilities", `!!document.querySelector('main h1')`},
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		eval[bool](t, desk, fmt.Sprintf(`import('/i18n.js').then(m => m.setLang(%s)).then(() => true)`, js(lang)))
		darkMode(t, desk, lang == "kk")
		for _, s := range deskScreens {
			eval[bool](t, desk, fmt.Sprintf(`(location.hash = %s, true)`, js("#"+s.path)))
			waitFor(t, desk, s.name, fmt.Sprintf(`document.documentElement.dataset.path === %s && document.documentElement.lang === %s && %s`, js(s.path), js(lang), s.ready), 20*time.Second)
			eval[bool](t, desk, `(scrollTo(0, 0), true)`)
			for _, p := range eval[[]string](t, desk, `window.__measure()`) {
				problems = append(problems, fmt.Sprintf("%s %s: %s", lang, s.name, p))
			}
			if lang == "kk" && s.name == "desk-visit" {
				screenshot(t, desk, "dark-kk-30-desk-visit")
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d layout problems at 360 px:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}
