// Package assets holds the files embedded into the binary that more than one
// part of Inspecta may use: the DejaVu Sans fonts, which cover Cyrillic and
// every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І), with their licence in fonts/LICENSE.
package assets

import (
	"embed"
	"sync"
)

// Fonts holds fonts/*.ttf and fonts/LICENSE.
//
//go:embed fonts/*.ttf fonts/LICENSE
var Fonts embed.FS

func mustRead(name string) func() []byte {
	return sync.OnceValue(func() []byte {
		b, err := Fonts.ReadFile(name)
		if err != nil {
			panic("assets: " + err.Error()) // embedded at build time: cannot be missing
		}
		return b
	})
}

var (
	regular = mustRead("fonts/DejaVuSans.ttf")
	bold    = mustRead("fonts/DejaVuSans-Bold.ttf")
	license = mustRead("fonts/LICENSE")
)

// DejaVuSans returns the regular DejaVu Sans TrueType font. The slice is
// shared: callers must not modify it.
func DejaVuSans() []byte { return regular() }

// DejaVuSansBold returns the bold DejaVu Sans TrueType font. The slice is
// shared: callers must not modify it.
func DejaVuSansBold() []byte { return bold() }

// FontLicense returns the DejaVu licence text (Bitstream Vera and Arev), which
// travels with the fonts.
func FontLicense() string { return string(license()) }
