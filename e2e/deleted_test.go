package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestDeskRestoresDeletedPlace: the coordinator deletes a place holding the
// members' answers; the desk's "Deleted" screen lists it, in Russian, with
// who deleted it and what it holds, and restores it after a second
// confirmation on the page; the place and its answers are back on the visit.
func TestDeskRestoresDeletedPlace(t *testing.T) {
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
	if _, err := c1.Delete("location", f.loc); err != nil {
		t.Fatal(err)
	}
	if err := c1.Push(ctx); err != nil || len(c1.State.Rejected) > 0 {
		t.Fatalf("coordinator's delete: %v %+v", err, c1.State.Rejected)
	}

	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	viewport(t, tab, 1280, 800)
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "ru")
	waitFor(t, tab, "Russian", `document.documentElement.lang === 'ru'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "c1"), chromedp.SendKeys("#password", "password-c1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "signed in", `document.documentElement.dataset.view === 'home'`, 20*time.Second)
	do(t, tab, "the desk", chromedp.Navigate(srv.URL+"/#/desk"))
	waitFor(t, tab, "the Deleted tab", `[...document.querySelectorAll('nav.tabs a')].some((a) => a.textContent === 'Удалённые')`, 20*time.Second)
	click(t, tab, `nav.tabs a[href="#/desk/deleted"]`)
	sel := fmt.Sprintf(`#deleted-list li[data-deleted=%s]`, js(f.loc))
	waitFor(t, tab, "the deleted place listed", fmt.Sprintf(`(() => { const li = document.querySelector(%s);
		return !!li && li.textContent.includes('Камера 1') && li.textContent.includes('Гульнара Координатор') && li.textContent.includes('внутри ответов и заметок: 8'); })()`, js(sel)), 20*time.Second)
	click(t, tab, sel+" .d-restore")
	waitFor(t, tab, "asked once more", fmt.Sprintf(`!!document.querySelector(%s)`, js(sel+" .d-restore-confirm")), 5*time.Second)
	if n := eval[int](t, tab, `document.querySelectorAll('#deleted-list li').length`); n != 1 {
		t.Fatalf("%d deleted records listed before the confirmation; want 1", n)
	}
	click(t, tab, sel+" .d-restore-confirm")
	waitFor(t, tab, "restored", `!!document.querySelector('#deleted-empty') && document.querySelector('#desk-flash')?.textContent.startsWith('Восстановлено')`, 20*time.Second)
	var deleted bool
	if err := srv.DB().Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow("SELECT deleted FROM locations WHERE id = ?", f.loc).Scan(&deleted)
	}); err != nil {
		t.Fatal(err)
	}
	if deleted {
		t.Error("the place is still deleted after the restore")
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
