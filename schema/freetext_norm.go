package schema

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The personal-data check (FlagPersonalData) reads a text as a reader sees
// it, not as its bytes run: "Ива\u200bнов" (a zero-width space), "Ким\u00a0В."
// (a no-break space), "Ива\u0301нов" (a stress accent), "Иванoв" (a Latin o)
// and "Ба\u0438\u0306жанов" (й decomposed) all show a surname, and
// "\u202eвонавИ" shows "Иванов" reversed.

// normalizeForCheck returns text as the check reads it: compatibility forms
// composed (NFKC), invisible characters (format characters such as
// zero-width spaces, soft hyphens, word joiners and bidi controls; other
// default-ignorable code points; controls) dropped, combining accents dropped
// except the breve of й and the diaeresis of ё, every Unicode space folded to
// a space, every dash to a hyphen, every decimal digit to an ASCII digit, and
// in a word that mixes Latin and Cyrillic letters the look-alike letters of
// the lesser script folded into the greater.
func normalizeForCheck(text string) string {
	var b strings.Builder
	var base rune // the last base letter kept, for the marks of й and ё
	for _, r := range norm.NFKD.String(text) {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r) || r == '\u2028' || r == '\u2029':
			b.WriteRune(' ')
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			if r == '\u0306' && (base == 'и' || base == 'И') || r == '\u0308' && (base == 'е' || base == 'Е') {
				b.WriteRune(r)
			}
			base = 0
			continue
		case invisible(r):
			continue
		case unicode.Is(unicode.Pd, r):
			b.WriteRune('-')
		case unicode.Is(unicode.Nd, r):
			b.WriteRune('0' + digitValue(r))
		default:
			b.WriteRune(r)
		}
		base = r
	}
	return foldLookAlikes(norm.NFC.String(b.String()))
}

// invisible reports whether r shows nothing: a format character (Cf: zero
// width spaces and joiners, soft hyphen, word joiner, bidi controls, BOM), a
// control, a variation selector or another default-ignorable code point
// (the Hangul filler, say).
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) ||
		unicode.Is(unicode.Variation_Selector, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// digitValue returns the value of a decimal digit (unicode.Nd): the
// decimal digits of every script run in blocks of ten from zero.
func digitValue(r rune) rune {
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10
		}
	}
	return 0
}

// Latin letters and the Cyrillic letters they look like, both ways.
var (
	latinToCyrillic = map[rune]rune{'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у', 'i': 'і', 'h': 'һ', 'k': 'к',
		'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М', 'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х', 'Y': 'У', 'I': 'І'}
	cyrillicToLatin = func() map[rune]rune {
		m := map[rune]rune{}
		for l, c := range latinToCyrillic {
			m[c] = l
		}
		return m
	}()
)

// foldLookAlikes folds, in each word that mixes Latin and Cyrillic letters,
// the look-alike letters of the script with fewer letters into the other:
// "Иванoв" (a Latin o) becomes "Иванов", "Іvanov" (a Cyrillic І) "Ivanov".
// Letters that look like none are counted for their script; on a tie the
// word is taken for Cyrillic.
func foldLookAlikes(text string) string {
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		latin, cyrillic := 0, 0
		for ; j < len(rs) && unicode.IsLetter(rs[j]); j++ {
			switch {
			case unicode.Is(unicode.Latin, rs[j]):
				latin++
			case unicode.Is(unicode.Cyrillic, rs[j]):
				cyrillic++
			}
		}
		if latin > 0 && cyrillic > 0 {
			to := latinToCyrillic
			if latin > cyrillic {
				to = cyrillicToLatin
			}
			for k := i; k < j; k++ {
				if r, ok := to[rs[k]]; ok {
					rs[k] = r
				}
			}
		}
		i = j
	}
	return string(rs)
}

// bidiControls are the characters that change the order in which a text's
// letters are shown.
const bidiControls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"

// shownForms returns the forms of text the check reads: the text itself,
// and when it holds bidi controls, the text with every right-to-left
// override's span reversed (as a screen shows it) and the whole text
// reversed (an eager guess at what nested controls show).
func shownForms(text string) []string {
	if !strings.ContainsAny(text, bidiControls) {
		return []string{text}
	}
	return []string{text, reverseOverrides(text), reverseRunes(text)}
}

// reverseOverrides reverses each span of text from a right-to-left
// override (U+202E) or embedding/isolate to its end (U+202C, U+2069, a line
// break or the end of the text), as a screen shows letters forced right to
// left.
func reverseOverrides(text string) string {
	var out, span []rune
	in := false
	flush := func() {
		for k := len(span) - 1; k >= 0; k-- {
			out = append(out, span[k])
		}
		span = span[:0]
	}
	for _, r := range text {
		switch {
		case r == '\u202e':
			if in {
				flush()
			}
			in = true
		case in && (r == '\u202c' || r == '\u2069' || r == '\n' || r == '\u2029'):
			flush()
			in = false
			out = append(out, r)
		case in:
			span = append(span, r)
		default:
			out = append(out, r)
		}
	}
	flush()
	return string(out)
}

func reverseRunes(text string) string {
	rs := []rune(text)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// onlyDigits returns the ASCII digits of s.
func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// containsIIN reports whether a run of more than 12 digits holds 12
// consecutive digits shaped like an IIN: a date of birth (YYMMDD) and a
// century-and-sex digit (0-6). A run of exactly 12 digits is flagged
// whatever it holds (a mistyped IIN still identifies a person); no check
// digit is tested for the same reason.
func containsIIN(digits string) bool {
	for i := 0; i+12 <= len(digits); i++ {
		w := digits[i : i+12]
		month := int(w[2]-'0')*10 + int(w[3]-'0')
		day := int(w[4]-'0')*10 + int(w[5]-'0')
		if month >= 1 && month <= 12 && day >= 1 && day <= 31 && w[6] <= '6' {
			return true
		}
	}
	return false
}

// DropBidiControls returns text without the characters that change the
// order in which its letters are shown (bidiControls): a report prints a
// text in the order it was stored and checked (a spreadsheet would
// otherwise show "\u202eвонавИ" as a name), and a formula cannot hide
// behind one from the CSV's guard.
func DropBidiControls(text string) string {
	if !strings.ContainsAny(text, bidiControls) {
		return text
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(bidiControls, r) {
			return -1
		}
		return r
	}, text)
}
