package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/store"
)

// TestPhoneStorageFull: a visit started without answering whether it was
// announced sends no answer for it. When the phone's storage is full, an answer the
// monitor types is not stored, and the app says so beside the question in
// the monitor's language, the question still counts as unanswered, nothing
// of it is kept half-stored, and a place added then is refused with the same
// message; once there is room again, the same answer typed again is stored
// and sent once.
func TestPhoneStorageFull(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()

	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "ru")
	waitFor(t, tab, "Russian sign-in screen", `document.documentElement.lang === 'ru' && document.querySelector('#signin-submit').textContent === 'Войти'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "facility list", `document.querySelectorAll('#facility-list a.card').length === 2`, 20*time.Second)
	click(t, tab, `#facility-list a.card[data-name^="ИВС"]`)
	click(t, tab, "#start-visit")
	waitFor(t, tab, "visit form", `!!document.querySelector('#visit-save')`, 10*time.Second)
	click(t, tab, "#visit-save")
	waitFor(t, tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && !!document.querySelector('#add-location')`, 10*time.Second)
	visitID := eval[string](t, tab, `location.hash.slice('#/visit/'.length)`)
	setValue(t, tab, "#loc-label", "Камера 1 (демо)")
	click(t, tab, "#loc-add")
	waitFor(t, tab, "place added", `!!document.querySelector('#location-list a.card[data-label="Камера 1 (демо)"]')`, 10*time.Second)
	cell := eval[string](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('location', %s).then(ls => ls[0].id)`, js(visitID)))
	waitFor(t, tab, "all sent", `inspecta.store.outboxCount().then(n => n === 0)`, 30*time.Second)
	// The visit form asked whether the visit was announced and whether the
	// Ombudsperson's representative came; nobody answered, so nothing was sent
	// for either (a report prints "not recorded", not a "No" nobody gave).
	var versions string
	if err := srv.DB().Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT versions FROM record_index WHERE type = 'visit' AND id = ?`, visitID).Scan(&versions)
	}); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"announced", "ombudsperson_rep_present"} {
		if strings.Contains(versions, `"`+field+`"`) {
			t.Errorf("the visit's %s was written though nobody answered it (versions %s)", field, versions)
		}
	}

	// The phone is full. Chromium's own quota override (DevTools'
	// Storage.overrideQuotaForOrigin) shows as active but does not reach
	// IndexedDB's checks in headless Chromium (tried: a 1-byte quota still
	// stored the answer), so the fault is made where the app meets
	// IndexedDB: queuing an operation fails as a full disk fails it, with
	// QuotaExceededError, after the record's own write has been asked for.
	// That order is the hard case: the record must not be stored without its
	// operation, or the answer would show on the phone and never be sent.
	full := func(on bool) {
		t.Helper()
		eval[bool](t, tab, fmt.Sprintf(`(() => {
			if (!window.__realAdd) {
				window.__realAdd = IDBObjectStore.prototype.add;
				IDBObjectStore.prototype.add = function (...args) {
					if (window.__full && this.name === 'outbox') throw new DOMException('The quota has been exceeded (test: a full phone).', 'QuotaExceededError');
					return window.__realAdd.apply(this, args);
				};
			}
			window.__full = %v;
			return true;
		})()`, on))
	}
	full(true)

	// An answer typed now is not stored, and the monitor is told, in Russian.
	do(t, tab, "open the cell", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/space", srv.URL, visitID, cell)))
	waitFor(t, tab, "space section", `!!document.querySelector('#in-cell_area_m2')`, 10*time.Second)
	leftBefore := eval[string](t, tab, `document.querySelector('#section-left').textContent`)
	setValue(t, tab, "#in-cell_area_m2", "11,5")
	waitFor(t, tab, "not-saved message in Russian", `/НЕ сохранено: память телефона заполнена/.test(document.querySelector('#msg-cell_area_m2').textContent)
		&& document.querySelector('.item[data-item="cell_area_m2"]').classList.contains('unsaved')`, 15*time.Second)
	waitFor(t, tab, "the question still counts as unanswered", fmt.Sprintf(`document.querySelector('#section-left').textContent === %s`, js(leftBefore)), 5*time.Second)
	if n := eval[int](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('observation', %s).then(l => l.length)`, js(visitID))); n != 0 {
		t.Fatalf("%d observations on the phone after a failed save; want 0", n)
	}
	if n := eval[int](t, tab, `inspecta.store.outboxCount()`); n != 0 {
		t.Fatalf("%d operations queued after a failed save; want 0", n)
	}

	// A place added while full is refused on its form, which keeps what was typed.
	do(t, tab, "back to the visit", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	waitFor(t, tab, "visit hub", `!!document.querySelector('#loc-label')`, 10*time.Second)
	setValue(t, tab, "#loc-label", "Камера 2 (демо)")
	click(t, tab, "#loc-add")
	waitFor(t, tab, "place refused with the message", `/НЕ сохранено: память телефона заполнена/.test(document.querySelector('#add-location').textContent)
		&& document.querySelector('#loc-label').value === 'Камера 2 (демо)'`, 15*time.Second)

	// Room again: the same answer typed again is stored, the message goes, and it is sent once.
	full(false)
	do(t, tab, "open the cell again", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/space", srv.URL, visitID, cell)))
	waitFor(t, tab, "space section", `!!document.querySelector('#in-cell_area_m2')`, 10*time.Second)
	setValue(t, tab, "#in-cell_area_m2", "11,5")
	waitFor(t, tab, "stored on the phone", fmt.Sprintf(`inspecta.store.ofVisit('observation', %s).then(l => l.length === 1 && l[0].fields.value === 11.5)`, js(visitID)), 15*time.Second)
	if msg := eval[string](t, tab, `document.querySelector('#msg-cell_area_m2').textContent`); msg != "" {
		t.Errorf("message after a good save: %q; want none", msg)
	}
	waitFor(t, tab, "sent", `inspecta.store.outboxCount().then(n => n === 0)`, 30*time.Second)
	if got := observationValue(t, srv, visitID, cell, "cell_area_m2"); got != "11.5" {
		t.Errorf("server holds cell_area_m2 = %s; want 11.5", got)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
