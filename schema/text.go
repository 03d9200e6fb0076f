package schema

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TextFault says what is wrong with a text that a record field, an answer
// or a caption may not hold, or "" when nothing is: a control character but
// tab and line breaks (a NUL cuts a name short in a PDF or a CSV, DEL
// likewise), or U+FFFD. U+FFFD is what a JSON decoder makes of a lone UTF-16
// surrogate escape ("\ud83d", which JSON.stringify writes for a text cut in
// the middle of an emoji): stored, teammates would read '�' where the author
// (whose own write is not echoed back) keeps the emoji, so the text is
// refused and the author sends it whole. It is the one rule of characters
// for every text the sync takes (sync's field decoding, the checklist's text
// answers, photo captions). The caller puts the field's name before it.
func TextFault(s string) string {
	i := strings.IndexFunc(s, badTextRune)
	if i < 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError {
		return fmt.Sprintf("holds a broken character at character %d (U+FFFD: a lone UTF-16 surrogate such as \\ud83d, "+
			"left when a text is cut in the middle of an emoji, or a character that could not be read); "+
			"send the text with the whole character, or without it", utf8.RuneCountInString(s[:i])+1)
	}
	return fmt.Sprintf("holds a control character (U+%04X); only line breaks and tabs are kept in a text", r)
}

// badTextRune reports a character no text holds (see TextFault).
func badTextRune(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == utf8.RuneError
}
