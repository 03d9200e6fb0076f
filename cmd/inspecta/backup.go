package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
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
	revokeAll := fs.Bool("revoke-all-tokens", false, "sign every phone and desk out: each signs in again, keeping its data (the default when the replaced database cannot be read)")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if *from == "" {
		return errors.New("give --from FILE, the backup to restore, for example --from backups/inspecta-Mon.db")
	}
	r, err := store.RestoreWith(ctx, *dbPath, *from, store.RestoreOptions{RevokeAllTokens: *revokeAll})
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
	fmt.Fprintln(stdout, restoreAccessReport(r.Access))
	fmt.Fprint(stdout, restoreLostReport(r.Lost, r.Aside, time.Now()))
	return nil
}

// restoreLostReport tells the administrator what the restore left out: the
// changes the replaced database stored after the backup, who made them, the
// visits approved or reopened since, and whether phones can still send
// theirs again. Nothing done on the desk is sent again by anyone.
func restoreLostReport(l store.LostChanges, aside string, now time.Time) string {
	var b strings.Builder
	if l.BackupOlderThanResend(now) {
		fmt.Fprintf(&b, "WARNING: the backup's last change is from %s, more than %d days ago; phones send again only their last %d days of operations, "+
			"so what they sent between the backup and then is not coming back\n", l.BackupLast, store.PhoneResendDays, store.PhoneResendDays)
	}
	if !l.Read {
		return b.String()
	}
	if l.Changes == 0 && len(l.Statuses) == 0 {
		b.WriteString("the replaced database held no change made after the backup\n")
		return b.String()
	}
	fmt.Fprintf(&b, "NOT IN THE RESTORED DATABASE: %d change(s) and %d visit status change(s) stored after the backup (still in %s):\n", l.Changes, len(l.Statuses), aside)
	for _, u := range l.ByUser {
		types := make([]string, 0, len(u.ByType))
		for typ, n := range u.ByType {
			types = append(types, fmt.Sprintf("%d %s", n, typ))
		}
		slices.Sort(types)
		fmt.Fprintf(&b, "  %s (%s): %s\n", u.Username, u.Role, strings.Join(types, ", "))
	}
	for _, s := range l.Statuses {
		fmt.Fprintf(&b, "  visit %s of %q %s by %s at %s\n", s.VisitID, s.Facility, s.Status, s.By, s.At)
	}
	b.WriteString("members' phones send their changes again when they sync; what was done on the desk (decisions, approvals, clearances, facility edits) is sent again by no one: redo it on the desk\n")
	return b.String()
}

// restoreAccessReport tells the administrator in plain words what became of
// sign-ins: carried over from the replaced database, or all revoked.
func restoreAccessReport(a store.AccessCarried) string {
	if !a.Read {
		return fmt.Sprintf("the replaced database could not be read (%s), so revocations, password resets, disabled accounts and role changes made after the backup are unknown: "+
			"every sign-in was revoked (%d device(s)); each phone and desk signs in again, keeps its data and sends again what it had sent; "+
			"redo any revocation, password reset, disabling or role change made after the backup", a.Unreadable, a.TokensRevoked)
	}
	s := fmt.Sprintf("carried over from the replaced database: %d device revocation(s), %d device(s) signed in after the backup, %d account(s) with a new password, state or role, %d account(s) made after the backup, %d account event(s) of the audit trail",
		a.DevicesRevoked, a.DevicesAdded, a.UsersChanged, a.UsersAdded, a.AuditEvents)
	if a.TokensRevoked > 0 {
		s += fmt.Sprintf("; every sign-in was revoked as asked (%d device(s)): each signs in again, keeping its data", a.TokensRevoked)
	}
	return s
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
