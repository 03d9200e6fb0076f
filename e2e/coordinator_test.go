package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"inspecta/schema"
	isync "inspecta/sync"
)

// xssNote is what a member typed as a note: it must reach the coordinator's
// screen as these very characters and never run.
const xssNote = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

// deskFixture is a region with two members who recorded the same cell of one
// submitted visit differently (11.5 m² and 14 m²), a coordinator, an admin.
type deskFixture struct {
	srv                  *appServer
	m1, m2, c1, adm      string // user ids
	facility, visit, loc string
	m1Area, m2Area       string // the two cell_area_m2 observations
	m1Dev, m2Dev         *isync.Client
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func newDeskFixture(t *testing.T) *deskFixture {
	t.Helper()
	s := newAppServer(t)
	f := &deskFixture{srv: s}
	f.m1 = s.addUser("m1", "Айгуль Сейткали", "member", "KZ-KAR")
	f.m2 = s.addUser("m2", "Пётр Иванов", "member", "KZ-KAR")
	f.c1 = s.addUser("c1", "Гульнара Координатор", "coordinator", "KZ-KAR")
	f.adm = s.addUser("adm", "Администратор", "admin", "")
	var fac struct {
		ID string `json:"id"`
	}
	s.apiCall("POST", "/api/v1/facilities", s.login("c1"), map[string]any{"name": "ИВС ДП г. Караганды", "type": "ivs", "region": "KZ-KAR",
		"authority": "МВД", "address": "Караганда, ул. Ерубаева 37", "capacity": 40}, &fac)
	f.facility = fac.ID

	ctx := context.Background()
	var err error
	if f.m1Dev, err = isync.Login(ctx, nil, s.URL, "m1", "password-m1", "e2e: Айгуль's phone"); err != nil {
		t.Fatal(err)
	}
	if f.m2Dev, err = isync.Login(ctx, nil, s.URL, "m2", "password-m2", "e2e: Пётр's phone"); err != nil {
		t.Fatal(err)
	}
	f.visit, f.loc, f.m1Area, f.m2Area = newID(), newID(), newID(), newID()
	upsert := func(c *isync.Client, typ schema.RecordType, id string, fields map[string]any) {
		t.Helper()
		if _, err := c.Upsert(typ, id, fields); err != nil {
			t.Fatalf("upsert %s: %v", typ, err)
		}
	}
	upsert(f.m1Dev, "visit", f.visit, map[string]any{"facility_id": f.facility, "kind": "regular", "announced": false,
		"started_at": "2026-11-26T09:30:00Z", "team": []string{f.m1, f.m2}, "ombudsperson_rep_present": true,
		"access_refused": false, "status": "draft", "checklist": "kz-npm-default@2"})
	upsert(f.m1Dev, "location", f.loc, map[string]any{"visit_id": f.visit, "kind": "cell", "label": "Камера 1"})
	obs := func(c *isync.Client, id, item string, value any, note string) {
		fields := map[string]any{"visit_id": f.visit, "location_id": f.loc, "item": item, "value": value}
		if note != "" {
			fields["note"] = note
		}
		upsert(c, "observation", id, fields)
	}
	obs(f.m1Dev, newID(), "location_type", "multiple", "")
	obs(f.m1Dev, f.m1Area, "cell_area_m2", 11.5, "Рулетка, без санузла")
	obs(f.m1Dev, newID(), "persons_present", 4, "")
	obs(f.m1Dev, newID(), "air_temperature_c", 14, "")
	upsert(f.m1Dev, "observation", newID(), map[string]any{"visit_id": f.visit, "item": "official_capacity", "value": 40})
	upsert(f.m1Dev, "observation", newID(), map[string]any{"visit_id": f.visit, "item": "headcount", "value": 52})
	rec := newID()
	upsert(f.m1Dev, "recommendation", rec, map[string]any{"facility_id": f.facility, "visit_id": f.visit, "status": "open",
		"text": "Снизить наполняемость камеры 1 до нормы 4 м² на человека", "category": "Жилая площадь", "addressee": "ДП Карагандинской области"})
	if err := f.m1Dev.Push(ctx); err != nil {
		t.Fatal(err)
	}
	// A recommendation's status is the coordinator's to record.
	c1Dev, err := isync.Login(ctx, nil, s.URL, "c1", "password-c1", "e2e: coordinator's laptop")
	if err != nil {
		t.Fatal(err)
	}
	if err := c1Dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	upsert(c1Dev, "recommendation", rec, map[string]any{"status": "in_progress", "checked_visit_id": f.visit})
	if err := c1Dev.Push(ctx); err != nil || len(c1Dev.State.Rejected) > 0 {
		t.Fatalf("status by the coordinator: %v %+v", err, c1Dev.State.Rejected)
	}
	obs(f.m2Dev, newID(), "location_type", "multiple", "")
	obs(f.m2Dev, f.m2Area, "cell_area_m2", 14, xssNote)
	obs(f.m2Dev, newID(), "persons_present", 4, "")
	obs(f.m2Dev, newID(), "air_temperature_c", 14.5, "")
	if err := f.m2Dev.Push(ctx); err != nil {
		t.Fatal(err)
	}
	upsert(f.m1Dev, "visit", f.visit, map[string]any{"status": "submitted", "ended_at": "2026-11-26T13:00:00Z"})
	if err := f.m1Dev.Push(ctx); err != nil {
		t.Fatal(err)
	}
	// A sync conflict: both members change the visit's kind from the same
	// version; the later clock (m2's) wins, m1's value is set aside.
	if err := f.m2Dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	upsert(f.m1Dev, "visit", f.visit, map[string]any{"kind": "special"})
	time.Sleep(5 * time.Millisecond)
	upsert(f.m2Dev, "visit", f.visit, map[string]any{"kind": "follow_up"})
	for _, c := range []*isync.Client{f.m1Dev, f.m2Dev} {
		if err := c.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*isync.Client{f.m1Dev, f.m2Dev} {
		if len(c.State.Rejected) > 0 || len(c.State.Outbox) > 0 {
			t.Fatalf("setup push: rejected %+v, outbox %d", c.State.Rejected, len(c.State.Outbox))
		}
	}
	return f
}

// cspWatch collects Content-Security-Policy violations seen in a tab: the
// page's own securitypolicyviolation events (recorded by a script the
// browser runs before the app's) and the browser's log.
type cspWatch struct {
	mu   sync.Mutex
	logs []string
}

func watchCSP(t *testing.T, ctx context.Context) *cspWatch {
	t.Helper()
	w := &cspWatch{}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));`}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && e.Entry != nil && strings.Contains(e.Entry.Text, "Content Security Policy") {
			w.mu.Lock()
			w.logs = append(w.logs, e.Entry.Text)
			w.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *cspWatch) browserLog() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.logs...)
}

// viewport switches the tab between the laptop and the phone.
func viewport(t *testing.T, ctx context.Context, width, height int64) {
	t.Helper()
	scale := 1.0
	if width < 600 {
		scale = 2
	}
	do(t, ctx, fmt.Sprintf("viewport %dx%d", width, height), chromedp.EmulateViewport(width, height, chromedp.EmulateScale(scale)))
	eval[bool](t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
}

// shots captures a screen at 1280×800 and at 360×740, scrolled to selector
// (or the top), and leaves the tab at 1280×800.
func shots(t *testing.T, ctx context.Context, name, selector string) {
	t.Helper()
	for _, size := range [][2]int64{{360, 740}, {1280, 800}} {
		viewport(t, ctx, size[0], size[1])
		if selector == "" {
			eval[bool](t, ctx, `(scrollTo(0, 0), true)`)
		} else {
			eval[bool](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (el) el.scrollIntoView({block: 'start'}); else scrollTo(0, 0); return true; })()`, js(selector)))
		}
		screenshot(t, ctx, fmt.Sprintf("%s-%d", name, size[0]))
	}
}

// TestCoordinatorDesk walks issue 5's first criteria through the browser: the
// coordinator sees two members' values side by side and the item in the
// queue; approval is refused with the open item named; picking 11.5 with a
// reason empties the queue; approval then works; the facility page shows the
// space per person from 11.5; the audit trail shows both values and the
// decision; the PDF and CSV buttons download real files. Along the way a
// member's note with markup shows as text, and the CSP header is sent and
// never violated by the app itself.
func TestCoordinatorDesk(t *testing.T) {
	requireChromium(t)
	f := newDeskFixture(t)
	srv := f.srv
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	csp := watchCSP(t, tab)
	viewport(t, tab, 1280, 800)

	// The page response carries a strict CSP.
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	policy := fmt.Sprint(resp.Headers["Content-Security-Policy"])
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("Content-Security-Policy = %q; want it to contain %q", policy, want)
		}
	}
	if strings.Contains(policy, "unsafe-inline") || strings.Contains(policy, "unsafe-eval") || strings.Contains(policy, "http") {
		t.Errorf("Content-Security-Policy = %q allows inline code or another origin", policy)
	}

	// 1. The coordinator signs in (in Russian) and opens the desk.
	do(t, tab, "sign-in screen", chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "ru")
	waitFor(t, tab, "Russian", `document.documentElement.lang === 'ru'`, 5*time.Second)
	do(t, tab, "sign in", chromedp.SendKeys("#username", "c1"), chromedp.SendKeys("#password", "password-c1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "signed in", `document.documentElement.dataset.view === 'home' && document.querySelector('#desk-link')?.textContent === 'Проверка'`, 20*time.Second)
	click(t, tab, "#desk-link")
	waitFor(t, tab, "visit to review", fmt.Sprintf(`!!document.querySelector('#desk-visits a.card[data-visit=%s][data-status=submitted]')`, js(f.visit)), 10*time.Second)
	shots(t, tab, "coord-01-review", "")
	if eval[bool](t, tab, `!!document.querySelector('#annual-reports')`) {
		t.Error("a coordinator is offered the annual report, which spans regions")
	}
	click(t, tab, `#region-reports button[data-report="pdf-kk"]`)
	// The region holds a visit not yet approved: the export asks first, and is marked provisional.
	waitFor(t, tab, "export of an unapproved visit asks first", `!!document.querySelector('#region-reports .report-confirm-yes')`, 30*time.Second)
	click(t, tab, `#region-reports .report-confirm-yes`)
	waitFor(t, tab, "regional summary downloaded", `document.querySelector('#region-reports .report-status')?.dataset.type === 'application/pdf'`, 30*time.Second)

	// 2. The visit: both values side by side, the note as text, the item in the queue.
	click(t, tab, fmt.Sprintf(`#desk-visits a.card[data-visit=%s]`, js(f.visit)))
	waitFor(t, tab, "cell area in the queue", `!!document.querySelector('#queue .queue-entry[data-item="cell_area_m2"]')`, 10*time.Second)
	sideBySide := eval[string](t, tab, `(() => { const s = document.querySelector('.scope[data-location]:not([data-location=""]) tr[data-item="cell_area_m2"]');
		return s ? [...s.children].map(c => c.textContent).join(' | ') : ''; })()`)
	if !strings.Contains(sideBySide, "11,5 м²") || !strings.Contains(sideBySide, "14 м²") || !strings.Contains(sideBySide, "требует решения") {
		t.Errorf("cell area row side by side = %q; want 11,5 м² and 14 м² and «требует решения»", sideBySide)
	}
	if got := eval[string](t, tab, `[...document.querySelectorAll('#side-by-side thead th')].map(th => th.textContent).join('|')`); !strings.Contains(got, "Айгуль Сейткали|Пётр Иванов") {
		t.Errorf("side-by-side columns = %q; want both members", got)
	}
	if got := eval[string](t, tab, `[...document.querySelectorAll('#queue .queue-entry')].map(e => e.dataset.kind + ':' + e.dataset.item).join(' ')`); got != "disagreement:cell_area_m2 conflict:" {
		t.Errorf("queue = %q; want the cell area and the sync conflict only (the temperatures 14 and 14.5 are within the 1 °C tolerance)", got)
	}
	if got := eval[string](t, tab, `document.querySelector('#queue .queue-entry[data-kind="conflict"]').textContent`); !strings.Contains(got, "Вид посещения") || !strings.Contains(got, "Повторное") || !strings.Contains(got, "Специальное") {
		t.Errorf("conflict entry = %q; want the field and both values", got)
	}
	if got := eval[string](t, tab, `document.querySelector('.scope:not([data-location=""]) tr[data-item="air_temperature_c"] td.cons')?.textContent || ''`); !strings.Contains(got, "участники согласны") {
		t.Errorf("temperature consolidated cell = %q; want the members to agree", got)
	}
	// The note: every character shown, nothing run, no element made from it.
	waitFor(t, tab, "note shown as text", fmt.Sprintf(`[...document.querySelectorAll('#side-by-side .note, #queue .note')].some(n => n.textContent.includes(%s))`, js(xssNote)), 5*time.Second)
	if got := eval[string](t, tab, `String(window.__xss) + ' ' + document.querySelectorAll('main script, main img').length`); got != "undefined 0" {
		t.Errorf("window.__xss and injected elements = %q; want \"undefined 0\"", got)
	}
	shots(t, tab, "coord-02-visit", "#queue-section")
	eval[bool](t, tab, `(document.querySelector('.scope:not([data-location=""]) tr[data-item="cell_area_m2"]').scrollIntoView({block: 'center'}), true)`)
	screenshot(t, tab, "coord-03-side-by-side-1280")
	viewport(t, tab, 360, 740)
	eval[bool](t, tab, `(document.querySelector('.scope:not([data-location=""]) tr[data-item="cell_area_m2"]').scrollIntoView({block: 'start'}), true)`)
	screenshot(t, tab, "coord-03-side-by-side-360")
	viewport(t, tab, 1280, 800)

	// 3. Approval is refused while the item is open, and the item is named.
	click(t, tab, "#approve")
	waitFor(t, tab, "approval refused", `document.querySelector('#approve-refused')?.textContent.includes('нерешённых вопросов — 2')`, 10*time.Second)
	if got := eval[string](t, tab, `document.querySelector('#approve-open-items').textContent`); !strings.Contains(got, "Камера 1") || !strings.Contains(got, "Площадь пола") || !strings.Contains(got, "11,5 м² / 14 м²") || !strings.Contains(got, "Вид посещения: конфликт синхронизации") {
		t.Errorf("open items listed = %q; want Камера 1, the item and both values, and the conflict", got)
	}
	shots(t, tab, "coord-04-approve-refused", "#decision")

	// 4. The conflict: keep the value set aside (m1's "special"), with a reason.
	setValue(t, tab, `#queue .queue-entry[data-kind="conflict"] input.reason`, "Посещение было внеплановым (по жалобе)")
	click(t, tab, `#queue .queue-entry[data-kind="conflict"] button.pick[data-keep="loser"]`)
	waitFor(t, tab, "conflict resolved", `!document.querySelector('#queue .queue-entry[data-kind="conflict"]') && document.querySelector('#queue-count').textContent === '1'`, 10*time.Second)
	// The facts are drawn again after the queue (a second request): waited for, not read at once.
	waitFor(t, tab, "visit facts after keeping m1's kind", `document.querySelector('.facts')?.textContent.includes('Специальное')`, 10*time.Second)

	// Picking a value needs a reason; then 11.5 with a reason empties the queue.
	pick := fmt.Sprintf(`#queue .queue-entry[data-item="cell_area_m2"] button.pick[data-observation=%s]`, js(f.m1Area))
	click(t, tab, pick)
	waitFor(t, tab, "reason asked for", `document.querySelector('#queue .queue-entry .error').textContent === 'Сначала впишите краткую причину.'`, 5*time.Second)
	setValue(t, tab, "#queue .queue-entry[data-item=\"cell_area_m2\"] input.reason", "Перемерено по плану помещения: 11,5 м²")
	click(t, tab, pick)
	waitFor(t, tab, "queue empty", `!!document.querySelector('#queue-empty') && document.querySelector('#queue-count').textContent === '0'`, 10*time.Second)
	if got := eval[string](t, tab, `document.querySelector('.scope:not([data-location=""]) tr[data-item="cell_area_m2"] td.cons').textContent`); !strings.Contains(got, "11,5 м²") || !strings.Contains(got, "Гульнара Координатор") || !strings.Contains(got, "Перемерено") {
		t.Errorf("consolidated cell area = %q; want 11,5 м², decided by the coordinator, with the reason", got)
	}
	if got := eval[string](t, tab, `document.querySelector('#desk-flash')?.textContent || ''`); !strings.Contains(got, "11,5 м²") {
		t.Errorf("confirmation = %q; want the value saved", got)
	}
	shots(t, tab, "coord-05-decided", "")

	// 5. A phone syncs a new label while the publication check is on screen:
	// the approval is refused, and the list as it is now is shown, with why.
	if _, err := f.m1Dev.Upsert("location", newID(), map[string]any{"visit_id": f.visit, "kind": "cell", "label": "Камера 9 (демо)"}); err != nil {
		t.Fatal(err)
	}
	if err := f.m1Dev.Push(context.Background()); err != nil || len(f.m1Dev.State.Rejected) > 0 {
		t.Fatalf("a new label synced: %v %+v", err, f.m1Dev.State.Rejected)
	}
	click(t, tab, "#approve")
	waitFor(t, tab, "approval refused: the list changed", `(document.querySelector('#approve-stale')?.textContent || '').includes('Посещение не утверждено')
		&& (document.querySelector('#pub-texts')?.textContent || '').includes('Камера 9 (демо)')`, 10*time.Second)

	// Approval now works, and is in the status history.
	click(t, tab, "#approve")
	waitFor(t, tab, "approved", `!!document.querySelector('#approved-note') && document.querySelector('.facts [data-status]').dataset.status === 'approved'`, 10*time.Second)
	waitFor(t, tab, "status history", `document.querySelector('#status-history-list')?.textContent.includes('утверждено')`, 5*time.Second)
	// Approved, the check stays, to withhold a text only (clearing waits for a reopening).
	waitFor(t, tab, "approved visit's check offers withholding only", `(() => { const box = document.querySelector('#publication-check');
		return !!box && !!box.querySelector('#pub-texts .pub-withhold') && !box.querySelector('.pub-clear, .pub-release, .pub-publish')
			&& box.textContent.includes('Посещение утверждено: его отчёты печатают'); })()`, 10*time.Second)

	// After approval a member's change is refused and kept in quarantine.
	if _, err := f.m2Dev.Upsert("observation", f.m2Area, map[string]any{"value": 13.0}); err != nil {
		t.Fatal(err)
	}
	if err := f.m2Dev.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(f.m2Dev.State.Rejected) != 1 {
		t.Fatalf("change after approval: %d rejected; want 1", len(f.m2Dev.State.Rejected))
	}
	shots(t, tab, "coord-06-approved", "#decision")

	// 6. The facility page: 11.5's space per person (11.5 / 4 = 2.875), bands in words.
	click(t, tab, "#facility-link")
	waitFor(t, tab, "facility history", `!!document.querySelector('#fac-history td[data-indicator="space_per_person"]')`, 10*time.Second)
	if got := eval[string](t, tab, `document.querySelector('#fac-history td[data-indicator="space_per_person"]').textContent`); !strings.Contains(got, "2,88") || !strings.Contains(got, "ниже минимума ЕКПП") {
		t.Errorf("space per person on the facility page = %q; want 2,88 and «ниже минимума ЕКПП»", got)
	}
	if got := eval[string](t, tab, `document.querySelector('.visit-detail .loc-values')?.textContent || ''`); !strings.Contains(got, "11,5 м²") {
		t.Errorf("the cell's consolidated values = %q; want 11,5 м²", got)
	}
	if got := eval[string](t, tab, `document.querySelector('#fac-history td[data-indicator="occupancy_rate"]')?.textContent || ''`); !strings.Contains(got, "130") {
		t.Errorf("occupancy on the facility page = %q; want 130 %%", got)
	}
	if got := eval[string](t, tab, `document.querySelector('#fac-rec-list')?.textContent || ''`); !strings.Contains(got, "Снизить наполняемость") || !strings.Contains(got, "выполняется") || !strings.Contains(got, "открыта") {
		t.Errorf("recommendations on the facility page = %q; want the text and its status history", got)
	}
	shots(t, tab, "coord-07-facility", "")
	eval[bool](t, tab, `(document.querySelector('.visit-detail').open = true, true)`)
	shots(t, tab, "coord-08-facility-visits", "#fac-visits")
	shots(t, tab, "coord-08b-facility-recommendations", "#fac-recs")

	// 7. The report buttons: a real PDF and a CSV reach the browser as downloads.
	click(t, tab, `button[data-report="pdf-ru"]`)
	waitFor(t, tab, "PDF downloaded", `document.querySelector('#reports .report-status')?.dataset.type === 'application/pdf'`, 30*time.Second)
	if got := eval[string](t, tab, `document.querySelector('#reports .report-status').textContent`); !strings.Contains(got, ".pdf") {
		t.Errorf("report status = %q; want the file name", got)
	}
	shots(t, tab, "coord-09-reports", "#reports")
	pdf := eval[string](t, tab, fmt.Sprintf(`import('/coord-api.js').then(m => m.fetchReport(inspecta.store, %s))
		.then(async r => r.blob.type + '|' + await r.blob.slice(0, 5).text() + '|' + r.name + '|' + r.blob.size)`,
		js("/api/v1/facilities/"+f.facility+"/report.pdf?lang=kk")))
	if parts := strings.Split(pdf, "|"); len(parts) != 4 || parts[0] != "application/pdf" || parts[1] != "%PDF-" || !strings.HasSuffix(parts[2], ".pdf") {
		t.Errorf("fetchReport(PDF) = %q; want an application/pdf Blob starting with %%PDF-", pdf)
	}
	click(t, tab, `button[data-report="csv-indicators"]`)
	waitFor(t, tab, "CSV downloaded", `(document.querySelector('#reports .report-status')?.dataset.type || '').startsWith('text/csv')`, 30*time.Second)
	// Blob.text() would drop the BOM: read the bytes.
	csv := eval[string](t, tab, fmt.Sprintf(`import('/coord-api.js').then(m => m.fetchReport(inspecta.store, %s)).then(r => r.blob.arrayBuffer())
		.then(b => new TextDecoder('utf-8', {ignoreBOM: true}).decode(b))`,
		js("/api/v1/facilities/"+f.facility+"/report.csv?kind=observations&lang=ru")))
	if !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "11.5") {
		t.Errorf("observations CSV = %.300q; want a BOM and the consolidated 11.5", csv)
	}

	// 7b. The facility's name in Kazakh, typed at the desk, is what the API (and the kk reports) give.
	eval[bool](t, tab, `(document.querySelector('#fac-names').open = true, true)`)
	do(t, tab, "type the Kazakh name", chromedp.SendKeys("#fn-name_kk", "Тест УҰИ (демо)"))
	click(t, tab, "#fn-save")
	waitFor(t, tab, "names saved", `!!document.querySelector('#desk-flash')`, 10*time.Second)
	if got := eval[string](t, tab, fmt.Sprintf(`import('/coord-api.js').then(m => m.deskApi(inspecta.store, 'GET', %s)).then(r => (r.facility || r).name_kk)`,
		js("/api/v1/facilities/"+f.facility))); got != "Тест УҰИ (демо)" {
		t.Errorf("facility name_kk after the desk's form = %q", got)
	}

	// 8. The audit trail: both members' values, the decision with its reason, the approval.
	do(t, tab, "audit trail", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s/audit", srv.URL, f.visit)))
	waitFor(t, tab, "audit entries", `document.querySelectorAll('#audit-list .audit-entry').length > 5`, 10*time.Second)
	audit := eval[string](t, tab, `document.querySelector('#audit-list').textContent`)
	for _, want := range []string{"11,5 м²", "14 м²", "Айгуль Сейткали", "Пётр Иванов", "Сводное значение", "Перемерено по плану помещения", "Гульнара Координатор", "утверждение", xssNote} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit trail lacks %q", want)
		}
	}
	if got := eval[string](t, tab, `String(window.__xss)`); got != "undefined" {
		t.Errorf("window.__xss = %s after the audit trail; want undefined", got)
	}
	shots(t, tab, "coord-10-audit", "")
	eval[bool](t, tab, `(document.querySelector('#audit-list .audit-entry[data-type="consolidation"]').scrollIntoView({block: 'center'}), true)`)
	screenshot(t, tab, "coord-11-audit-decision-1280")

	// 9. The quarantine shows the change refused after approval.
	do(t, tab, "quarantine", chromedp.Navigate(srv.URL+"/#/desk/quarantine"))
	waitFor(t, tab, "quarantined change", `document.querySelectorAll('#quarantine-list li').length === 1`, 10*time.Second)
	shots(t, tab, "coord-12-quarantine", "")

	// 10. Reopening needs a reason and is logged in the visit's history.
	do(t, tab, "visit again", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s", srv.URL, f.visit)))
	waitFor(t, tab, "reopen form", `!!document.querySelector('#reopen')`, 10*time.Second)
	click(t, tab, "#reopen")
	waitFor(t, tab, "reason asked for", `document.querySelector('#reopen-reason').getAttribute('aria-invalid') === 'true'`, 5*time.Second)
	setValue(t, tab, "#reopen-reason", "Участник уточнит площадь камеры 1")
	click(t, tab, "#reopen")
	waitFor(t, tab, "reopened", `document.querySelector('.facts [data-status]')?.dataset.status === 'submitted' && document.querySelector('#status-history-list').textContent.includes('Участник уточнит')`, 10*time.Second)
	shots(t, tab, "coord-13-reopened", "#status-history")

	// CSP: nothing the app did was blocked. Then a control: an inline script
	// and an inline style injected now are blocked, and the watch sees them.
	if v := eval[[]string](t, tab, `window.__csp`); len(v) > 0 {
		t.Errorf("CSP violations by the app: %v", v)
	}
	if l := csp.browserLog(); len(l) > 0 {
		t.Errorf("CSP messages in the browser log: %v", l)
	}
	eval[bool](t, tab, `(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s);
		document.body.setAttribute('style', 'background: red'); return true; })()`)
	waitFor(t, tab, "control violation seen", `window.__csp.length >= 1`, 5*time.Second)
	if got := eval[string](t, tab, `String(window.__inline)`); got != "undefined" {
		t.Errorf("an injected inline script ran (window.__inline = %s)", got)
	}
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}

// TestAdminDesk: an administrator creates a user, who can then sign in, and
// revokes a member's phone, whose next sync gets 401 while what it pushed
// stays on the server.
func TestAdminDesk(t *testing.T) {
	requireChromium(t)
	f := newDeskFixture(t)
	srv := f.srv
	b := newBrowser(t)
	tab, closeTab := b.tab(false)
	defer closeTab()
	csp := watchCSP(t, tab)
	viewport(t, tab, 1280, 800)
	do(t, tab, "open the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	setValue(t, tab, "#lang", "kk")
	do(t, tab, "sign in", chromedp.SendKeys("#username", "adm"), chromedp.SendKeys("#password", "password-adm"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "signed in", `document.documentElement.dataset.view === 'home' && document.querySelector('#desk-link')?.textContent === 'Тексеру'`, 20*time.Second)
	click(t, tab, "#desk-link")
	waitFor(t, tab, "desk", `!!document.querySelector('#desk-visits a.card')`, 10*time.Second)
	click(t, tab, `nav.tabs a[href="#/admin"]`)
	waitFor(t, tab, "user list", `document.querySelectorAll('#user-list li.user').length === 4`, 10*time.Second)

	setValue(t, tab, "#nu-username", "m3")
	setValue(t, tab, "#nu-name", "Әлия Нұрланқызы")
	setValue(t, tab, "#nu-role", "member")
	setValue(t, tab, "#nu-region", "KZ-KAR")
	setValue(t, tab, "#nu-password", "short")
	click(t, tab, "#nu-create")
	waitFor(t, tab, "password too short", `document.querySelector('#new-user .error').textContent === 'Кемінде 10 таңба.'`, 5*time.Second)
	setValue(t, tab, "#nu-password", "aliya-desk-e2e-pass") // passes store.ValidatePassword
	click(t, tab, "#nu-create")
	waitFor(t, tab, "user created", `!!document.querySelector('#user-list li.user[data-username="m3"]') && document.querySelector('#desk-flash').textContent.includes('Әлия')`, 30*time.Second) // bcrypt on a loaded machine
	var signedIn struct {
		Token string `json:"token"`
	}
	srv.apiCall("POST", "/api/v1/auth/login", "", map[string]string{"username": "m3", "password": "aliya-desk-e2e-pass", "device_name": "e2e"}, &signedIn)
	if tok := signedIn.Token; tok == "" {
		t.Fatal("the new user cannot sign in")
	}
	shots(t, tab, "coord-14-admin-users", "")

	// Revoke m1's phone (before m1's password is reset, which revokes every token of m1).
	dev := fmt.Sprintf(`#device-list li.device[data-device=%s]`, js(f.m1Dev.State.DeviceID))
	waitFor(t, tab, "m1's phone listed", fmt.Sprintf(`!!document.querySelector(%s)`, js(dev)), 5*time.Second)
	click(t, tab, dev+" .d-revoke")
	// First a warning: the phone deletes what it holds, so what it has not synced is lost; and when it last synced.
	waitFor(t, tab, "revocation warning", fmt.Sprintf(`(() => { const w = document.querySelector(%s);
		const last = document.querySelector(%s);
		return !!w && w.textContent.includes('синхрондалмағанның бәрі біржола жоғалады') && !!last && last.textContent.startsWith('өзгерістерді соңғы жіберген уақыты: '); })()`,
		js(dev+" .d-revoke-warning"), js(dev+" .d-revoke-last")), 5*time.Second)
	click(t, tab, dev+" .d-revoke-confirm")
	waitFor(t, tab, "device revoked", fmt.Sprintf(`document.querySelector(%s)?.classList.contains('disabled')`, js(dev)), 10*time.Second)
	shots(t, tab, "coord-15-admin-devices", "#devices")
	err := f.m1Dev.Pull(context.Background())
	// The revoked phone is told so (401 device_revoked) and wipes what it holds.
	if !errors.Is(err, isync.ErrRevoked) || len(f.m1Dev.State.Records) != 0 || f.m1Dev.State.Token != "" {
		t.Errorf("sync of a revoked device: %v, %d records left; want ErrRevoked and nothing left", err, len(f.m1Dev.State.Records))
	}
	// Disable m2, give m1 a new password, lift a sign-in lock.
	user := func(name string) string { return fmt.Sprintf(`#user-list li.user[data-username=%s]`, js(name)) }
	eval[bool](t, tab, fmt.Sprintf(`(document.querySelector(%s).open = true, true)`, js(user("m2")+" details")))
	click(t, tab, user("m2")+" .u-disable")
	waitFor(t, tab, "m2 disabled", fmt.Sprintf(`document.querySelector(%s)?.classList.contains('disabled')`, js(user("m2"))), 10*time.Second)
	eval[bool](t, tab, fmt.Sprintf(`(document.querySelector(%s).open = true, true)`, js(user("m1")+" details")))
	setValue(t, tab, user("m1")+" .u-password", "a-new-password-1")
	click(t, tab, user("m1")+" .u-password-set")
	waitFor(t, tab, "password set", `document.querySelector('#desk-flash')?.textContent.includes('Айгуль')`, 10*time.Second)
	var out struct {
		Token string `json:"token"`
	}
	srv.apiCall("POST", "/api/v1/auth/login", "", map[string]string{"username": "m1", "password": "a-new-password-1", "device_name": "e2e"}, &out)
	if out.Token == "" {
		t.Error("m1 cannot sign in with the password the admin set")
	}
	eval[bool](t, tab, fmt.Sprintf(`(document.querySelector(%s).open = true, true)`, js(user("c1")+" details")))
	click(t, tab, user("c1")+" .u-unlock")
	waitFor(t, tab, "unlocked", `document.querySelector('#desk-flash')?.textContent.includes('Гульнара')`, 10*time.Second)

	// The organisation that heads every report: a logo set through the API
	// shows in the form (a data: image the CSP allows); names typed and saved.
	admTok := srv.login("adm")
	logo := "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAAAAACRn/EaAAAADklEQVR4nGNoAAIGOAEALQ8GAa0C414AAAAASUVORK5CYII="
	srv.apiCall("PUT", "/api/v1/org", admTok, map[string]string{"name_en": "Coalition", "logo_png_base64": logo}, nil)
	click(t, tab, "#org-link")
	waitFor(t, tab, "organisation form with the logo", `document.querySelector('#org-form .org-logo img')?.naturalWidth === 4`, 10*time.Second)
	setValue(t, tab, "#org-name_kk", "Азаптауларға қарсы коалиция")
	setValue(t, tab, "#org-what_en", "NGO coalition; members of the NPM")
	click(t, tab, "#org-save")
	waitFor(t, tab, "organisation saved", `document.querySelector('#org-msg')?.textContent === 'Ұйым баптаулары сақталды.'`, 10*time.Second)
	var org struct {
		NameKk  string `json:"name_kk"`
		NameEn  string `json:"name_en"`
		WhatEn  string `json:"what_en"`
		HasLogo bool   `json:"has_logo"`
	}
	srv.apiCall("GET", "/api/v1/org", admTok, nil, &org)
	if org.NameKk != "Азаптауларға қарсы коалиция" || org.NameEn != "Coalition" || org.WhatEn != "NGO coalition; members of the NPM" || !org.HasLogo {
		t.Errorf("organisation after saving the form = %+v; want the typed names, the English name and the logo kept", org)
	}
	shots(t, tab, "coord-15b-admin-org", "")
	if v := eval[[]string](t, tab, `window.__csp`); len(v) > 0 {
		t.Errorf("CSP violations by the app: %v", v)
	}
	if l := csp.browserLog(); len(l) > 0 {
		t.Errorf("CSP messages in the browser log: %v", l)
	}

	// Coalition staff read the visit but decide nothing.
	srv.addUser("st", "Сотрудник коалиции", "staff", "")
	staff, closeStaff := b.tab(true)
	defer closeStaff()
	viewport(t, staff, 1280, 800)
	do(t, staff, "staff opens the app", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#username"))
	do(t, staff, "staff signs in", chromedp.SendKeys("#username", "st"), chromedp.SendKeys("#password", "password-st"), chromedp.Click("#signin-submit"))
	waitFor(t, staff, "signed in", `document.documentElement.dataset.view === 'home' && !!document.querySelector('#desk-link')`, 20*time.Second)
	do(t, staff, "staff opens the visit", chromedp.Navigate(fmt.Sprintf("%s/#/desk/visit/%s", srv.URL, f.visit)))
	waitFor(t, staff, "queue, read only", `!!document.querySelector('#queue .queue-entry[data-item="cell_area_m2"]')`, 10*time.Second)
	if got := eval[string](t, staff, `document.querySelectorAll('#queue button, #approve, #reopen, #audit-link').length + ' ' + !!document.querySelector('#side-by-side tr[data-item="cell_area_m2"]')`); got != "0 true" {
		t.Errorf("staff's view: %s decision controls, side by side shown = %s; want \"0 true\"", strings.Fields(got)[0], strings.Fields(got)[1])
	}
	shots(t, staff, "coord-16-staff-visit", "")
	do(t, staff, "staff opens the desk", chromedp.Navigate(srv.URL+"/#/desk"))
	click(t, staff, `#annual-reports button[data-report="annual-pdf-en"]`)
	waitFor(t, staff, "annual report downloaded", `document.querySelector('#annual-status')?.dataset.type === 'application/pdf'`, 30*time.Second)
	// Counting visits not yet approved is the staff's choice, in the request.
	click(t, staff, `#annual-unapproved`)
	click(t, staff, `#annual-reports button[data-report="annual-csv"]`)
	waitFor(t, staff, "provisional annual CSV downloaded", `document.querySelector('#annual-status')?.dataset.type?.startsWith('text/csv')`, 30*time.Second)
	if errs := b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}
