package schema

import (
	"regexp"
	"strconv"
	"strings"
	"time"
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
	// Groups of digits a writer may split an IIN into: "850312 300 123",
	// "850312-300-123", "850312.300.123" (Unicode spaces and dashes are
	// folded before, normalizeForCheck).
	digitRun = regexp.MustCompile(`\d+(?:[ .\-/_]{1,3}\d+)*`)
	fullDate = regexp.MustCompile(`\b\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)\d{2}\b|\b(?:19|20)\d{2}[./\-]\d{1,2}[./\-]\d{1,2}\b`)
	// A year next to a birth marker: "b. 1985", "born 1985", "1985 г.р.", "1985 г. рождения", "1985 ж.т.", "туған 1985".
	birthYear = regexp.MustCompile(`(?i)(?:\bb\.|\bborn|\bdob|д\.\s?р\.|род\.|рождения|туған|т\.ж\.)\s*(?:in\s*)?(?:19|20)\d{2}|(?:19|20)\d{2}\s*(?:г\.?\s?р\.?|года рождения|г\.\s?рождения|ж\.\s?т\.|жылы туған|year of birth)`)
	// Surname and initials: "Ivanov I.I.", "Иванов И. И.", "I.I. Ivanov".
	initials = regexp.MustCompile(`[` + upper + `][` + lower + `]+\s+[` + upper + `]\.\s?(?:[` + upper + `]\.?)?|[` + upper + `]\.\s?(?:[` + upper + `]\.\s?)?[` + upper + `][` + lower + `]{2,}`)
	word     = regexp.MustCompile(`[` + upper + `][` + lower + `]{2,}`)
	// A surname written in capitals, as registers do: "ИВАНОВ", "SAPAROVA".
	// Official abbreviations (СИЗО, ИВС, КУИС) are shorter or end otherwise.
	capsWord = regexp.MustCompile(`(?:^|[^` + upper + lower + `])([` + upper + `]{4,})(?:$|[^` + upper + lower + `])`)
	// A surname in capitals before initials: "ИВАНОВ И.И.", "ОСПАНОВ Б.".
	capsInitials = regexp.MustCompile(`[` + upper + `]{3,}\s+[` + upper + `]\.\s?(?:[` + upper + `]\.)?`)
	// A room named after whom it holds: "камера Нурлана", "cell of Kim".
	placeOf = regexp.MustCompile(`(?i:камер\S*|палат\S*|комнат\S*|бөлме\S*)\s+([` + upper + `][` + lower + `]{2,}[аяыи])(?:[^` + upper + lower + `]|$)|(?i:cell|ward|room|bed)\s+of\s+([` + upper + `][` + lower + `]+)`)
	// A date written with the month's name: "12 March 1985", "12 марта
	// 1985 года", "March 12, 1985", "1985 жылғы 12 наурыз".
	monthDate = regexp.MustCompile(`(?i)\b\d{1,2}\s+(?:` + monthNames + `)\S*\s+((?:19|20)\d{2})|(?:^|[^` + lower + upper + `])(?:` + monthNames + `)\S*\s+\d{1,2},?\s+((?:19|20)\d{2})|\b((?:19|20)\d{2})\s*(?:жылғы|ж\.)?\s*\d{1,2}\s+(?:` + monthNames + `)`)
	// A date with a two-digit year: "12.03.85".
	shortDate = regexp.MustCompile(`\b(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])[./]\d{2}\b`)
	// An age: "38 years old", "aged 38", "38-летний", "(Иван, 38 лет", "38 жаста".
	age = regexp.MustCompile(`(?i)\b\d{1,2}\s*(?:years?\s+old|y\.\s?o\.|y/o|жаста|жасар|жастағы)|\baged\s+\d{1,2}\b|\b\d{1,2}-летн\S*|(?:[,(]|возраст\S*|в возрасте)\s*\d{1,2}\s*(?:лет|года|год)(?:[^` + lower + `]|$)`)
	// A word that marks a birth near a date: then any year is a birth year.
	birthWord = regexp.MustCompile(`(?i)\bborn\b|\bdob\b|д\.\s?р\.|родил\S*|рождени\S*|туған|т\.ж\.`)
	// A person named after words that introduce one: "detainee Ivanov".
	introduced = regexp.MustCompile(`(?i)(?:detainee|prisoner|inmate|patient|mr\.?|mrs\.?|ms\.?|гражданин|гражданка|задержанн\S*|заключ[её]нн\S*|осужд[её]нн\S*|подозреваем\S*|пациент\S*|сотрудник\S*|ұсталған\S*|сотталған\S*)\s+([` + upper + `][` + lower + `]+)`)
)

// monthNames are the stems of the months' names in Russian, Kazakh and
// English (each matched with any ending: "марта", "наурызда").
const monthNames = `январ|феврал|март|апрел|мая|май|июн|июл|август|сентябр|октябр|ноябр|декабр|` +
	`қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|` +
	`january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?`

// minBirthAge is how many years before now a year must be for a date with
// the month's name to be taken for a date of birth when no word marks a
// birth: a deadline ("by 1 March 2027") or a visit's date is not one.
const minBirthAge = 12

// surnameEndings are endings of Kazakh, Russian and Ukrainian surnames, in
// Cyrillic and transliterated.
var surnameEndings = []string{"ов", "ова", "овой", "ову", "овым", "евой", "еву", "иной", "ев", "ева", "ёв", "ёва", "ин", "ина", "ын", "ына", "ский", "ская", "цкий", "цкая",
	"енко", "ук", "юк", "ұлы", "улы", "қызы", "кызы", "бекова", "беков",
	"ov", "ova", "ev", "eva", "in", "ina", "yn", "yna", "sky", "skiy", "skii", "skaya", "enko", "uly", "kyzy", "uk", "yuk",
	// patronymics
	"ович", "евич", "овна", "евна", "ична", "ovich", "evich", "ovna", "evna", "ichna"}

// notNames are capitalised words of this field that end like surnames.
var notNames = map[string]bool{"cabin": true, "basin": true, "latin": true, "margin": true, "origin": true, "admin": true,
	"kitchen": true, "cousin": true, "main": true, "medicin": true, "kazakhstan": true, "astana": true, "almaty": true,
	"карантин": true, "магазин": true, "витамин": true, "инсулин": true,
	// words that follow "cell of", "room of": parts of a building
	"block": true, "building": true, "wing": true, "unit": true, "section": true, "floor": true, "corpus": true}

// FlagPersonalData returns what in text looks like a person's name, a date
// of birth or an IIN, in the order found; none for a text that looks safe.
// The text is checked as a reader sees it (normalizeForCheck): invisible
// characters, accents, look-alike letters of the other script and Unicode
// spaces do not hide a name, and a text that reverses its letters on screen
// (a bidi override) is checked as shown too.
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
	for _, t := range shownForms(text) {
		flagText(normalizeForCheck(t), add)
	}
	return flags
}

// flagText adds what in one normalized text may identify a person.
func flagText(text string, add func(kind, match string)) {
	for _, m := range digitRun.FindAllString(text, -1) {
		if digits := onlyDigits(m); len(digits) == 12 || len(digits) > 12 && containsIIN(digits) {
			add(FlagIIN, m)
		}
	}
	for _, m := range fullDate.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range birthYear.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range monthDate.FindAllStringSubmatch(text, -1) {
		if year, _ := strconv.Atoi(m[1] + m[2] + m[3]); year <= time.Now().Year()-minBirthAge || birthWord.MatchString(text) {
			add(FlagBirthDate, m[0])
		}
	}
	for _, m := range shortDate.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range age.FindAllString(text, -1) {
		add(FlagBirthDate, m)
	}
	for _, m := range initials.FindAllString(text, -1) {
		add(FlagName, m)
	}
	for _, m := range capsInitials.FindAllString(text, -1) {
		add(FlagName, m)
	}
	for _, m := range placeOf.FindAllStringSubmatch(text, -1) {
		if !notNames[strings.ToLower(m[1]+m[2])] {
			add(FlagName, m[0])
		}
	}
	for _, m := range capsWord.FindAllStringSubmatch(text, -1) {
		if looksLikeSurname(m[1]) {
			add(FlagName, m[1])
		}
	}
	for _, m := range introduced.FindAllStringSubmatch(text, -1) {
		add(FlagName, m[0])
	}
	for _, w := range word.FindAllString(text, -1) {
		if looksLikeSurname(w) {
			add(FlagName, w)
		}
	}
}

// looksLikeSurname reports whether a word ends like a surname or a
// patronymic, with at least three letters before the ending.
func looksLikeSurname(w string) bool {
	lw := strings.ToLower(w)
	if notNames[lw] {
		return false
	}
	for _, end := range surnameEndings {
		if strings.HasSuffix(lw, end) && len([]rune(lw)) >= len([]rune(end))+3 {
			return true
		}
	}
	return false
}
