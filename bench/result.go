package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// Result is the figures of one run. The JSON keys named in issue 7 are kept
// stable; the others explain them.
type Result struct {
	Quick     bool    `json:"quick"`
	NProc     int     `json:"nproc"`
	GoVersion string  `json:"go_version"`
	Seconds   float64 `json:"run_seconds"`
	Visits    int     `json:"visits"`
	Locations int     `json:"locations"`

	// Push
	PushVisits   int     `json:"push_visits"`
	PushOps      int     `json:"push_ops"`
	PushRequests int     `json:"push_requests"`
	PushSeconds  float64 `json:"push_seconds"`
	PushOpsPerS  float64 `json:"push_ops_per_s"`
	// Disk: database bytes (pages in use, WAL included) ÷ observations
	// stored, measured right after the push row.
	DiskBytes               int64   `json:"disk_bytes"`
	DiskBytesPerObservation float64 `json:"disk_bytes_per_observation"`
	BaselineRows            int     `json:"baseline_rows"`
	BaselineRowsPerS        float64 `json:"baseline_rows_per_s"` // the median of baselineRuns passes
	BaselineRowsPerSMin     float64 `json:"baseline_rows_per_s_min"`
	BaselineRowsPerSMax     float64 `json:"baseline_rows_per_s_max"`
	BaselineOpsPerS         float64 `json:"baseline_ops_per_s"` // baseline_rows_per_s / 3 rows an operation writes
	PushRatio               float64 `json:"push_ratio"`         // push_ops_per_s / baseline_ops_per_s

	// Wire
	VisitOps                int     `json:"visit_ops"`
	VisitObservations       int     `json:"visit_observations"`
	VisitPushRequests       int     `json:"visit_push_requests"`
	VisitPushBytesUp        int64   `json:"visit_push_bytes_up"`
	VisitPushBytesDown      int64   `json:"visit_push_bytes_down"`
	VisitPushJSONBytes      int     `json:"visit_push_json_bytes"` // the ops as plain JSON, before gzip
	BytesPerObservation     float64 `json:"bytes_per_observation"` // push, both directions, per observation
	VisitPullRequests       int     `json:"visit_pull_requests"`
	VisitPullBytesUp        int64   `json:"visit_pull_bytes_up"`
	VisitPullBytesDown      int64   `json:"visit_pull_bytes_down"`
	PullBytesPerObservation float64 `json:"pull_bytes_per_observation"`

	// Fan-in
	FaninDevices  int     `json:"fanin_devices"`
	FaninOK       int     `json:"fanin_ok"`
	FaninOps      int     `json:"fanin_ops"`
	FaninRequests int     `json:"fanin_requests"`
	FaninSeconds  float64 `json:"fanin_seconds"`
	FaninOpsPerS  float64 `json:"fanin_ops_per_s"`
	FaninMedianMS float64 `json:"fanin_median_ms"`
	FaninP99MS    float64 `json:"fanin_p99_ms"`
	FaninMaxMS    float64 `json:"fanin_max_ms"` // the slowest request of the flood
	// A member's push of SmallOps operations, sent FaninSmallTries times
	// while the flood runs (FaninSmallDuring of them answered before it ended).
	FaninSmallOps    int     `json:"fanin_small_ops"`
	FaninSmallTries  int     `json:"fanin_small_tries"`
	FaninSmallDuring int     `json:"fanin_small_during_flood"`
	FaninSmallP50MS  float64 `json:"fanin_small_p50_ms"`
	FaninSmallP99MS  float64 `json:"fanin_small_p99_ms"`
	// Where the slowest small try and the slowest request of the flood spent
	// their time, in ms: the server's Server-Timing phases (auth, slot, read,
	// decode, queue, apply, commit, other, pull; parts is a count), "total",
	// and the client's side (encode, send, gap, recv: see phases).
	FaninSmallSlowest map[string]float64 `json:"fanin_small_slowest_phases_ms,omitempty"`
	FaninSlowest      map[string]float64 `json:"fanin_slowest_phases_ms,omitempty"`
	// How long the process's goroutines (server and devices alike) waited,
	// runnable, for a CPU during the flood (runtime/metrics), ms.
	FaninSchedP50MS float64 `json:"fanin_sched_wait_p50_ms"`
	FaninSchedP99MS float64 `json:"fanin_sched_wait_p99_ms"`
	FaninSchedMaxMS float64 `json:"fanin_sched_wait_max_ms"`

	// Catch-up
	CatchupChanges     int     `json:"catchup_changes"`
	CatchupRequests    int     `json:"catchup_requests"`
	CatchupSeconds     float64 `json:"catchup_seconds"`
	CatchupChangesPerS float64 `json:"catchup_changes_per_s"`

	// Report
	ReportVisits int     `json:"report_visits"`
	ReportMS     float64 `json:"report_ms"`      // default layout
	ReportFullMS float64 `json:"report_full_ms"` // full detail: every location of every visit
	ReportBytes  int     `json:"report_bytes"`

	// Photos: sent over a link of PhotoLinkMbit each way that cut PhotoCuts chunks.
	Photos         int     `json:"photos"`
	PhotoBytes     int64   `json:"photo_bytes"`
	PhotoBytesSent int64   `json:"photo_bytes_sent"` // everything the device sent, cut chunks included
	PhotoSentRatio float64 `json:"photo_sent_ratio"` // photo_bytes_sent / photo_bytes
	PhotoSeconds   float64 `json:"photo_seconds"`    // until every photo was acknowledged
	PhotoCuts      int     `json:"photo_cuts"`
	PhotoLinkMbit  float64 `json:"photo_link_mbit"`

	// Integrity: every operation sent is stored once.
	OpsSent            int `json:"ops_sent"`
	OpsStored          int `json:"ops_stored"`
	OpsLost            int `json:"ops_lost"`
	OpsDuplicated      int `json:"ops_duplicated"`
	ObservationsSent   int `json:"observations_sent"`
	ObservationsStored int `json:"observations_stored"`
	Quarantined        int `json:"quarantined"`
	OutboxLeft         int `json:"outbox_left"`
}

// WriteJSON writes the result to path, indented.
func (r *Result) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteTable prints the result as one table: each row's figure, the baseline
// measured in the same run where there is one, the ratio, and issue 7's target.
func (r *Result) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "Inspecta bench: %d visits × %d locations, %d CPUs, %s%s\n", r.Visits, r.Locations, r.NProc, r.GoVersion,
		map[bool]string{true: " (quick run: sizes too small for the targets)"}[r.Quick])
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tMEASURED\tBASELINE (same run)\tRATIO\tTARGET\t")
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	if r.PushOps > 0 {
		fmt.Fprintf(tw, "Push\t%.0f ops/s (%d ops, %d requests)\t%.0f rows/s plain insert (median of %d, %.0f–%.0f) = %.0f ops/s at %d rows/op\t%.1f %%\t≥ 25 %%: %s\t\n",
			r.PushOpsPerS, r.PushOps, r.PushRequests, r.BaselineRowsPerS, baselineRuns, r.BaselineRowsPerSMin, r.BaselineRowsPerSMax, r.BaselineOpsPerS, rowsPerOp, 100*r.PushRatio, met(r.PushRatio >= 0.25))
	}
	if r.DiskBytesPerObservation > 0 {
		fmt.Fprintf(tw, "Disk\t%.0f B/observation (%.1f MB after the push row)\t\t\t≤ 400 B/obs: %s\t\n",
			r.DiskBytesPerObservation, float64(r.DiskBytes)/1e6, met(r.DiskBytesPerObservation <= 400))
	}
	if r.VisitObservations > 0 {
		gz := float64(r.VisitPushBytesUp) / float64(r.VisitPushJSONBytes)
		fmt.Fprintf(tw, "Wire push\t%d requests, %d B up + %d B down = %.1f B/observation (%d obs)\tops as plain JSON: %d B\tgzip %.0f %%\t≤ 2 requests, ≤ 60 B/obs: %s\t\n",
			r.VisitPushRequests, r.VisitPushBytesUp, r.VisitPushBytesDown, r.BytesPerObservation, r.VisitObservations, r.VisitPushJSONBytes, 100*gz,
			met(r.VisitPushRequests <= 2 && r.BytesPerObservation <= 60))
		fmt.Fprintf(tw, "Wire pull\t%d requests, %d B up + %d B down = %.1f B/observation\t\t\t(no target)\t\n",
			r.VisitPullRequests, r.VisitPullBytesUp, r.VisitPullBytesDown, r.PullBytesPerObservation)
	}
	if r.FaninDevices > 0 {
		fmt.Fprintf(tw, "Fan-in\t%d/%d ok, push p50 %.0f ms, p99 %.0f ms, slowest %.0f ms (%d requests, %.1f s, %.0f ops/s)\tpush row %.0f ops/s\t%.2f\t%d/%d, slowest < 15 s: %s\t\n",
			r.FaninOK, r.FaninDevices, r.FaninMedianMS, r.FaninP99MS, r.FaninMaxMS, r.FaninRequests, r.FaninSeconds, r.FaninOpsPerS,
			r.PushOpsPerS, r.FaninOpsPerS/r.PushOpsPerS, r.FaninDevices, r.FaninDevices, met(r.FaninOK == r.FaninDevices && r.FaninMaxMS < 15000))
		fmt.Fprintf(tw, "Fan-in small\t%d-op push during the flood: p50 %.0f ms, p99 %.0f ms (%d tries, %d during the flood)\t\t\tp99 < 1000 ms: %s\t\n",
			r.FaninSmallOps, r.FaninSmallP50MS, r.FaninSmallP99MS, r.FaninSmallTries, r.FaninSmallDuring, met(r.FaninSmallTries > 0 && r.FaninSmallP99MS < 1000))
		fmt.Fprintf(tw, "  slowest small\t%s\t\t\t\t\n", phaseText(r.FaninSmallSlowest))
		fmt.Fprintf(tw, "  slowest flood\t%s\t\t\t\t\n", phaseText(r.FaninSlowest))
		fmt.Fprintf(tw, "  CPU wait\tgoroutines runnable but waiting for a CPU during the flood: p50 %.2f ms, p99 %.1f ms, max %.0f ms\t\t\t\t\n",
			r.FaninSchedP50MS, r.FaninSchedP99MS, r.FaninSchedMaxMS)
	}
	if r.CatchupChanges > 0 {
		fmt.Fprintf(tw, "Catch-up\t%d changes in %d requests, %.2f s = %.0f changes/s\tplain insert %.0f rows/s\t%.2f\t≤ 50 requests: %s\t\n",
			r.CatchupChanges, r.CatchupRequests, r.CatchupSeconds, r.CatchupChangesPerS, r.BaselineRowsPerS,
			r.CatchupChangesPerS/r.BaselineRowsPerS, met(r.CatchupRequests <= 50))
	}
	if r.ReportVisits > 0 && r.ReportMS > 0 {
		fmt.Fprintf(tw, "Report\t%.0f ms, facility PDF of %d visits × %d locations (%d kB)\tfull detail (old layout) %.0f ms\t%.2f\t< 500 ms: %s\t\n",
			r.ReportMS, r.ReportVisits, r.Locations, r.ReportBytes/1024, r.ReportFullMS, r.ReportMS/max(r.ReportFullMS, 0.001), met(r.ReportMS < 500))
	}
	if r.Photos > 0 {
		ideal := float64(r.PhotoBytes) * 8 / (r.PhotoLinkMbit * 1e6)
		fmt.Fprintf(tw, "Photos\t%d photos (%.0f kB) acknowledged in %.1f s over %.0f Mbit/s with %d chunks cut; sent %.0f kB = %.3f × the photos\tthe bytes alone take %.1f s\t%.2f\t≤ 1.1 × the bytes: %s\t\n",
			r.Photos, float64(r.PhotoBytes)/1000, r.PhotoSeconds, r.PhotoLinkMbit, r.PhotoCuts, float64(r.PhotoBytesSent)/1000, r.PhotoSentRatio,
			ideal, r.PhotoSeconds/ideal, met(r.PhotoSentRatio <= 1.1))
	}
	tw.Flush()
	fmt.Fprintf(w, "Integrity: %d operations sent, %d stored (%d lost, %d duplicated); %d observations made, %d stored; %d refused; %d left in outboxes.\n",
		r.OpsSent, r.OpsStored, r.OpsLost, r.OpsDuplicated, r.ObservationsSent, r.ObservationsStored, r.Quarantined, r.OutboxLeft)
}

// phaseText writes a request's phases (ms) in the Server-Timing order.
func phaseText(m map[string]float64) string {
	if m == nil {
		return "no timing"
	}
	var parts []string
	for _, name := range []string{"total", "auth", "slot", "read", "decode", "queue", "apply", "commit", "other", "pull", "encode", "send", "gap", "recv"} {
		if v, ok := m[name]; ok && (v >= 0.5 || name == "total" || name == "queue") {
			parts = append(parts, fmt.Sprintf("%s %.0f", name, v))
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" ms; %.0f parts", m["parts"])
}
