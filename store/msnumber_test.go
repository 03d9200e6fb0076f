package store

import (
	"math/rand/v2"
	"testing"
	"time"
)

// msNumberByTime is msNumber as it was first written: time.Parse, and the
// text written back compared.
func msNumberByTime(text string) (int64, bool) {
	if len(text) != len(opTimeLayout) {
		return 0, false
	}
	t, err := time.Parse(opTimeLayout, text)
	if err != nil {
		return 0, false
	}
	ms := t.UnixMilli()
	if ms < 0 || ms > maxOpMillis || msText(ms) != text {
		return 0, false
	}
	return ms, true
}

// TestMsNumberAgreesWithTime: the hand-read time of the op log takes
// exactly the texts time.Parse takes and writes back as they were, with the
// same number: a time taken wrongly would be written back as another.
func TestMsNumberAgreesWithTime(t *testing.T) {
	texts := []string{"2026-11-30T10:01:39.123Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z",
		"2024-02-29T12:00:00.000Z", "2023-02-29T12:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
		"2026-00-10T00:00:00.000Z", "2026-01-00T00:00:00.000Z", "2026-01-01T24:00:00.000Z", "2026-01-01T23:60:00.000Z",
		"2026-01-01T23:59:60.000Z", "2026-01-01T23:59:59.000z", "2026-01-01 23:59:59.000Z", "2026-01-01T23:59:59,000Z",
		"2026-1-01T23:59:59.0000Z", "+026-01-01T23:59:59.000Z", "2026-01-01T23:59:59.00aZ", "2026-01-01T23:59:59.000", "",
		"2100-02-29T00:00:00.000Z", "2000-02-29T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "2026-01-01T-1:59:59.000Z"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		ms := r.Int64N(maxOpMillis + 1)
		b := []byte(msText(ms))
		texts = append(texts, string(b))
		for range 2 { // and a digit or sign changed somewhere
			b[r.IntN(len(b))] = "0123456789-:.TZ+ "[r.IntN(17)]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		got, gotOK := msNumber(s)
		want, wantOK := msNumberByTime(s)
		if got != want || gotOK != wantOK {
			t.Errorf("%q: msNumber gives %d, %v; time.Parse and back gives %d, %v", s, got, gotOK, want, wantOK)
		}
	}
}
