package schema

import (
	"regexp"
	"strings"
	"unicode"
)

// Free text that a report prints (a location's label, a recommendation's
// text, a note cleared for publication) is checked before a visit is
// approved: what looks like a person's name, a date of birth or a 12-digit
// IIN (Kazakhstan's individual identification number) is flagged, and a
// flagged text is not printed until it is changed or a coordinator clears it.
// The check is deliberately eager: a false flag costs one click, a missed
// name can cost a detainee.

// Kinds of TextFlag.
const (
	FlagName      = "name"
	FlagBirthDate = "birth_date"
	FlagIIN       = "iin"
)

// TextFlag is one thing in a text that may identify a person.
type TextFlag struct {
	Kind  string `json:"kind"`
	Match string `json:"match"`
}

const (
	upper = `A-ZА-ЯЁӘҒҚҢӨҰҮҺІ`
	lower = `a-zа-яёәғқңөұүһі`
)

var (
	digitRun = regexp.MustCompile(`\d(?:[ \-]?\d)+`)
	fullDate = regexp.MustCompile(`\b\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)\d{2}\b|\b(?:19|20)\d{2}[./\-]\d{1,2}[./\-]\d{1,2}\b`)
	// A year next to a birth marker: "b. 1985", "born 1985", "1985 г.р.", "1985 г. рождения", "1985 ж.т.", "туған 1985".
	birthYear = regexp.MustCompile(`(?i)(?:\bb\.|\bborn|\bdob|д\.\s?р\.|род\.|рождения|туған|т\.ж\.)\s*(?:in\s*)?(?:19|20)\d{2}|(?:19|20)\d{2}\s*(?:г\.?\s?р\.?|года рождения|г\.\s?рождения|ж\.\s?т\.|жылы туған|year of birth)`)
	// Surname and initials: "Ivanov I.I.", "Иванов И. И.", "I.I. Ivanov".
	initials = regexp.MustCompile(`[` + upper + `][` + lower + `]+\s+[` + upper + `]\.\s?(?:[` + upper + `]\.?)?|[` + upper + `]\.\s?(?:[` + upper + `]\.\s?)?[` + upper + `][` + lower + `]{2,}`)
	word     = regexp.MustCompile(`[` + upper + `][` + lower + `]{2,}`)
	// A person named after words that introduce one: "detainee Ivanov".
	introduced = regexp.MustCompile(`(?i)(?:detainee|prisoner|inmate|patient|mr\.?|mrs\.?|ms\.?|гражданин|гражданка|задержанн\S*|заключ[её]нн\S*|осужд[её]нн\S*|подозреваем\S*|пациент\S*|сотрудник\S*|ұсталған\S*|сотталған\S*)\s+([` + upper + `][` + lower + `]+)`)
)

// surnameEndings are endings of Kazakh, Russian and Ukrainian surnames, in
// Cyrillic and transliterated.
var surnameEndings = []string{"ов", "ова", "овой", "ову", "овым", "евой", "еву", "иной", "ев", "ева", "ёв", "ёва", "ин", "ина", "ын", "ына", "ский", "ская", "цкий", "цкая",
	"енко", "ук", "юк", "ұлы", "улы", "қызы", "кызы", "бекова", "беков",
	"ov", "ova", "ev", "eva", "in", "ina", "yn", "yna", "sky", "skiy", "skii", "skaya", "enko", "uly", "kyzy", "uk", "yuk"}

// notNames are capitalised words of this field that end like surnames.
var notNames = map[string]bool{"cabin": true, "basin": true, "latin": true, "margin": true, "origin": true, "admin": true,
	"kitchen": true, "cousin": true, "main": true, "medicin": true, "kazakhstan": true, "astana": true, "almaty": true}

// FlagPersonalData returns what in text looks like a person's name, a date
// of birth or an IIN, in the order found; none for a text that looks safe.
func FlagPersonalData(text string) []TextFlag {
	var flags []TextFlag
	seen := map[string]bool{}
	add := func(kind, match string) {
		match = strings.TrimSpace(match)
		if match == "" || seen[kind+match] {
			return
		}
		seen[kind+match] = true
		flags = append(flags, TextFlag{Kind: kind, Match: match})
	}
	for _, m := range digitRun.FindAllString(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, m)
		if len(digits) == 12 {
			add(FlagIIN, m)
		}
	}
	for _, m := range fullDate.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range birthYear.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range initials.FindAllString(text, -1) {
		add(FlagName, m)
	}
	for _, m := range introduced.FindAllStringSubmatch(text, -1) {
		add(FlagName, m[0])
	}
	for _, w := range word.FindAllString(text, -1) {
		lw := strings.ToLower(w)
		if notNames[lw] {
			continue
		}
		for _, end := range surnameEndings {
			if strings.HasSuffix(lw, end) && len([]rune(lw)) >= len([]rune(end))+3 {
				add(FlagName, w)
				break
			}
		}
	}
	return flags
}
