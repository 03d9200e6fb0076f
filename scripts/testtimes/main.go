// Command testtimes reads `go test -json` on standard input and writes what a
// plain `go test` run would have written (each package's closing line, the
// output of failing tests, build errors), then the slowest tests and packages.
// It exits 1 when a test or package failed, so `scripts/test` fails with it.
//
//	go test -json ./... | go run ./scripts/testtimes
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	Test        string
	Elapsed     float64 // seconds
	Output      string
	FailedBuild string
}

// timing is how long one test or package took.
type timing struct {
	Name    string
	Seconds float64
	Failed  bool
}

// summary gathers the run as events arrive.
type summary struct {
	out      io.Writer
	buffered map[string]*strings.Builder // output of running top-level tests (with their subtests), by package and test
	tests    []timing                    // top-level tests that finished
	packages []timing
	failed   bool
}

func newSummary(out io.Writer) *summary {
	return &summary{out: out, buffered: map[string]*strings.Builder{}}
}

func key(pkg, test string) string { return pkg + "\x00" + test }

// add handles one event: package lines and build errors are written at once;
// a test's output is held until it ends and written only if it failed.
func (s *summary) add(e event) {
	switch e.Action {
	case "build-output":
		fmt.Fprint(s.out, e.Output)
	case "build-fail":
		s.failed = true
	case "output":
		if e.Test == "" {
			if strings.TrimSpace(e.Output) != "PASS" { // a plain run does not print it either
				fmt.Fprint(s.out, e.Output)
			}
			return
		}
		k := key(e.Package, topLevel(e.Test))
		b := s.buffered[k]
		if b == nil {
			b = &strings.Builder{}
			s.buffered[k] = b
		}
		b.WriteString(e.Output)
	case "pass", "fail", "skip":
		if e.Action == "fail" {
			s.failed = true
		}
		if e.Test == "" {
			if e.Action == "fail" {
				s.flushRunning(e.Package) // e.g. a panic or a timeout
			}
			if e.Action != "skip" {
				s.packages = append(s.packages, timing{e.Package, e.Elapsed, e.Action == "fail"})
			}
			return
		}
		if topLevel(e.Test) != e.Test {
			return // a subtest: its output is written with its top-level test's
		}
		k := key(e.Package, e.Test)
		if b := s.buffered[k]; b != nil && e.Action == "fail" {
			fmt.Fprint(s.out, b.String())
		}
		delete(s.buffered, k)
		if e.Action != "skip" {
			s.tests = append(s.tests, timing{shortPackage(e.Package) + "." + e.Test, e.Elapsed, e.Action == "fail"})
		}
	}
}

// flushRunning writes the output of a failed package's tests that never
// finished, so a panic or a timeout shows where it happened.
func (s *summary) flushRunning(pkg string) {
	var keys []string
	for k := range s.buffered {
		if strings.HasPrefix(k, pkg+"\x00") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprint(s.out, s.buffered[k].String())
		delete(s.buffered, k)
	}
}

// topLevel is the top-level test of a (sub)test: "TestA/b/c" → "TestA".
func topLevel(test string) string {
	if i := strings.IndexByte(test, '/'); i >= 0 {
		return test[:i]
	}
	return test
}

// shortPackage drops the module name: "inspecta/sync" → "sync".
func shortPackage(p string) string {
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// report writes the n slowest tests and every package by time.
func (s *summary) report(n int) {
	byTime := func(ts []timing) {
		sort.SliceStable(ts, func(i, j int) bool { return ts[i].Seconds > ts[j].Seconds })
	}
	byTime(s.tests)
	byTime(s.packages)
	fmt.Fprintf(s.out, "\nSlowest %d tests:\n", min(n, len(s.tests)))
	for _, t := range s.tests[:min(n, len(s.tests))] {
		fmt.Fprintf(s.out, "  %8.1fs  %s%s\n", t.Seconds, t.Name, failMark(t.Failed))
	}
	fmt.Fprintf(s.out, "Packages by time (%d):\n", len(s.packages))
	for _, p := range s.packages {
		fmt.Fprintf(s.out, "  %8.1fs  %s%s\n", p.Seconds, shortPackage(p.Name), failMark(p.Failed))
	}
}

func failMark(failed bool) string {
	if failed {
		return "  FAIL"
	}
	return ""
}

// run reads events from in until it ends; a line that is not an event is
// passed through as it is (go vet, the go command's own messages).
func run(in io.Reader, out io.Writer, slowest int) (failed bool, err error) {
	s := newSummary(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || e.Action == "" {
			fmt.Fprintf(out, "%s\n", line)
			continue
		}
		s.add(e)
	}
	if err := sc.Err(); err != nil {
		return true, fmt.Errorf("read go test -json: %w", err)
	}
	for pkg := range packagesOf(s.buffered) { // input ended mid-test: show what there is
		s.flushRunning(pkg)
	}
	s.report(slowest)
	return s.failed, nil
}

func packagesOf(buffered map[string]*strings.Builder) map[string]bool {
	pkgs := map[string]bool{}
	for k := range buffered {
		pkgs[k[:strings.IndexByte(k, 0)]] = true
	}
	return pkgs
}

func main() {
	start := time.Now()
	failed, err := run(os.Stdin, os.Stdout, 10)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testtimes:", err)
		os.Exit(1)
	}
	fmt.Printf("Go tests: %s of wall time\n", time.Since(start).Round(time.Second))
	if failed {
		os.Exit(1)
	}
}
