package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"inspecta/demo"
	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

func init() {
	commands["demo"] = runDemo
}

// runDemo is "inspecta demo [--db FILE]": it loads the demo data set into an
// empty database and prints the demo accounts.
func runDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file (must hold no facility and no user)")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := demo.Load(ctx, db, isync.NewEngine(db))
	if err != nil {
		return err
	}
	printDemo(stdout, res)
	return nil
}

// loadDemo loads the demo data set for "serve --demo" through the server's
// engine and prints the demo accounts.
func loadDemo(ctx context.Context, db *store.DB, srv *server.Server, stdout io.Writer) error {
	res, err := demo.Load(ctx, db, srv.Engine)
	if errors.Is(err, demo.ErrNotEmpty) {
		// Running the README's command a second time must still start the server.
		fmt.Fprintln(stdout, "The database already holds data, so the demo data set was not loaded again.")
		fmt.Fprintln(stdout, "Sign in with the accounts printed the first time, or set a new password with: inspecta user passwd --username demo-admin --password-stdin")
		return nil
	}
	if err != nil {
		return err
	}
	printDemo(stdout, res)
	return nil
}

// printDemo prints what was loaded and the demo accounts with their passwords,
// which are shown only here.
func printDemo(w io.Writer, res *demo.Result) {
	fmt.Fprintln(w, "Demo data loaded (illustrative, drawn from the NGO Coalition's 2023 report to the UN CAT)")
	fmt.Fprintf(w, "%d facilities, %d visits, %d observations, %d recommendations, %d refusals or delays of access,\n",
		res.Facilities, res.Visits, res.Observations, res.Recommendations, res.Obstructions)
	fmt.Fprintf(w, "%d private interviews (categories only); every record is marked demo,\n", res.Interviews)
	fmt.Fprintln(w, "and every value the report does not give is invented and says so in its note.")
	fmt.Fprintln(w, "Demo accounts (the passwords are shown only now):")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tREGION\tPASSWORD")
	for _, a := range res.Accounts {
		region := a.Region
		switch a.Role {
		case schema.RoleStaff:
			region = "all (read)"
		case schema.RoleAdmin:
			region = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, a.Role, region, a.Password)
	}
	tw.Flush()
}
