package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is one event of a Chromium trace (Trace Event Format).
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`
	Dur  float64         `json:"dur"`
	Pid  int64           `json:"pid"`
	Tid  int64           `json:"tid"`
	Args json.RawMessage `json:"args"`
}

// startTrace records a Chromium trace of the tab when
// INSPECTA_WEAKLINK_TRACE=1 (a debugging aid); the returned function stops
// it and logs every task of the page's main thread over 50 ms with where its
// time went (the browser's own work by name: parsing, style, layout,
// IndexedDB, garbage collection; JavaScript by function).
func startTrace(t *testing.T, ctx context.Context) func() {
	if os.Getenv("INSPECTA_WEAKLINK_TRACE") == "" {
		return func() {}
	}
	var mu sync.Mutex
	var events []traceEvent
	done := make(chan struct{})
	var once sync.Once
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				var te traceEvent
				if json.Unmarshal([]byte(v), &te) == nil {
					events = append(events, te)
				}
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			once.Do(func() { close(done) })
		}
	}); err != nil {
		t.Fatal(err)
	}
	cats := []string{"toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "IndexedDB", "blink.user_timing", "__metadata"}
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig: &tracing.TraceConfig{IncludedCategories: cats, RecordMode: tracing.TraceConfigRecordModeRecordContinuously, TraceBufferSizeInKb: 400000}}); err != nil {
		t.Fatalf("start trace: %v", err)
	}
	// JavaScript samples, on the same clock as the trace, name the functions of a task.
	startSampling(t, ctx)
	return func() {
		prof, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			t.Fatalf("end trace: %v", err)
		}
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatal("trace never completed")
		}
		mu.Lock()
		defer mu.Unlock()
		for _, line := range longTaskReport(events, jsSamples(prof.Profile), 50000) {
			t.Log(line)
		}
	}
}

// longTaskReport lists the top-level tasks of renderer main threads longer
// than minUs, each with the self time of what ran in it, largest first.
func longTaskReport(events []traceEvent, samples []jsSample, minUs float64) []string {
	type thread struct{ pid, tid int64 }
	main := map[thread]bool{}
	for _, e := range events {
		if e.Ph == "M" && e.Name == "thread_name" && strings.Contains(string(e.Args), "CrRendererMain") {
			main[thread{e.Pid, e.Tid}] = true
		}
	}
	var t0 float64
	byThread := map[thread][]traceEvent{}
	for _, e := range events {
		if e.Ph != "X" || !main[thread{e.Pid, e.Tid}] {
			continue
		}
		if t0 == 0 || e.Ts < t0 {
			t0 = e.Ts
		}
		byThread[thread{e.Pid, e.Tid}] = append(byThread[thread{e.Pid, e.Tid}], e)
	}
	var out []string
	for _, evs := range byThread {
		slices.SortStableFunc(evs, func(a, b traceEvent) int {
			if a.Ts != b.Ts {
				if a.Ts < b.Ts {
					return -1
				}
				return 1
			}
			if a.Dur > b.Dur {
				return -1
			}
			if a.Dur < b.Dur {
				return 1
			}
			return 0
		})
		for i := 0; i < len(evs); i++ {
			top := evs[i]
			if top.Name != "RunTask" && top.Name != "ThreadControllerImpl::RunTask" {
				continue
			}
			end := top.Ts + top.Dur
			j := i + 1
			for j < len(evs) && evs[j].Ts < end {
				j++
			}
			if top.Dur >= minUs {
				out = append(out, fmt.Sprintf("task %.0f ms at %.0f ms: %s | js: %s", top.Dur/1000, (top.Ts-t0)/1000, selfTimes(evs[i:j]), jsIn(samples, top.Ts, end)))
			}
			i = j - 1
		}
	}
	return out
}

// selfTimes sums, over nested events (the first encloses the others), the
// time of each kind of event that no inner event accounts for.
func selfTimes(evs []traceEvent) string {
	self := map[string]float64{}
	type open struct {
		end   float64
		label string
	}
	var stack []open
	var lastTs float64
	charge := func(upTo float64) {
		if len(stack) > 0 && upTo > lastTs {
			self[stack[len(stack)-1].label] += upTo - lastTs
		}
		lastTs = upTo
	}
	for _, e := range evs {
		for len(stack) > 0 && stack[len(stack)-1].end <= e.Ts {
			charge(stack[len(stack)-1].end)
			stack = stack[:len(stack)-1]
		}
		charge(e.Ts)
		stack = append(stack, open{e.Ts + e.Dur, traceLabel(e)})
	}
	for len(stack) > 0 {
		charge(stack[len(stack)-1].end)
		stack = stack[:len(stack)-1]
	}
	type kv struct {
		k string
		v float64
	}
	var list []kv
	for k, v := range self {
		list = append(list, kv{k, v})
	}
	slices.SortFunc(list, func(a, b kv) int { return int(b.v - a.v) })
	var parts []string
	for _, e := range list[:min(7, len(list))] {
		if e.v >= 1000 {
			parts = append(parts, fmt.Sprintf("%s %.0f", e.k, e.v/1000))
		}
	}
	return strings.Join(parts, "; ")
}

// traceLabel names an event for the report: its name, with the function,
// script or event type its arguments give.
func traceLabel(e traceEvent) string {
	var a struct {
		Data struct {
			FunctionName string `json:"functionName"`
			URL          string `json:"url"`
			LineNumber   int    `json:"lineNumber"`
			Type         string `json:"type"`
			StackTrace   []struct {
				FunctionName string `json:"functionName"`
				URL          string `json:"url"`
				LineNumber   int    `json:"lineNumber"`
			} `json:"stackTrace"`
		} `json:"data"`
	}
	json.Unmarshal(e.Args, &a)
	d := a.Data
	file := func(u string) string { return u[strings.LastIndex(u, "/")+1:] }
	switch {
	case d.FunctionName != "" || (d.URL != "" && e.Name == "FunctionCall"):
		return fmt.Sprintf("%s(%s %s:%d)", e.Name, d.FunctionName, file(d.URL), d.LineNumber)
	case d.Type != "":
		return fmt.Sprintf("%s(%s)", e.Name, d.Type)
	case d.URL != "":
		return fmt.Sprintf("%s(%s)", e.Name, file(d.URL))
	}
	return e.Name
}

// jsSample is one sample of the JavaScript profiler: when, and the function
// on top of the stack (with its caller, for the builtins and the browser's
// own entries).
type jsSample struct {
	at   float64
	name string
}

func jsSamples(p *profiler.Profile) []jsSample {
	if p == nil {
		return nil
	}
	byID := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(id int64) string {
		cf := byID[id].CallFrame
		file := cf.URL[strings.LastIndex(cf.URL, "/")+1:]
		if file == "" {
			return cf.FunctionName
		}
		return fmt.Sprintf("%s %s:%d", cf.FunctionName, file, cf.LineNumber+1)
	}
	var out []jsSample
	at := p.StartTime
	for i, id := range p.Samples {
		at += float64(p.TimeDeltas[i])
		n := name(id)
		if strings.HasPrefix(n, "(") {
			continue
		}
		// A builtin or a browser API: name the app's function that called it.
		for up, ok := parent[id]; ok && !strings.Contains(n, ".js:"); up, ok = parent[up] {
			if pn := name(up); strings.Contains(pn, ".js:") {
				n += " < " + pn
				break
			}
		}
		out = append(out, jsSample{at, n})
	}
	return out
}

// jsIn sums the samples between from and to (µs) by function, largest first.
func jsIn(samples []jsSample, from, to float64) string {
	ms := map[string]float64{}
	for _, s := range samples {
		if s.at >= from && s.at < to {
			ms[s.name] += 0.5
		}
	}
	type kv struct {
		k string
		v float64
	}
	var list []kv
	for k, v := range ms {
		list = append(list, kv{k, v})
	}
	slices.SortFunc(list, func(a, b kv) int { return int(b.v - a.v) })
	var parts []string
	for _, e := range list[:min(6, len(list))] {
		parts = append(parts, fmt.Sprintf("%s ~%.0f", e.k, e.v))
	}
	return strings.Join(parts, "; ")
}
