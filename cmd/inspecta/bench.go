package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"inspecta/bench"
)

func init() {
	commands["bench"] = runBench
}

// runBench is "inspecta bench": the performance rows of issue 7 against a
// server started in-process on a temporary database (see BENCHMARKS.md), or,
// with --peer-url, the same visits loaded into Inspecta and a CouchDB-protocol
// peer side by side (scripts/bench-peer).
func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg := bench.DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "small sizes, every row: the test suite's run (its figures mean nothing)")
	visits := fs.Int("visits", 0, "visits pushed in the push row, rendered by the report row (default 20; 2 with --quick)")
	locations := fs.Int("locations", 0, "locations per visit (default 30)")
	devices := fs.Int("devices", 0, "devices pushing at once in the fan-in row (default 100)")
	catchup := fs.Int("catchup", 0, "changes pulled in the catch-up row (default 50000)")
	fs.DurationVar(&cfg.Duration, "duration", 0, "keep the push row going with more visits until it has run this long")
	only := fs.String("rows", "", "comma-separated rows to run: push,wire,fanin,catchup,report,photos (push always runs)")
	jsonPath := fs.String("json", "", "also write the figures as JSON to this file")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile (server and devices: all in this process) to this file")
	fs.StringVar(&cfg.ProfileRow, "profile-row", "", "with --cpuprofile: profile only this row")
	fs.StringVar(&cfg.Dir, "dir", "", "folder for the databases (default: a temporary folder, removed after)")
	peerURL := fs.String("peer-url", "", "compare with a CouchDB-protocol server at this loopback URL instead (scripts/bench-peer)")
	verbose := fs.Bool("v", false, "print each step on stderr")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if *quick {
		q := bench.QuickConfig()
		q.Duration, q.CPUProfile, q.ProfileRow, q.Dir = cfg.Duration, cfg.CPUProfile, cfg.ProfileRow, cfg.Dir
		cfg = q
	}
	for flagValue, field := range map[*int]*int{visits: &cfg.Visits, locations: &cfg.Locations, devices: &cfg.Devices, catchup: &cfg.Catchup} {
		if *flagValue < 0 {
			return fmt.Errorf("sizes must be positive")
		}
		if *flagValue > 0 {
			*field = *flagValue
		}
	}
	if *only != "" {
		for _, r := range strings.Split(*only, ",") {
			r = strings.TrimSpace(r)
			if !slices.Contains(bench.Rows, r) {
				return fmt.Errorf("unknown row %q: use %s", r, strings.Join(bench.Rows, ", "))
			}
			cfg.Only = append(cfg.Only, r)
		}
	}
	if cfg.ProfileRow != "" && !slices.Contains(bench.Rows, cfg.ProfileRow) {
		return fmt.Errorf("unknown row %q for --profile-row: use %s", cfg.ProfileRow, strings.Join(bench.Rows, ", "))
	}
	if *verbose {
		cfg.Progress = stderr
	}
	if *peerURL != "" {
		res, err := bench.RunPeer(ctx, cfg, *peerURL)
		if err != nil {
			return err
		}
		res.WriteTable(stdout)
		if *jsonPath != "" {
			return res.WriteJSON(*jsonPath)
		}
		return nil
	}
	res, err := bench.Run(ctx, cfg)
	if res != nil {
		res.WriteTable(stdout)
		if *jsonPath != "" {
			if werr := res.WriteJSON(*jsonPath); werr != nil && err == nil {
				err = werr
			}
		}
	}
	return err
}
