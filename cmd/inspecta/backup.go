package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"inspecta/store"
)

func init() {
	commands["backup"] = runBackup
	commands["check"] = runCheck
	commands["restore"] = runRestore
}

// runRestore: inspecta restore --from FILE [--db FILE], with the server stopped.
func runRestore(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file to replace")
	from := fs.String("from", "", "backup file to restore (it is copied, not changed)")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if *from == "" {
		return errors.New("give --from FILE, the backup to restore, for example --from backups/inspecta-Mon.db")
	}
	r, err := store.Restore(ctx, *dbPath, *from)
	if errors.Is(err, store.ErrServerRunning) {
		return fmt.Errorf("%w (inspecta serve holds %s.lock)", err, *dbPath)
	}
	if err != nil {
		return err
	}
	if r.Aside != "" {
		fmt.Fprintf(stdout, "kept the replaced database as %s\n", r.Aside)
	}
	fmt.Fprintf(stdout, "restored %s from %s (checked); new database generation %s: devices pull again and send their last 30 days of operations\n",
		*dbPath, *from, r.Generation)
	return nil
}

// runBackup: inspecta backup --out FILE [--db FILE], safe while the server runs.
func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	out := fs.String("out", "", "file to write the backup to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if *out == "" {
		return errors.New("give --out FILE, for example --out backups/inspecta-" + time.Now().Format("2006-01-02") + ".db")
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s", *dbPath)
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	problems, err := checkFile(ctx, *out)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the backup %s was written but fails its check: %s", *out, problems[0])
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %s; the copy passes inspecta check\n", *dbPath, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// runCheck: inspecta check [--db FILE].
func runCheck(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("no database at %s", *dbPath)
	}
	problems, err := checkFile(ctx, *dbPath)
	if err != nil {
		return err
	}
	for _, w := range store.CheckFileModes(*dbPath) {
		fmt.Fprintln(stdout, "warning:", w)
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s failed the check with %d problem(s)", *dbPath, len(problems))
	}
	fmt.Fprintf(stdout, "%s passes the integrity, foreign-key and application checks\n", *dbPath)
	return nil
}

func checkFile(ctx context.Context, path string) ([]string, error) {
	db, err := openDB(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Check(ctx)
}
