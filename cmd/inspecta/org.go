package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"inspecta/store"
)

func init() {
	commands["org"] = runOrg
}

const orgUsage = `Usage:
  inspecta org show [--db FILE]
  inspecta org set [--name-ru T] [--name-kk T] [--name-en T] [--short-ru T] [--short-kk T] [--short-en T]
                   [--what-ru T] [--what-kk T] [--what-en T] [--address T] [--contact T]
                   [--logo FILE.png | --no-logo] [--by NAME] [--db FILE]
`

// runOrg is "inspecta org show|set": the organisation that issues the
// reports. "set" changes only the fields it is given.
func runOrg(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "set") {
		fmt.Fprint(stderr, orgUsage)
		return errors.New(`"inspecta org" needs a subcommand: show or set`)
	}
	fs := flag.NewFlagSet("org "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	texts := map[string]*string{}
	for _, f := range []struct{ name, help string }{
		{"name-ru", "full name in Russian"}, {"name-kk", "full name in Kazakh"}, {"name-en", "full name in English"},
		{"short-ru", "short name in Russian"}, {"short-kk", "short name in Kazakh"}, {"short-en", "short name in English"},
		{"what-ru", "what the organisation is, in Russian"}, {"what-kk", "what it is, in Kazakh"},
		{"what-en", `what it is, in English (e.g. "NGO coalition; members of the NPM")`},
		{"address", "postal address"}, {"contact", "contact (e-mail, telephone)"},
	} {
		texts[f.name] = fs.String(f.name, "", f.help)
	}
	logo := fs.String("logo", "", "PNG file of the logo (at most 256 KiB, 2000×2000 pixels)")
	noLogo := fs.Bool("no-logo", false, "remove the logo")
	by := fs.String("by", "", "who makes the change, for the audit trail (default: the system user)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsageShown
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every option takes the form --name value", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if args[0] == "show" && len(given) > 0 && !(len(given) == 1 && given["db"]) {
		return errors.New(`"inspecta org show" takes only --db`)
	}
	var logoBytes []byte
	if *logo != "" {
		if *noLogo {
			return errors.New("give either --logo or --no-logo, not both")
		}
		raw, err := os.ReadFile(*logo)
		if err != nil {
			return fmt.Errorf("read the logo: %w", err)
		}
		if logoBytes, err = store.NormalizeLogo(raw); err != nil {
			return err
		}
	}
	db, err := openExistingDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "show" {
		var org *store.Org
		if err := db.Read(ctx, func(tx *store.Tx) error { org, err = tx.Org(); return err }); err != nil {
			return err
		}
		printOrg(stdout, org)
		return nil
	}
	who := *by
	if who == "" {
		who = systemUser()
	}
	var org *store.Org
	err = db.Write(ctx, func(tx *store.Tx) error {
		if org, err = tx.Org(); err != nil {
			return err
		}
		fields := map[string]*string{
			"name-ru": &org.NameRu, "name-kk": &org.NameKk, "name-en": &org.NameEn,
			"short-ru": &org.ShortNameRu, "short-kk": &org.ShortNameKk, "short-en": &org.ShortNameEn,
			"what-ru": &org.WhatRu, "what-kk": &org.WhatKk, "what-en": &org.WhatEn,
			"address": &org.Address, "contact": &org.Contact,
		}
		for name, dst := range fields {
			if given[name] {
				*dst = strings.TrimSpace(*texts[name])
			}
		}
		if logoBytes != nil {
			org.Logo = logoBytes
		}
		if *noLogo {
			org.Logo = nil
		}
		org.Demo = false // set by hand: no longer the demo's settings
		if field, err := org.Validate(); err != nil {
			return fmt.Errorf("--%s: %w", strings.NewReplacer("short_name_", "short-", "_", "-").Replace(field), err)
		}
		return tx.SetOrg(org, "", "cli:"+who)
	})
	if err != nil {
		return err
	}
	printOrg(stdout, org)
	return nil
}

func printOrg(w io.Writer, o *store.Org) {
	if !o.IsSet() {
		fmt.Fprintln(w, "No organisation set: reports say so in their header. Set it with \"inspecta org set --name-ru … --name-kk … --name-en …\".")
		return
	}
	rows := [][2]string{
		{"name (ru)", o.NameRu}, {"name (kk)", o.NameKk}, {"name (en)", o.NameEn},
		{"short name (ru)", o.ShortNameRu}, {"short name (kk)", o.ShortNameKk}, {"short name (en)", o.ShortNameEn},
		{"what it is (ru)", o.WhatRu}, {"what it is (kk)", o.WhatKk}, {"what it is (en)", o.WhatEn},
		{"address", o.Address}, {"contact", o.Contact},
	}
	logo := "none"
	if o.HasLogo {
		logo = fmt.Sprintf("PNG, %d bytes", len(o.Logo))
	}
	rows = append(rows, [2]string{"logo", logo}, [2]string{"demo", fmt.Sprint(o.Demo)},
		[2]string{"updated", strings.TrimSpace(o.UpdatedAt + " by " + o.UpdatedBy)})
	for _, r := range rows {
		fmt.Fprintf(w, "%-17s %s\n", r[0]+":", r[1])
	}
}
