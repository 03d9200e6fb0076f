package bench

import (
	"math"
	"runtime/metrics"
)

// schedLatency reads the Go runtime's histogram of how long goroutines waited,
// runnable, for a CPU: the server and the bench's devices share this process,
// so a request can wait in the run queue behind the devices' own work (every
// device of the fan-in row encodes and gzips its visit at the same moment),
// which a server whose devices are phones does not see.
type schedLatency struct{ start *metrics.Float64Histogram }

const schedLatencyMetric = "/sched/latencies:seconds"

func startSchedLatency() schedLatency {
	return schedLatency{start: readSchedLatency()}
}

func readSchedLatency() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: schedLatencyMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return s[0].Value.Float64Histogram()
}

// quantiles returns the q-quantiles (ms, each the upper bound of its bucket)
// of the waits since start.
func (l schedLatency) quantiles(qs ...float64) []float64 {
	end := readSchedLatency()
	out := make([]float64, len(qs))
	if l.start == nil || end == nil || len(end.Counts) != len(l.start.Counts) {
		return out
	}
	counts := make([]uint64, len(end.Counts))
	var total uint64
	for i := range counts {
		counts[i] = end.Counts[i] - l.start.Counts[i]
		total += counts[i]
	}
	if total == 0 {
		return out
	}
	for j, q := range qs {
		want := uint64(math.Ceil(q * float64(total)))
		var seen uint64
		for i, c := range counts {
			seen += c
			if seen >= want {
				upper := end.Buckets[i+1]
				if math.IsInf(upper, 1) {
					upper = end.Buckets[i]
				}
				out[j] = upper * 1000
				break
			}
		}
	}
	return out
}
