package report

import (
	"fmt"
	"math"
	"strings"

	"inspecta/schema"
)

// pluralForms is a text with a number in the forms each language needs:
// English one/other; Russian one (1, 21…), few (2–4, 22–24…), many (0, 5–20…)
// and the form for fractions; Kazakh needs one form (a noun after a numeral
// stays singular). Each form holds one %d or %s for the number.
type pluralForms struct {
	enOne, enOther              string
	ruOne, ruFew, ruMany, ruFra string
	kk                          string
}

// pluralTexts are the report's texts that depend on a count.
var pluralTexts = map[string]pluralForms{
	"unresolved.count": {
		"1 value is unresolved: the members' values differ and no coordinator has decided",
		"%d values are unresolved: the members' values differ and no coordinator has decided",
		"%d значение не согласовано: значения участников расходятся, решение координатора не принято",
		"%d значения не согласованы: значения участников расходятся, решение координатора не принято",
		"%d значений не согласовано: значения участников расходятся, решение координатора не принято",
		"",
		"%d мән келісілмеген: қатысушылардың мәндері әртүрлі, үйлестіруші шешім қабылдамаған",
	},
	"in.every.location": {
		"In the only location visited", "In every location visited (%d)",
		"Во всех помещениях (%d)", "Во всех помещениях (%d)", "Во всех помещениях (%d)", "",
		"Барлық үй-жайда (%d)",
	},
	"locations.of": {
		"of 1 location", "of %d locations",
		"из %d помещения", "из %d помещений", "из %d помещений", "",
		"%d үй-жайдың",
	},
}

// ruForm picks the Russian form of a whole number n.
func ruForm(n int) int {
	n = absInt(n)
	switch {
	case n%10 == 1 && n%100 != 11:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return 1
	}
	return 2
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// plural formats the text key for the count n in lang.
func plural(lang, key string, n int) string {
	p, ok := pluralTexts[key]
	if !ok {
		return key
	}
	var f string
	switch lang {
	case "ru":
		f = [3]string{p.ruOne, p.ruFew, p.ruMany}[ruForm(n)]
	case "kk":
		f = p.kk
	default:
		f = p.enOther
		if n == 1 {
			f = p.enOne
		}
	}
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, n)
	}
	return f
}

// unitForms are the units whose word changes with the number before it, by
// their English label in the template: English singular, Russian one, few,
// many and fraction forms. Kazakh units do not change.
var unitForms = map[string][5]string{
	"persons":        {"person", "чел.", "чел.", "чел.", "чел."},
	"places/person":  {"place/person", "место/чел.", "места/чел.", "мест/чел.", "места/чел."},
	"persons/toilet": {"person/toilet", "чел./туалет", "чел./туалет", "чел./туалет", "чел./туалет"},
}

// unitText is a unit label in lang in the form the value v takes:
// "1 place/person", "2 places/person", "1 место/чел.", "5 мест/чел.",
// "1,5 места/чел.".
func unitText(lang string, label schema.Text, v float64) string {
	s := label.In(lang)
	forms, ok := unitForms[label.In("en")]
	if !ok || lang == "kk" {
		return s
	}
	whole := v == math.Trunc(v) && math.Abs(v) < 1e15
	switch lang {
	case "en":
		if v == 1 || v == -1 {
			return forms[0]
		}
		return s
	case "ru":
		if !whole {
			return forms[4]
		}
		return forms[1+ruForm(int(v))]
	}
	return s
}

// redIn says in how many of the locations an indicator is red.
func redIn(lang string, red, of int) string {
	if lang == "kk" {
		return tf(lang, "red.in", red, of)
	}
	return tf(lang, "red.in", red, plural(lang, "locations.of", of))
}
