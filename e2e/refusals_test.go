package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
)

// TestDeskSaysRefusalsAndDateWarnings: on the coordinator's desk, in
// Kazakh, a visit whose end is before its start and one dated years ahead
// are kept as recorded but each review screen warns about its dates; a
// change the server refused is named by its field in Kazakh in the audit
// trail and the quarantine, with the server's English note only in the
// line's title (for support).
func TestDeskSaysRefusalsAndDateWarnings(t *testing.T) {
	requireChromium(t)
	f := newFixture(t)
	srv := f.srv
	token := srv.login("m1")
	dev := meDevice(srv, token)
	backwards, ahead := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	op := func(n int, id string, fields map[string]any) map[string]any {
		return map[string]any{"op_id": uuid.Must(uuid.NewV7()).String(), "type": "visit", "id": id, "action": "upsert",
			"hlc": fmt.Sprintf("2026-11-26T09:00:00.000Z/%04d/%s", n, dev), "fields": fields}
	}
	var push struct {
		Results []struct{ Status string } `json:"results"`
	}
	srv.apiCall("POST", "/api/v1/sync/push", token, map[string]any{"device_id": dev, "ops": []any{
		op(1, backwards, map[string]any{"facility_id": f.ivs, "kind": "regular", "status": "draft",
			"started_at": "2026-11-26T13:00:00Z", "ended_at": "2026-11-26T09:00:00Z"}),
		op(2, ahead, map[string]any{"facility_id": f.ivs, "kind": "regular", "status": "draft", "started_at": "2039-01-01T09:00:00Z"}),
		op(3, backwards, map[string]any{"team_size": 99}), // refused: 1 to 50
	}}, &push)
	if len(push.Results) != 3 || push.Results[0].Status != "applied" || push.Results[1].Status != "applied" || push.Results[2].Status != "rejected" {
		t.Fatalf("push = %+v; want two visits kept as recorded and the team size refused", push.Results)
	}

	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "kk")
	waitFor(t, tab, "Kazakh", `document.documentElement.lang === 'kk'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "c1"), chromedp.SendKeys("#password", "password-c1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "signed in", `document.documentElement.dataset.view === 'home' && !!document.querySelector('#desk-link')`, 20*time.Second)

	// The list of visits marks both.
	click(t, tab, "#desk-link")
	waitFor(t, tab, "visits to review", fmt.Sprintf(`!!document.querySelector('#desk-visits a.card[data-visit=%s]')`, js(ahead)), 15*time.Second)
	marked := eval[string](t, tab, `[...document.querySelectorAll('#desk-visits a.card')].filter(a => a.querySelector('[data-date-warning]')).map(a => a.dataset.visit).sort().join(' ')`)
	want := []string{backwards, ahead}
	sort.Strings(want)
	if marked != strings.Join(want, " ") {
		t.Errorf("visits marked in the list = %q; want %q", marked, strings.Join(want, " "))
	}
	if got := eval[string](t, tab, `document.querySelector('#desk-visits [data-date-warning]').textContent`); got != "күндерді тексеріңіз" {
		t.Errorf("the list's mark = %q; want it in Kazakh", got)
	}

	warnings := func(visit string) string {
		t.Helper()
		do(t, tab, "open the visit", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s", srv.URL, visit)))
		waitFor(t, tab, "the visit's review", fmt.Sprintf(`document.querySelector('.desk-visit')?.dataset.visit === %s`, js(visit)), 15*time.Second)
		return eval[string](t, tab, `[...document.querySelectorAll('#visit-date-warnings li')].map(li => li.dataset.warning + ': ' + li.textContent).join(' | ')`)
	}
	if got := warnings(backwards); !strings.HasPrefix(got, "date_warn_end_before_start: Аяқталуы (") || strings.Contains(got, "|") {
		t.Errorf("warnings of the visit ending before it starts = %q; want the end before the start, in Kazakh", got)
	}
	if got := eval[string](t, tab, `document.querySelector('#visit-date-warnings .lead')?.textContent || ''`); got != "Осы барудың күндерін тексеріңіз: телефон сағаты қате болуы мүмкін." {
		t.Errorf("warning's title = %q; want the Kazakh one", got)
	}
	if got := warnings(ahead); !strings.HasPrefix(got, "date_warn_future: Басталуы: 01.01.2039") {
		t.Errorf("warnings of the visit dated 2039 = %q; want its start in the future, in Kazakh", got)
	}

	// The refused team size: in the audit trail and the quarantine, named in Kazakh.
	// It was logged with its code (migration 0013), so it reads as that code's words, the field named.
	const refused = "Кірген ҰАТ қатысушылары: сервер бұл мәнді қабылдамады."
	do(t, tab, "audit trail", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s/audit", srv.URL, backwards)))
	waitFor(t, tab, "the refused change", `!!document.querySelector('#audit-list .audit-entry[data-status="rejected"] p.error')`, 15*time.Second)
	text := eval[string](t, tab, `document.querySelector('#audit-list .audit-entry[data-status="rejected"] p.error').textContent`)
	title := eval[string](t, tab, `document.querySelector('#audit-list .audit-entry[data-status="rejected"] p.error').title`)
	code := eval[string](t, tab, `document.querySelector('#audit-list .audit-entry[data-status="rejected"] p.error').dataset.code`)
	if !strings.HasPrefix(text, refused) || !strings.Contains(title, "team_size") || code != "invalid" {
		t.Errorf("refused change in the audit trail = %q (title %q, code %q); want %q…, the server's note in the title, code invalid", text, title, code, refused)
	}
	do(t, tab, "quarantine", chromedp.Navigate(srv.URL+"/#/desk/quarantine"))
	waitFor(t, tab, "quarantined change", `document.querySelectorAll('#quarantine-list li').length === 1`, 15*time.Second)
	head := eval[string](t, tab, `document.querySelector('#quarantine-list li strong').textContent`)
	why := eval[string](t, tab, `document.querySelector('#quarantine-list li .why').textContent`)
	if !strings.HasSuffix(head, "— Кірген ҰАТ қатысушылары") || why != "Сервер қабылдамады. Сервердің қолдау қызметіне арналған түсініктемесі осы жолды меңзегенде көрінеді." {
		t.Errorf("quarantined change = %q / %q; want the field and the refusal in Kazakh", head, why)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
