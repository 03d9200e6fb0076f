package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"inspecta/schema"
	"inspecta/store"
	"inspecta/xlsform"
)

func init() {
	commands["checklist"] = runChecklist
}

const checklistUsage = `Usage:
  inspecta checklist import FILE [--activate] [--by NAME] [--db FILE]   (FILE: .xlsx XLSForm or .json)
  inspecta checklist list [--db FILE]
  inspecta checklist activate ID@VERSION [--by NAME] [--db FILE]
  inspecta checklist export ID[@VERSION] --format json|xlsform [--out FILE] [--db FILE]
`

// runChecklist is "inspecta checklist import|list|activate|export": the
// checklists the database holds, each version kept for the visits that use it.
func runChecklist(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, checklistUsage)
		return errors.New(`"inspecta checklist" needs a subcommand: import, list, activate or export`)
	}
	sub := args[0]
	fs := flag.NewFlagSet("checklist "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	activate := fs.Bool("activate", false, "give the imported version to new visits")
	by := fs.String("by", "", "who makes the change, for the audit trail (default: the system user)")
	format := fs.String("format", "", "export format: json or xlsform")
	out := fs.String("out", "", "export to this file (default: standard output, JSON only)")
	// Flags may come after the positional argument: inspecta checklist import f.xlsx --activate.
	var positional []string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return errUsageShown
		}
		rest = fs.Args()
		if len(rest) > 0 {
			positional = append(positional, rest[0])
			rest = rest[1:]
		}
	}
	need := map[string]int{"import": 1, "list": 0, "activate": 1, "export": 1}
	n, known := need[sub]
	if !known {
		fmt.Fprint(stderr, checklistUsage)
		return fmt.Errorf("unknown checklist subcommand %q", sub)
	}
	if len(positional) != n {
		fmt.Fprint(stderr, checklistUsage)
		return fmt.Errorf("checklist %s takes %d argument(s), got %d", sub, n, len(positional))
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "import":
		return checklistImport(ctx, db, positional[0], *activate, actorName(*by), stdout)
	case "list":
		return checklistList(ctx, db, stdout)
	case "activate":
		return db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.ActivateChecklist(positional[0], actorName(*by)); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no checklist version %s is stored (see inspecta checklist list)", positional[0])
				}
				return err
			}
			fmt.Fprintf(stdout, "checklist %s is active: new visits get it; visits already started keep theirs\n", positional[0])
			return nil
		})
	default:
		return checklistExport(ctx, db, positional[0], *format, *out, stdout)
	}
}

// actorName is who the command line acts as in the audit trail.
func actorName(by string) string {
	if by != "" {
		return by
	}
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

func checklistImport(ctx context.Context, db *store.DB, path string, activate bool, by string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read checklist: %w", err)
	}
	t, format, err := xlsform.ReadChecklist(filepath.Base(path), data)
	if err != nil {
		return fmt.Errorf("checklist %s refused, nothing was loaded:\n%w", path, err)
	}
	source := store.SourceJSON
	if format == xlsform.FormatXLSForm {
		source = store.SourceXLSForm
	}
	var created bool
	err = db.Write(ctx, func(tx *store.Tx) error {
		created, err = tx.ImportChecklist(t, source, by, activate)
		return err
	})
	if err != nil {
		return fmt.Errorf("checklist %s refused, nothing was loaded:\n%w", path, err)
	}
	what := "imported"
	if !created {
		what = "already stored with the same content"
	}
	fmt.Fprintf(stdout, "checklist %s %s: %d sections, %d questions, %d indicators\n", t.Ref(), what, len(t.Sections), len(t.Items), len(t.Indicators))
	cat, err := db.Checklists(ctx)
	if err != nil {
		return err
	}
	if cat.IsActive(cat.Template(t.Ref())) {
		fmt.Fprintf(stdout, "checklist %s is active: new visits get it; visits already started keep theirs\n", t.Ref())
	} else {
		fmt.Fprintf(stdout, "not active yet: inspecta checklist activate %s\n", t.Ref())
	}
	return nil
}

func checklistList(ctx context.Context, db *store.DB, stdout io.Writer) error {
	var list []store.ChecklistInfo
	if err := db.Read(ctx, func(tx *store.Tx) error {
		var err error
		list, err = tx.ChecklistInfos()
		return err
	}); err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CHECKLIST\tACTIVE\tSOURCE\tQUESTIONS\tINDICATORS\tVISITS\tIMPORTED\tTITLE")
	for _, c := range list {
		active := ""
		if c.Active {
			active = "active"
			if c.Default {
				active += " (default)"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", c.Ref, active, c.Source, c.Items, c.Indicators, c.Visits, c.ImportedAt, c.Title.In("en"))
	}
	return w.Flush()
}

func checklistExport(ctx context.Context, db *store.DB, ref, format, out string, stdout io.Writer) error {
	cat, err := db.Checklists(ctx)
	if err != nil {
		return err
	}
	t := cat.Template(ref)
	if t == nil {
		return fmt.Errorf("no checklist %s is stored (see inspecta checklist list)", ref)
	}
	data, err := exportChecklist(t, format)
	if err != nil {
		return err
	}
	if out == "" {
		if format == xlsform.FormatXLSForm {
			return errors.New("an XLSForm workbook is written to a file: give --out FILE.xlsx")
		}
		_, err := stdout.Write(append(data, '\n'))
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "checklist %s written to %s\n", t.Ref(), out)
	return nil
}

// exportChecklist writes t as JSON (indented) or an XLSForm workbook.
func exportChecklist(t *schema.Template, format string) ([]byte, error) {
	switch format {
	case xlsform.FormatJSON:
		body, err := store.TemplateJSON(t)
		if err != nil {
			return nil, err
		}
		return xlsform.IndentJSON(body)
	case xlsform.FormatXLSForm:
		return xlsform.Export(t)
	}
	return nil, fmt.Errorf("--format must be json or xlsform, not %q", format)
}
