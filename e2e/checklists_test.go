package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inspecta/schema"
)

// checklistFixture is a server with a member of KZ-KAR and one facility per
// kind of checklist, each named by a number only so that no screen carries a
// word of a language from the data; and the member signed in on a phone.
type checklistFixture struct {
	srv        *appServer
	b          *browser
	tab        context.Context
	facilities map[string]string // facility type → id
}

func newChecklistFixture(t *testing.T, types ...string) *checklistFixture {
	t.Helper()
	requireChromium(t)
	s := newAppServer(t)
	s.addUser("m1", "", "member", "KZ-KAR")
	s.addUser("c1", "", "coordinator", "KZ-KAR")
	token := s.login("c1")
	f := &checklistFixture{srv: s, facilities: map[string]string{}}
	for i, typ := range types {
		var fac struct {
			ID string `json:"id"`
		}
		s.apiCall("POST", "/api/v1/facilities", token, map[string]any{"name": fmt.Sprintf("№ %d", 101+i), "type": typ, "region": "KZ-KAR"}, &fac)
		f.facilities[typ] = fac.ID
	}
	f.b = newBrowser(t)
	tab, closeTab := f.b.tab(false)
	t.Cleanup(closeTab)
	f.tab = tab
	do(t, tab, "open the app", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible("#username"))
	do(t, tab, "sign in", chromedp.SendKeys("#username", "m1"), chromedp.SendKeys("#password", "password-m1"), chromedp.Click("#signin-submit"))
	waitFor(t, tab, "facility list", fmt.Sprintf(`document.querySelectorAll('#facility-list a.card').length === %d`, len(types)), 30*time.Second)
	return f
}

// startVisit starts a visit to the facility of type typ in the app and
// returns its id and the checklist it took.
func (f *checklistFixture) startVisit(t *testing.T, typ string) (visitID, checklist string) {
	t.Helper()
	eval[bool](t, f.tab, fmt.Sprintf(`(location.hash = %s, true)`, js("#/visit-new/"+f.facilities[typ])))
	waitFor(t, f.tab, "visit form", `!!document.querySelector('#visit-save')`, 10*time.Second)
	click(t, f.tab, "#visit-save")
	waitFor(t, f.tab, "visit hub", `/^#\/visit\/[0-9a-f-]{36}$/.test(location.hash) && !!document.querySelector('#add-location')`, 10*time.Second)
	visitID = eval[string](t, f.tab, `location.hash.slice('#/visit/'.length)`)
	checklist = eval[string](t, f.tab, fmt.Sprintf(`inspecta.store.get('visit', %s).then(v => v.fields.checklist)`, js(visitID)))
	return visitID, checklist
}

// addPlace adds a place of the given kind (the first one offered if "") and returns its id.
func (f *checklistFixture) addPlace(t *testing.T, visitID, kind, label string) string {
	t.Helper()
	if kind != "" {
		setValue(t, f.tab, "#loc-kind", kind)
	}
	setValue(t, f.tab, "#loc-label", label)
	click(t, f.tab, "#loc-add")
	waitFor(t, f.tab, "place "+label, fmt.Sprintf(`!!document.querySelector('#location-list a.card[data-label=%s]')`, js(label)), 10*time.Second)
	return eval[string](t, f.tab, fmt.Sprintf(`inspecta.store.ofVisit('location', %s).then(ls => ls.find(l => l.fields.label === %s).id)`, js(visitID), js(label)))
}

// scanScreens is installed in the page: for each language and each path it
// draws the screen (as a tap on a link does) and returns every text the
// screen shows or holds for a reader: its text nodes (closed help and
// standards included), placeholders, labels for screen readers and titles.
// One call scans many screens, so the test does not pay a browser round trip
// per screen.
const scanScreens = `window.__scan = async (langs, paths) => {
	const i18n = await import('/i18n.js');
	const drawn = (p, lang) => new Promise((ok, fail) => {
		const end = Date.now() + 10000;
		(function poll() {
			const d = document.documentElement;
			if (d.dataset.path === p && d.lang === lang && !document.querySelector('#view .loading')) ok();
			else if (Date.now() > end) fail(new Error('screen ' + p + ' in ' + lang + ' not drawn'));
			else setTimeout(poll, 10);
		})();
	});
	const texts = () => {
		const out = [];
		const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (w.nextNode()) {
			const n = w.currentNode;
			if (n.parentElement && n.parentElement.closest('script, style, noscript')) continue;
			const s = n.nodeValue.trim();
			if (s) out.push(s);
		}
		for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]'))
			for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
		return out;
	};
	const out = [];
	for (const lang of langs) {
		await i18n.setLang(lang);
		location.hash = '#/settings';
		await drawn('/settings', lang);
		for (const p of paths) {
			location.hash = '#' + p;
			await drawn(p, lang);
			out.push({ lang, path: p, texts: texts() });
		}
	}
	return out;
}; true`

var (
	cyrillicLetter = regexp.MustCompile(`[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]`)
	kazakhLetter   = regexp.MustCompile(`[ӘәҒғҚқҢңӨөҰұҮүҺһІі]`)
	latinWord      = regexp.MustCompile(`\b[A-Za-z][a-z]{3,}\b`)
	// Names the checklists cite in every language, and the product's own.
	citedNames = regexp.MustCompile(`^(Inspecta|Inf|Housing|Health|Guidelines|Guide|Detention|Focus|Muršić|Croatia|Ananyev|Others|Russia|Rules|Nelson|Mandela|Protocol|Istanbul|Havana|Bangkok)$`)
	// Custody's words, never to be read in a psychiatric or social-care checklist.
	custodyWords = map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`(?i)\b(detainees?|cells?|prisoners?|inmates?)\b`),
		"ru": regexp.MustCompile(`(?i)(задержанн|камер|заключённ|осуждённ)`),
		"kk": regexp.MustCompile(`(?i)(ұсталған|камера|сотталған|тұтқын)`),
	}
)

// otherLanguageTexts maps every text of the checklists in one language that
// differs from its version in lang to the language it is in: a screen in
// lang showing one of them shows a string of another language.
func otherLanguageTexts(t *testing.T, lang string) map[string]string {
	t.Helper()
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	add := func(tx schema.Text) {
		for l, s := range tx {
			if l != lang && s != tx[lang] {
				out[s] = l
			}
		}
	}
	for _, tpl := range ts {
		add(tpl.Title)
		for _, s := range tpl.Sections {
			add(s.Title)
		}
		for _, it := range tpl.Items {
			add(it.Label)
			add(it.Help)
			for _, o := range it.Options {
				add(o.Label)
			}
		}
		for _, ind := range tpl.Indicators {
			add(ind.Label)
		}
	}
	return out
}

// languageProblems lists what in texts, shown in lang, belongs to another
// language, and, for a care checklist, speaks of detainees or cells.
func languageProblems(lang string, texts []string, others map[string]string, care bool) []string {
	var out []string
	for _, s := range texts {
		switch lang {
		case "en":
			if m := cyrillicLetter.FindString(s); m != "" {
				out = append(out, fmt.Sprintf("Cyrillic %q in %q", m, s))
			}
		case "ru":
			if m := kazakhLetter.FindString(s); m != "" {
				out = append(out, fmt.Sprintf("Kazakh letter %q in %q", m, s))
			}
		}
		if lang != "en" {
			for _, w := range latinWord.FindAllString(s, -1) {
				if !citedNames.MatchString(w) {
					out = append(out, fmt.Sprintf("Latin word %q in %q", w, s))
				}
			}
		}
		// A question written for another language ("Туалет в камере" on an English screen).
		if l, ok := others[s]; ok && len([]rune(s)) > 3 {
			out = append(out, fmt.Sprintf("%s text %q", l, s))
		}
		if care {
			if m := custodyWords[lang].FindString(s); m != "" {
				out = append(out, fmt.Sprintf("custody wording %q in %q", m, s))
			}
		}
	}
	return out
}

// TestChecklistScreensPerType: a visit to each kind of facility starts with
// its own checklist, and every screen of it (the visit form, the visit's hub,
// every section of the visit's questions and of a place's), in Kazakh, Russian
// and English, shows no string of another language; those of a psychiatric
// hospital, a social-care home and a children's institution speak of
// patients, residents or children and wards or rooms, never of detainees or
// cells.
func TestChecklistScreensPerType(t *testing.T) {
	types := []struct {
		typ, checklist string
		care           bool
	}{
		{"ivs", "kz-police-custody@2", false}, {"sizo", "kz-penitentiary@2", false},
		{"psychiatric", "kz-psychiatric@2", true}, {"social_care", "kz-social-care@2", true}, {"children_institution", "kz-children-care@2", true},
	}
	var typs []string
	for _, ty := range types {
		typs = append(typs, ty.typ)
	}
	f := newChecklistFixture(t, typs...)
	tab := f.tab
	others := map[string]map[string]string{}
	for _, lang := range []string{"kk", "ru", "en"} {
		others[lang] = otherLanguageTexts(t, lang)
	}
	var problems []string
	screensSeen := 0
	for _, ty := range types {
		visitID, checklist := f.startVisit(t, ty.typ)
		if checklist != ty.checklist {
			t.Errorf("a visit to a %s started with %q; want %s", ty.typ, checklist, ty.checklist)
			continue
		}
		place := f.addPlace(t, visitID, "", "№ 1")
		var sections struct {
			Visit    []string `json:"visit"`
			Location []string `json:"location"`
		}
		sections = eval[struct {
			Visit    []string `json:"visit"`
			Location []string `json:"location"`
		}](t, tab, fmt.Sprintf(`inspecta.store.checklist(%s).then(c => ({
			visit: c.sections.filter(s => c.items.some(i => i.scope === 'visit' && i.section === s.id)).map(s => s.id),
			location: c.sections.filter(s => c.items.some(i => i.scope === 'location' && i.section === s.id)).map(s => s.id) }))`, js(checklist)))
		paths := []string{"/visit-edit/" + visitID, "/visit/" + visitID}
		for _, s := range sections.Visit {
			paths = append(paths, fmt.Sprintf("/visit/%s/check/visit/%s", visitID, s))
		}
		for _, s := range sections.Location {
			paths = append(paths, fmt.Sprintf("/visit/%s/check/%s/%s", visitID, place, s))
		}
		if len(sections.Visit) < 8 || len(sections.Location) < 6 {
			t.Errorf("%s: %d visit and %d place sections; want the new sections too", checklist, len(sections.Visit), len(sections.Location))
		}
		type scanned struct {
			Lang  string   `json:"lang"`
			Path  string   `json:"path"`
			Texts []string `json:"texts"`
		}
		eval[bool](t, tab, scanScreens)
		langs, _ := json.Marshal([]string{"kk", "ru", "en"})
		list, _ := json.Marshal(paths)
		for _, sc := range eval[[]scanned](t, tab, fmt.Sprintf(`window.__scan(%s, %s)`, langs, list)) {
			for _, pr := range languageProblems(sc.Lang, sc.Texts, others[sc.Lang], ty.care) {
				problems = append(problems, fmt.Sprintf("%s %s %s: %s", ty.typ, sc.Lang, sc.Path, pr))
			}
			screensSeen++
		}
	}
	t.Logf("%d screens scanned", screensSeen)
	if len(problems) > 0 {
		sort.Strings(problems)
		if len(problems) > 80 {
			problems = append(problems[:80], fmt.Sprintf("… and %d more", len(problems)-80))
		}
		t.Errorf("%d strings of another language or custody wording:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if errs := f.b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}

// TestPlaceKindIsTheOneQuestion: the kind chosen when a place is added is
// the one question for it. A place added as a shared cell shows its space per
// person, judged on the CPT's 4 m² shared-cell minimum, as soon as its area
// and the persons in it are entered, with no "type of room" to answer; a
// single cell is judged on 6 m², a police cell on the CPT's 7 m².
func TestPlaceKindIsTheOneQuestion(t *testing.T) {
	f := newChecklistFixture(t, "sizo", "ivs")
	tab := f.tab
	eval[bool](t, tab, `import('/i18n.js').then(m => m.setLang('en')).then(() => true)`)
	cases := []struct {
		typ, kind, area, persons, indicator, band, words string
	}{
		{"sizo", "shared_cell", "14", "4", "space_per_person", "red", "below the CPT minimum of 4 m² per person"},
		{"sizo", "single_cell", "5", "1", "space_per_person_single", "red", "below the CPT single-cell minimum of 6 m²"},
		{"ivs", "police_cell", "5", "1", "space_per_person_police", "amber", "below the CPT's desirable 7 m² for a police cell"},
	}
	visits := map[string]string{}
	for i, c := range cases {
		if visits[c.typ] == "" {
			visits[c.typ], _ = f.startVisit(t, c.typ)
		}
		visitID := visits[c.typ]
		eval[bool](t, tab, fmt.Sprintf(`(location.hash = %s, true)`, js("#/visit/"+visitID)))
		waitFor(t, tab, "hub", `!!document.querySelector('#loc-kind')`, 10*time.Second)
		place := f.addPlace(t, visitID, c.kind, fmt.Sprintf("№ %d", i+1))
		p := fmt.Sprintf("/visit/%s/check/%s/space", visitID, place)
		eval[bool](t, tab, fmt.Sprintf(`(location.hash = %s, true)`, js("#"+p)))
		waitFor(t, tab, "space section", fmt.Sprintf(`document.documentElement.dataset.path === %s && !!document.querySelector('#in-cell_area_m2')`, js(p)), 10*time.Second)
		if eval[bool](t, tab, `!!document.querySelector('[data-item="location_type"]')`) {
			t.Errorf("%s: the place's kind is asked a second time", c.kind)
		}
		if eval[bool](t, tab, `!!document.querySelector('button.ind[data-indicator^="space_per_person"]')`) {
			t.Errorf("%s: space per person shown before area and persons", c.kind)
		}
		setValue(t, tab, "#in-cell_area_m2", c.area)
		setValue(t, tab, "#in-persons_present", c.persons)
		waitFor(t, tab, c.kind+" space per person", fmt.Sprintf(`(() => { const b = document.querySelector('button.ind[data-indicator=%s]');
			return !!b && b.dataset.band === %s && b.textContent.includes(%s) && b.offsetParent !== null; })()`, js(c.indicator), js(c.band), js(c.words)), 10*time.Second)
		if n := eval[int](t, tab, `document.querySelectorAll('button.ind[data-indicator^="space_per_person"]').length`); n != 1 {
			t.Errorf("%s: %d space-per-person indicators; want the one for its kind", c.kind, n)
		}
	}
	if errs := f.b.unexpectedErrors(); len(errs) > 0 {
		t.Errorf("errors in the page:\n%s", strings.Join(errs, "\n"))
	}
}
