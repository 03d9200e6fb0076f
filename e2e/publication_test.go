package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/schema"
	isync "inspecta/sync"
)

// TestDeskPublicationCheck: before approving, the coordinator sees on the
// publication check a recommendation that names a detainee, marked and
// withheld until cleared (then withholds it all the same), and the
// facility's own details that look like a name (every report prints those
// as they are), each with what was matched, in Russian; clears a member's
// note for publication; and clears on the facility's page a recommendation
// made at no visit.
func TestDeskPublicationCheck(t *testing.T) {
	requireChromium(t)
	f := newDeskFixture(t)
	srv := f.srv
	ctx := context.Background()
	c1, err := isync.Login(ctx, nil, srv.URL, "c1", "password-c1", "e2e: coordinator's laptop")
	if err != nil {
		t.Fatal(err)
	}
	if err := c1.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	rec, ownRec := newID(), newID()
	for _, u := range []struct {
		typ    schema.RecordType
		id     string
		fields map[string]any
	}{
		{"facility", f.facility, map[string]any{"address": "Караганда, ул. Ерубаева 37 (начальник ИВАНОВ Иван Иванович, демо)"}},
		{"recommendation", rec, map[string]any{"facility_id": f.facility, "visit_id": f.visit, "status": "open",
			"text": "Перевести задержанного САПАРОВА Ж. (демо) в камеру с окном"}},
		// The coordinator's own, made at no visit: on the facility's check.
		{"recommendation", ownRec, map[string]any{"facility_id": f.facility, "status": "open",
			"text": "Перевести задержанного ТОКАЕВА Б. (демо) в больницу"}},
	} {
		if _, err := c1.Upsert(u.typ, u.id, u.fields); err != nil {
			t.Fatalf("upsert %s: %v", u.typ, err)
		}
	}
	if err := c1.Push(ctx); err != nil || len(c1.State.Rejected) > 0 {
		t.Fatalf("coordinator's push: %v %+v", err, c1.State.Rejected)
	}

	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	viewport(t, tab, 1280, 800)
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "ru")
	waitFor(t, tab, "Russian", `document.documentElement.lang === 'ru' && document.querySelector('#signin-submit').textContent === 'Войти'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "c1"), chromedp.SendKeys("#password", "password-c1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "signed in", `document.documentElement.dataset.view === 'home'`, 20*time.Second)
	do(t, tab, "the visit at the desk", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s", srv.URL, f.visit)))

	// The facility's address: shown with what looks like a name, not withheld.
	waitFor(t, tab, "facility address flagged", `(() => { const li = document.querySelector('#pub-facility li[data-field="address"]');
		return !!li && li.querySelector('mark').textContent.includes('ИВАНОВ') && li.textContent.includes('похоже на имя человека')
			&& li.textContent.startsWith('Адрес'); })()`, 20*time.Second)
	if n := eval[int](t, tab, `document.querySelectorAll('#pub-facility li[data-field]').length`); n != 1 {
		t.Errorf("%d facility details flagged; want 1 (the address)", n)
	}
	// The recommendation: flagged, withheld, then cleared by the coordinator.
	sel := fmt.Sprintf(`#pub-texts li[data-record=%s][data-field="text"]`, js(rec))
	waitFor(t, tab, "recommendation flagged and withheld", fmt.Sprintf(`(() => { const li = document.querySelector(%s);
		return !!li && li.classList.contains('flagged') && li.querySelector('mark').textContent.includes('САПАРОВА') && !!li.querySelector('.pub-clear'); })()`, js(sel)), 10*time.Second)
	click(t, tab, sel+" .pub-clear")
	waitFor(t, tab, "recommendation cleared", fmt.Sprintf(`document.querySelector(%s)?.classList.contains('cleared')`, js(sel)), 10*time.Second)
	// Withheld although cleared: not printed, with the way back.
	click(t, tab, sel+" .pub-withhold")
	waitFor(t, tab, "recommendation withheld", fmt.Sprintf(`(() => { const li = document.querySelector(%s);
		return !!li && li.classList.contains('withheld') && !!li.querySelector('.pub-release') && li.textContent.includes('удержано координатором'); })()`, js(sel)), 10*time.Second)
	// A member's note: not printed until cleared for publication here.
	note := fmt.Sprintf(`li[data-record=%s][data-field="note"]`, js(f.m1Area))
	do(t, tab, "open the notes not printed", chromedp.Click("#pub-unpublished summary"))
	click(t, tab, "#pub-unpublished "+note+" .pub-publish")
	waitFor(t, tab, "note among the printed texts", fmt.Sprintf(`(() => { const li = document.querySelector('#pub-texts ' + %s);
		return !!li && li.textContent.includes('Рулетка') && !document.querySelector('#pub-unpublished ' + %s); })()`, js(note), js(note)), 10*time.Second)

	// The recommendation made at no visit, on the facility's own check.
	do(t, tab, "the facility at the desk", chromedp.Navigate(fmt.Sprintf("%s/#/desk/facility/%s", srv.URL, f.facility)))
	own := fmt.Sprintf(`#facility-publication-check li[data-record=%s][data-field="text"]`, js(ownRec))
	waitFor(t, tab, "own recommendation flagged", fmt.Sprintf(`(() => { const li = document.querySelector(%s);
		return !!li && !li.closest('section').hidden && li.classList.contains('flagged'); })()`, js(own)), 20*time.Second)
	click(t, tab, own+" .pub-clear")
	waitFor(t, tab, "own recommendation cleared", fmt.Sprintf(`document.querySelector(%s)?.classList.contains('cleared')`, js(own)), 10*time.Second)
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
