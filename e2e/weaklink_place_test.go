package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/uuid"
)

// TestWeakLinkPlacePage: a place's page while syncs come (issue 20, no long
// task during a sync). Each question's help, note and photos are built only
// when its "help and note" is opened (by the keyboard here); a sync that
// brings nothing the page shows keeps the page as it is (no rebuild: the
// same element, the text being typed in a note untouched); one that brings
// a teammate's answer for the place draws it anew with that answer, the
// note typed and the open question kept; an answer typed on the page
// leaves it showing what a fresh draw shows.
func TestWeakLinkPlacePage(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	draft, cell1, _, _ := seedVisits(t, f)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	signIn(t, tab, f.srv.URL, "m1")
	waitFor(t, tab, "first sync", `inspecta.syncer.state.lastSync !== null && !inspecta.syncer.state.running`, 30*time.Second)
	page := fmt.Sprintf("/visit/%s/check/%s/space", draft, cell1)
	do(t, tab, "open the place", chromedp.Navigate(f.srv.URL+"/#"+page))
	waitFor(t, tab, "its questions", fmt.Sprintf(`document.documentElement.dataset.path === %s && !!document.querySelector('#in-cell_area_m2')`, js(page)), 30*time.Second)

	// Help, note and photos: not built until opened.
	if n := eval[int](t, tab, `document.querySelectorAll('.checklist .note-text, .checklist .item .photos').length`); n != 0 {
		t.Errorf("%d notes and photo boxes built before any question was opened; want none", n)
	}
	if eval[int](t, tab, `document.querySelectorAll('.checklist details.help > summary').length`) < 2 {
		t.Fatal("the questions have no \"help and note\" to open")
	}
	eval[bool](t, tab, `(document.querySelector('#help-cell_area_m2 > summary').focus(), true)`)
	do(t, tab, "open help and note by the keyboard", chromedp.KeyEvent(kb.Enter))
	waitFor(t, tab, "the note and photos built", `document.querySelector('#help-cell_area_m2').open && !!document.querySelector('#help-cell_area_m2 #note-cell_area_m2') &&
		!!document.querySelector('#help-cell_area_m2 #photos-cell_area_m2') && document.activeElement === document.querySelector('#help-cell_area_m2 > summary')`, 5*time.Second)
	// A note being typed, not committed yet.
	eval[bool](t, tab, `(() => { const n = document.querySelector('#note-cell_area_m2'); n.focus(); n.value = 'половина окна заклеена'; n.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`)
	mark := `(document.querySelector('.checklist').dataset.mark = 'kept', true)`
	kept := `document.querySelector('.checklist')?.dataset.mark === 'kept'`
	eval[bool](t, tab, mark)

	// A teammate's record the page does not show (a visit of their own to another place).
	push := teammatePush(t, f)
	other := uuid.Must(uuid.NewV7()).String()
	push("visit", other, map[string]any{"facility_id": f.sizo, "kind": "regular", "announced": false, "status": "draft",
		"started_at": "2026-11-21T09:00:00Z", "team": []string{f.m1, f.m2}})
	waitFor(t, tab, "the other visit pulled", fmt.Sprintf(`inspecta.syncer.sync().then(() => inspecta.store.get('visit', %s)).then(r => !!r)`, js(other)), 30*time.Second)
	eval[bool](t, tab, `inspecta.render().then(() => true)`)
	if !eval[bool](t, tab, kept) {
		t.Errorf("a sync that brought nothing the place's page shows drew it anew; want it kept")
	}
	if v := eval[string](t, tab, `document.querySelector('#note-cell_area_m2')?.value`); v != "половина окна заклеена" {
		t.Errorf("the note being typed is %q after the sync; want it as typed", v)
	}

	// A teammate's answer for this place: drawn anew, with it.
	push("observation", uuid.Must(uuid.NewV7()).String(), map[string]any{"visit_id": draft, "location_id": cell1, "item": "cell_area_m2", "value": 26.5})
	eval[bool](t, tab, `inspecta.syncer.sync().then(() => inspecta.render()).then(() => true)`)
	waitFor(t, tab, "the teammate's answer shown", `!!document.querySelector('.item[data-item="cell_area_m2"] .others li')`, 10*time.Second)
	if eval[bool](t, tab, kept) {
		t.Errorf("a teammate's answer for the place came and the page was kept; want it drawn anew")
	}
	if v := eval[string](t, tab, `document.querySelector('#note-cell_area_m2')?.value`); v != "половина окна заклеена" {
		t.Errorf("the note being typed is %q after the page was drawn anew; want it as typed", v)
	}
	if !eval[bool](t, tab, `document.querySelector('#help-cell_area_m2').open`) {
		t.Errorf("the open question's help and note closed when the page was drawn anew")
	}

	// An answer typed here: the page stays, and shows what a fresh draw shows.
	eval[bool](t, tab, mark)
	before := eval[int](t, tab, `inspecta.store.outboxCount()`)
	// A question not answered yet: what is left in the section changes.
	empty := eval[string](t, tab, `[...document.querySelectorAll('.checklist .item:not([hidden]) input[data-item][inputmode]')].find((el) => el.value === '')?.id || ''`)
	if empty == "" {
		t.Fatal("no question left to answer on the page")
	}
	leftBefore := eval[string](t, tab, `document.querySelector('#section-left').textContent`)
	setValue(t, tab, "#"+empty, "9")
	waitFor(t, tab, "the answer saved", fmt.Sprintf(`inspecta.store.outboxCount().then(n => n > %d)`, before), 10*time.Second)
	eval[bool](t, tab, `inspecta.render().then(() => true)`)
	if !eval[bool](t, tab, kept) {
		t.Errorf("the page was drawn anew after an answer typed on it; want it kept")
	}
	shows := `JSON.stringify([...document.querySelectorAll('.section-list .left, #section-left, .checklist .indicators, .checklist .item')].map((e) => e.classList.contains('item') ? e.dataset.item + (e.hidden ? ' hidden' : '') : e.textContent))`
	keptShows := eval[string](t, tab, shows)
	if v := eval[string](t, tab, `document.querySelector('#`+empty+`').value`); v != "9" {
		t.Errorf("the answer shows %q; want 9", v)
	}
	if left := eval[string](t, tab, `document.querySelector('#section-left').textContent`); left == leftBefore {
		t.Errorf("what is left in the section still says %q after a question was answered", left)
	}
	do(t, tab, "leave", chromedp.Navigate(f.srv.URL+"/#/visit/"+draft))
	waitFor(t, tab, "the visit", fmt.Sprintf(`document.documentElement.dataset.path === %s`, js("/visit/"+draft)), 10*time.Second)
	do(t, tab, "come back", chromedp.Navigate(f.srv.URL+"/#"+page))
	waitFor(t, tab, "the place drawn anew", fmt.Sprintf(`document.documentElement.dataset.path === %s && !(%s)`, js(page), kept), 10*time.Second)
	if fresh := eval[string](t, tab, shows); fresh != keptShows {
		t.Errorf("the kept page shows\n%s\na fresh draw shows\n%s", keptShows, fresh)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}

// teammatePush returns a function that pushes one upsert as m2 from a device
// of theirs (a teammate's write that the next sync of m1's phone pulls).
func teammatePush(t *testing.T, f *fixture) func(typ, id string, fields map[string]any) {
	token := f.srv.login("m2")
	device := meDevice(f.srv, token)
	n := 0
	return func(typ, id string, fields map[string]any) {
		t.Helper()
		n++
		var out struct {
			Results []struct {
				Status string
				Error  any
			} `json:"results"`
		}
		f.srv.apiCall("POST", "/api/v1/sync/push", token, map[string]any{"device_id": device, "ops": []any{map[string]any{
			"op_id": uuid.Must(uuid.NewV7()).String(), "type": typ, "id": id, "action": "upsert",
			"hlc": fmt.Sprintf("2026-11-21T09:%02d:00.000Z/0000/%s", n, device), "fields": fields}}}, &out)
		if len(out.Results) != 1 || out.Results[0].Status != "applied" {
			t.Fatalf("push %s: %+v", typ, out.Results)
		}
	}
}

// TestWeakLinkScreensKept: the facility list, a facility's page and a
// visit's page while syncs come (issue 20). A sync that brings nothing the
// screen shows keeps it as it is (the same element, text being typed
// untouched: app.js, dom.js drawnFrom); one that brings something it shows
// draws it anew, showing it.
func TestWeakLinkScreensKept(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	draft, cell1, _, _ := seedVisits(t, f)
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	signIn(t, tab, f.srv.URL, "m1")
	waitFor(t, tab, "first sync", `inspecta.syncer.state.lastSync !== null && !inspecta.syncer.state.running`, 30*time.Second)
	push := teammatePush(t, f)
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	mark := `(document.querySelector('#view > *').dataset.mark = 'kept', true)`
	kept := `document.querySelector('#view > *')?.dataset.mark === 'kept'`
	// synced pulls what the teammate pushed and waits for the screen drawn after it.
	synced := func(what, until string) {
		t.Helper()
		waitFor(t, tab, what, `inspecta.syncer.sync().then(() => inspecta.render()).then(() => `+until+`)`, 30*time.Second)
	}
	open := func(path, ready string) {
		t.Helper()
		do(t, tab, "open "+path, chromedp.Navigate(f.srv.URL+"/#"+path))
		waitFor(t, tab, path, fmt.Sprintf(`document.documentElement.dataset.path === %s && !!document.querySelector(%s)`, js(path), js(ready)), 30*time.Second)
		eval[bool](t, tab, mark)
	}
	typed := func(sel, text string) {
		t.Helper()
		eval[bool](t, tab, fmt.Sprintf(`(() => { const el = document.querySelector(%s); el.focus(); el.value = %s; el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`, js(sel), js(text)))
	}
	stillTyped := func(screen, sel, text string) {
		t.Helper()
		if v := eval[string](t, tab, fmt.Sprintf(`document.querySelector(%s)?.value`, js(sel))); v != text {
			t.Errorf("%s: the text being typed is %q after the sync; want %q", screen, v, text)
		}
	}

	// The facility list: a teammate's answer in a visit is not on it.
	open("/", "#facility-list a.card")
	typed("#search", "Де")
	push("observation", id(), map[string]any{"visit_id": draft, "location_id": cell1, "item": "persons_present", "value": 5})
	synced("the answer pulled", `inspecta.store.ofVisit('observation', `+js(draft)+`).then(o => o.some(r => r.fields.value === 5))`)
	if !eval[bool](t, tab, kept) {
		t.Errorf("the facility list was drawn anew for a sync that brought nothing it shows; want it kept")
	}
	stillTyped("the facility list", "#search", "Де")
	// A visit of the member's team (a teammate started it): on the list of my visits.
	other := id()
	push("visit", other, map[string]any{"facility_id": f.sizo, "kind": "regular", "announced": false, "status": "draft",
		"started_at": "2026-11-21T09:00:00Z", "team": []string{f.m1, f.m2}})
	synced("the new visit on the list", `!!document.querySelector('#visit-list a[href="#/visit/`+other+`"]')`)
	if eval[bool](t, tab, kept) {
		t.Errorf("a visit of the member came and the facility list was kept; want it drawn anew")
	}
	stillTyped("the facility list", "#search", "Де")

	// A facility's page: an answer in one of its visits is not on it; another visit is.
	otherCell := id()
	push("location", otherCell, map[string]any{"visit_id": other, "kind": "cell", "label": "Камера 1 (демо)"})
	open("/facility/"+f.sizo, "#start-visit")
	push("observation", id(), map[string]any{"visit_id": other, "location_id": otherCell, "item": "persons_present", "value": 7})
	synced("the answer pulled", `inspecta.store.ofVisit('observation', `+js(other)+`).then(o => o.length === 1)`)
	if !eval[bool](t, tab, kept) {
		t.Errorf("a facility's page was drawn anew for a sync that brought nothing it shows; want it kept")
	}
	second := id()
	push("visit", second, map[string]any{"facility_id": f.sizo, "kind": "special", "announced": false, "status": "draft",
		"started_at": "2026-11-22T09:00:00Z", "team": []string{f.m1, f.m2}})
	synced("the second visit on the facility's page", `!!document.querySelector('a.card[href="#/visit/`+second+`"]')`)
	if eval[bool](t, tab, kept) {
		t.Errorf("a visit to the facility came and its page was kept; want it drawn anew")
	}

	// A visit's page: another visit's answer is not on it; a teammate's new place is.
	open("/visit/"+draft, "#location-list")
	typed("#loc-label", "Камера 9")
	push("observation", id(), map[string]any{"visit_id": other, "location_id": otherCell, "item": "cell_area_m2", "value": 8})
	synced("the answer pulled", `inspecta.store.ofVisit('observation', `+js(other)+`).then(o => o.length === 2)`)
	if !eval[bool](t, tab, kept) {
		t.Errorf("a visit's page was drawn anew for a sync that brought nothing it shows; want it kept")
	}
	stillTyped("a visit's page", "#loc-label", "Камера 9")
	place := id()
	push("location", place, map[string]any{"visit_id": draft, "kind": "yard", "label": "Прогулочный двор (демо)"})
	synced("the teammate's place on the visit's page", `!!document.querySelector('a.card[href="#/visit/`+draft+`/check/`+place+`"]')`)
	if eval[bool](t, tab, kept) {
		t.Errorf("a teammate's place came and the visit's page was kept; want it drawn anew")
	}
	stillTyped("a visit's page", "#loc-label", "Камера 9")
	// A teammate's answer changes what the page counts for a place.
	count := `document.querySelector('a.card[href="#/visit/` + draft + `/check/` + place + `"] .meta').textContent`
	before := eval[string](t, tab, count)
	eval[bool](t, tab, mark)
	push("observation", id(), map[string]any{"visit_id": draft, "location_id": place, "item": "persons_present", "value": 3})
	synced("the place's count changed", count+` !== `+js(before))
	if eval[bool](t, tab, kept) {
		t.Errorf("a teammate's answer came and the visit's page was kept; want it drawn anew")
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
