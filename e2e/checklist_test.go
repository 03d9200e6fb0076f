package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/store"
	"inspecta/xlsform/xlsformtest"
)

// Done when 1 (issue 17): an XLSForm written by hand (ru, kk, en labels,
// groups, selects, constraints, relevance) is uploaded on the desk, checked
// and previewed in each language, stored and activated; a monitor then fills
// a visit with it in the browser, and the server holds the answers typed as
// the checklist says.
func TestHandWrittenXLSFormFilledInTheBrowser(t *testing.T) {
	requireChromium(t)
	srv := newAppServer(t)
	srv.addUser("adm", "Администратор", "admin", "")
	srv.addUser("m1", "Айгуль Сейткали", "member", "KZ-KAR")
	srv.addUser("c1", "Координатор", "coordinator", "KZ-KAR")
	var fac struct {
		ID string `json:"id"`
	}
	srv.apiCall("POST", "/api/v1/facilities", srv.login("c1"), map[string]any{"name": "ИВС ДП г. Караганды", "type": "ivs", "region": "KZ-KAR"}, &fac)

	workbook, err := xlsformtest.HandWritten().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "police-cell-quick.xlsx")
	if err := os.WriteFile(path, workbook, 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	// The administrator's desk: check, preview in each language, store and activate.
	desk, closeDesk := b.tab(true)
	defer closeDesk()
	viewport(t, desk, 1280, 800)
	do(t, desk, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, desk, "#lang", "ru")
	do(t, desk, "admin signs in", chromedp.SendKeys("#username", "adm"), chromedp.SendKeys("#password", "password-adm"), chromedp.Click("#signin-submit"))
	waitFor(t, desk, "signed in", `document.documentElement.dataset.view === 'home'`, 20*time.Second)
	do(t, desk, "checklists screen", chromedp.Navigate(srv.URL+"/#/admin/checklists"))
	waitFor(t, desk, "versions listed", `!!document.querySelector('#cl-list li[data-ref="kz-npm-default@2"]')`, 20*time.Second)
	do(t, desk, "choose the workbook", chromedp.SetUploadFiles("#cl-file", []string{path}))
	click(t, desk, "#cl-check")
	waitFor(t, desk, "preview in Russian", `document.querySelector('#cl-preview h2')?.textContent.startsWith('Быстрая проверка ИВС')
		&& document.querySelector('#cl-preview li[data-item="area"]').textContent.includes('Площадь камеры')
		&& document.querySelector('#cl-preview li[data-item="registers_gap"]').textContent.includes('Журналы ведутся?')`, 20*time.Second)
	for lang, want := range map[string]string{"kk": "УҰИ жылдам тексеру", "en": "Police cell quick check"} {
		click(t, desk, "#cl-lang-"+lang)
		waitFor(t, desk, "preview in "+lang, fmt.Sprintf(`document.querySelector('#cl-preview h2')?.textContent.startsWith(%s)`, js(want)), 5*time.Second)
	}
	var stored int
	countStored := func() int {
		if err := srv.DB().Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow("SELECT count(*) FROM checklists WHERE id = 'police-cell-quick'").Scan(&stored)
		}); err != nil {
			t.Fatal(err)
		}
		return stored
	}
	if n := countStored(); n != 0 {
		t.Fatalf("the preview stored %d versions; want none", n)
	}
	click(t, desk, "#cl-store-activate")
	waitFor(t, desk, "stored and active", `!!document.querySelector('#cl-list li[data-ref="police-cell-quick@1"] .badge.good')`, 20*time.Second)
	screenshot(t, desk, "checklists-desk")

	// The monitor's phone: the new checklist is offered; the visit is filled with it.
	tab, closeTab := b.tab(true)
	defer closeTab()
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "ru")
	do(t, tab, "member signs in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "facility list", `document.querySelectorAll('#facility-list a.card').length === 1`, 20*time.Second)
	click(t, tab, "#facility-list a.card")
	click(t, tab, "#start-visit")
	waitFor(t, tab, "checklist offered", `!!document.querySelector('input[name="checklist"][value="police-cell-quick@1"]')`, 10*time.Second)
	eval[bool](t, tab, `(document.querySelector('input[name="checklist"][value="police-cell-quick@1"]').click(), true)`)
	click(t, tab, "#visit-save")
	waitFor(t, tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && !!document.querySelector('#add-location')`, 10*time.Second)
	visitID := eval[string](t, tab, `location.hash.slice('#/visit/'.length)`)

	// The visit's questions: a required integer, a yes/no that opens a text.
	do(t, tab, "visit questions", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/visit", srv.URL, visitID)))
	waitFor(t, tab, "general section", `!!document.querySelector('#in-people_held')`, 10*time.Second)
	waitFor(t, tab, "required marked, gap hidden", `document.querySelector('label[for="in-people_held"]').textContent.endsWith('*')
		&& document.querySelector('.item[data-item="registers_gap"]').hidden`, 5*time.Second)
	setValue(t, tab, "#in-people_held", "501")
	waitFor(t, tab, "range refused", `document.querySelector('#msg-people_held').textContent !== ''`, 5*time.Second)
	setValue(t, tab, "#in-people_held", "37")
	click(t, tab, `label[for="r-registers_kept-false"]`)
	waitFor(t, tab, "gap asked", `!document.querySelector('.item[data-item="registers_gap"]').hidden`, 5*time.Second)
	setValue(t, tab, "#in-registers_gap", "Нет журнала вывода на прогулку")

	// A cell: kind, area and persons give the space per person, red below 4 m².
	do(t, tab, "back to the visit", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s", srv.URL, visitID)))
	waitFor(t, tab, "visit hub", `!!document.querySelector('#loc-label')`, 10*time.Second)
	setValue(t, tab, "#loc-label", "Камера 1")
	click(t, tab, "#loc-add")
	waitFor(t, tab, "place added", `!!document.querySelector('#location-list a.card[data-label="Камера 1"]')`, 10*time.Second)
	cell := eval[string](t, tab, fmt.Sprintf(`inspecta.store.ofVisit('location', %s).then(ls => ls[0].id)`, js(visitID)))
	do(t, tab, "cell questions", chromedp.Navigate(fmt.Sprintf("%s/#/visit/%s/check/%s/cells", srv.URL, visitID, cell)))
	waitFor(t, tab, "cells section", `!!document.querySelector('#in-area')`, 10*time.Second)
	click(t, tab, `label[for="r-cell_kind-multiple"]`)
	setValue(t, tab, "#in-area", "6")
	setValue(t, tab, "#in-persons", "2")
	waitFor(t, tab, "space per person red", `document.querySelector('#ind-space_per_person')?.dataset.band === 'red'`, 5*time.Second)
	waitFor(t, tab, "date hidden until pests", `document.querySelector('.item[data-item="last_disinfection"]').hidden
		&& document.querySelector('.item[data-item="light_note"]').textContent.includes('Проверьте свет')`, 5*time.Second)
	click(t, tab, `label[for="mc-problems-pests"]`)
	click(t, tab, `label[for="mc-problems-damp"]`)
	waitFor(t, tab, "date asked", `!document.querySelector('.item[data-item="last_disinfection"]').hidden`, 5*time.Second)
	setValue(t, tab, "#in-last_disinfection", "2026-11-02")
	setValue(t, tab, "#in-lights_out", "22:00")
	screenshot(t, tab, "checklist-xlsform-cell")

	// Synced: the server holds every answer, typed as the checklist says.
	eval[bool](t, tab, `inspecta.syncer.sync().then(() => true)`)
	waitFor(t, tab, "outbox empty", `inspecta.store.outboxCount().then(n => n === 0)`, 30*time.Second)
	want := map[string]string{
		"people_held": `37`, "registers_kept": `false`, "registers_gap": `"Нет журнала вывода на прогулку"`,
		"cell_kind": `"multiple"`, "area": `6`, "persons": `2`, "problems": `["damp","pests"]`,
		"last_disinfection": `"2026-11-02"`, "lights_out": `"22:00"`,
	}
	got := map[string]string{}
	var checklist string
	err = srv.DB().Read(context.Background(), func(tx *store.Tx) error {
		if err := tx.QueryRow("SELECT checklist FROM visits WHERE id = ?", visitID).Scan(&checklist); err != nil {
			return err
		}
		rows, err := tx.Query("SELECT item, value FROM observations WHERE visit_id = ?", visitID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var item, value string
			if err := rows.Scan(&item, &value); err != nil {
				return err
			}
			got[item] = value
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if checklist != "police-cell-quick@1" {
		t.Fatalf("the visit is recorded with %q; want police-cell-quick@1", checklist)
	}
	for item, v := range want {
		var a, b any
		json.Unmarshal([]byte(got[item]), &a)
		json.Unmarshal([]byte(v), &b)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("server value of %s = %s; want %s", item, got[item], v)
		}
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Fatalf("page errors: %v", errs)
	}
}
