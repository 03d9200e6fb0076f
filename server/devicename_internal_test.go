package server

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDeviceNameCutAtAWholeCharacter: a device's name was cut at 200 bytes,
// which split a Cyrillic or emoji character and stored bytes that are not
// UTF-8 (every later answer listing the device showed '�'). It is cut at 200
// characters and loses the characters no text holds.
func TestDeviceNameCutAtAWholeCharacter(t *testing.T) {
	for in, want := range map[string]string{
		strings.Repeat("я", 250):    strings.Repeat("я", 200),
		"Phone\x00 of Aida \uFFFD😀": "Phone of Aida 😀",
		"Redmi Note 12":             "Redmi Note 12",
	} {
		got := deviceName(in)
		if got != want || !utf8.ValidString(got) {
			t.Errorf("deviceName(%q) = %q; want %q", in, got, want)
		}
	}
}
