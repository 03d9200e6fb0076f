package store

import (
	"testing"
)

func TestNaturalCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"Cell 2", "Cell 10", -1},
		{"Cell 10", "Cell 2", 1},
		{"Камера 3", "камера 3", 0},
		{"Cell 02", "Cell 2", 0},
		{"Cell", "Cell 1", -1},
		{"Ward 1", "Cell 9", 1},
	}
	for _, tc := range tests {
		if got := NaturalCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("NaturalCompare(%q, %q) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
