package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"inspecta/report"
	"inspecta/schema"
)

func init() {
	commands["report"] = runReport
}

const reportUsage = `Usage:
  inspecta report pdf    --facility ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang ru|kk|en] [--detail summary|all] [--include-unapproved] --out FILE [--db FILE] [--by NAME]
  inspecta report region --region CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang ru|kk|en] [--include-unapproved] --out FILE [--db FILE] [--by NAME]
  inspecta report csv    --facility ID | --region CODE --kind observations|indicators|recommendations|access [--from] [--to] [--lang] [--include-unapproved] --out FILE [--db FILE]
  inspecta report annual --from YYYY-MM-DD --to YYYY-MM-DD [--region CODE ...] [--lang ru|kk|en] [--format pdf|csv] [--include-unapproved] --out FILE [--db FILE] [--by NAME]
`

// runReport is "inspecta report pdf|region|csv": it renders a report from the
// database into a file. Bad input names the problem in one sentence and
// writes no file; the report is rendered in full before the file is created.
func runReport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "annual" {
		return runAnnualReport(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "pdf" && args[0] != "region" && args[0] != "csv") {
		fmt.Fprint(stderr, reportUsage)
		if len(args) == 0 {
			return errors.New(`"inspecta report" needs a subcommand: pdf, region or csv`)
		}
		return fmt.Errorf("unknown report subcommand %q: use pdf, region, csv or annual", args[0])
	}
	sub := args[0]
	fs := flag.NewFlagSet("report "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	facility := fs.String("facility", "", "facility id")
	region := fs.String("region", "", "region code (ISO 3166-2:KZ, e.g. KZ-KAR)")
	from := fs.String("from", "", "first day of the period, YYYY-MM-DD (default: no limit)")
	to := fs.String("to", "", "last day of the period, YYYY-MM-DD (default: no limit)")
	lang := fs.String("lang", "ru", "language of the report: ru, kk or en")
	kind := fs.String("kind", "", "CSV export: observations, indicators, recommendations or access")
	out := fs.String("out", "", "file to write")
	by := fs.String("by", "", "who generates the report, printed on its cover (default: the system user)")
	detail := fs.String("detail", "summary", "summary (location tables for the latest visit only) or all (every location of every visit)")
	unapproved := fs.Bool("include-unapproved", false, "confirm that visits not yet approved by the coordinator are exported, marked provisional")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsageShown
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every option takes the form --name value", fs.Arg(0))
	}

	// Check everything that needs no database first.
	req := report.Request{Lang: *lang, GeneratedBy: *by, Detail: *detail, IncludeUnapproved: *unapproved}
	if req.GeneratedBy == "" {
		req.GeneratedBy = os.Getenv("USER")
	}
	var err error
	if req.From, err = report.ParseDate(*from); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	if req.To, err = report.ParseDate(*to); err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if err := req.Validate(); err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("give the file to write with --out FILE")
	case sub == "pdf" && *facility == "":
		return errors.New("give the facility with --facility ID")
	case sub == "region" && *region == "":
		return errors.New("give the region with --region CODE, for example KZ-KAR")
	case sub == "csv" && (*facility == "") == (*region == ""):
		return errors.New("give either --facility ID or --region CODE for the CSV export")
	}
	if *region != "" {
		if _, ok := schema.RegionByCode(*region); !ok {
			return fmt.Errorf("unknown region %q: use an ISO 3166-2:KZ code such as KZ-KAR", *region)
		}
	}
	if sub == "csv" {
		if *kind, err = report.ParseCSVKind(*kind); err != nil {
			return err
		}
	}
	db, err := openExistingDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	b := report.NewBuilder(db)

	var buf bytes.Buffer
	switch {
	case *facility != "":
		rep, err := b.Facility(ctx, *facility, req)
		if errors.Is(err, report.ErrUnknownFacility) {
			return fmt.Errorf("no facility with id %q in %s", *facility, *dbPath)
		}
		if err != nil {
			return err
		}
		if sub == "csv" {
			err = rep.WriteCSV(&buf, *kind)
		} else {
			err = rep.WritePDF(&buf)
		}
		if err != nil {
			return err
		}
	default:
		rep, err := b.Region(ctx, *region, req)
		if err != nil {
			return err
		}
		if sub == "csv" {
			err = rep.WriteCSV(&buf, *kind)
		} else {
			err = rep.WritePDF(&buf)
		}
		if err != nil {
			return err
		}
	}
	return writeReportFile(stdout, *out, buf.Bytes())
}

// writeFileAtomic writes data to a temporary file beside path and renames it,
// so that a failure never leaves half a report under the final name.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".inspecta-report-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// writeReportFile writes a built report to path (atomically) and says so.
func writeReportFile(stdout io.Writer, path string, data []byte) error {
	if err := writeFileAtomic(path, data); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", path, len(data))
	return nil
}
