package main

import (
	"os"
	"strings"
	"testing"
)

// testdata/gotest.json is the real `go test -json` of four small packages: a
// passing one, one with a failing subtest, a skip and a logging test, one that
// does not build, and one that panics.
func TestRunWritesWhatPlainGoTestWrites(t *testing.T) {
	in, err := os.Open("testdata/gotest.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out strings.Builder
	failed, err := run(in, &out, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !failed {
		t.Errorf("run(…) reports success for a run with failures; want failed")
	}
	got := out.String()
	for _, want := range []string{
		"ok  \ttj/b\t",                          // closing line of a passing package, as CI reads it
		"FAIL\ttj/a\t",                          // and of a failing one
		"    a_test.go:4: boom\n",               // a failing subtest's log
		"--- FAIL: TestFails/sub",               // its verdict
		"c/c_test.go:3:39: cannot use",          // a build error
		"FAIL\ttj/c [build failed]",             // and its package line
		"panic: assignment to entry in nil map", // a panic's trace
		"\nSlowest 4 tests:\n",
		"a.TestSlow",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"a_test.go:3: hello", "--- PASS", "a_test.go:5: no", "\nPASS\n"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output has %q, which a plain go test run hides:\n%s", unwanted, got)
		}
	}
	// The failing subtest's lines come in the order the test wrote them.
	if i, j := strings.Index(got, "=== RUN   TestFails/sub"), strings.Index(got, "--- FAIL: TestFails (0.00s)"); i < 0 || j < i {
		t.Errorf("subtest output out of order:\n%s", got)
	}
}

func TestRunSlowestFirst(t *testing.T) {
	in := strings.NewReader(`{"Action":"pass","Package":"m/p","Test":"TestQuick","Elapsed":0.5}
{"Action":"pass","Package":"m/p","Test":"TestSlow","Elapsed":42.25}
{"Action":"pass","Package":"m/p","Test":"TestSlow/sub","Elapsed":40}
{"Action":"pass","Package":"m/q","Test":"TestMiddle","Elapsed":3}
{"Action":"output","Package":"m/p","Output":"ok  \tm/p\t43s\n"}
{"Action":"pass","Package":"m/p","Elapsed":43}
go vet said something
`)
	var out strings.Builder
	failed, err := run(in, &out, 2)
	if err != nil || failed {
		t.Fatalf("run = %v, %v; want no failure", failed, err)
	}
	got := out.String()
	want := "Slowest 2 tests:\n      42.2s  p.TestSlow\n       3.0s  q.TestMiddle\n"
	if !strings.Contains(got, want) {
		t.Errorf("output:\n%s\nwant it to contain:\n%s", got, want)
	}
	if strings.Contains(got, "TestSlow/sub") || strings.Contains(got, "TestQuick") {
		t.Errorf("subtests or tests beyond the slowest 2 listed:\n%s", got)
	}
	if !strings.Contains(got, "go vet said something\n") || !strings.Contains(got, "ok  \tm/p\t43s\n") {
		t.Errorf("lines that are not events, or package lines, were dropped:\n%s", got)
	}
}
