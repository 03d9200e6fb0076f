package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"inspecta/store"
)

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(`"inspecta user" needs a subcommand: add, list, passwd, revoke or unlock`)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	username := fs.String("username", "", "username")
	name := fs.String("name", "", "full name shown to others")
	role := fs.String("role", "", "member, coordinator, staff or admin")
	region := fs.String("region", "", "ISO 3166-2:KZ region code (members and coordinators)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	deviceID := fs.String("device", "", "device id (revoke)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsageShown
	}
	readPassword := func() (string, error) {
		if !*passwordStdin {
			return "", errors.New("give the password on standard input with --password-stdin, so it stays out of the shell history")
		}
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	switch args[0] {
	case "add":
		nu := store.NewUser{Username: *username, Name: *name, Role: *role, Region: *region}
		// Check everything that needs no database first, so bad input changes nothing.
		if err := nu.ValidateAccount(); err != nil {
			return err
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		nu.Password = pw
		if err := nu.Validate(); err != nil {
			return err
		}
		db, err := openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		var u *store.User
		if err := db.Write(ctx, func(tx *store.Tx) error {
			var err error
			if u, err = tx.CreateUser(nu); err != nil {
				return err
			}
			return tx.AddAuditEvent("", "user_created", u.ID, u.Role+" "+u.Region, "command line")
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (id %s)\n", u.Role, u.Username, u.ID)
		return nil
	case "list":
		db, err := openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		var users []*store.User
		if err := db.Read(ctx, func(tx *store.Tx) error { users, err = tx.Users(); return err }); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tREGION\tNAME\tID")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.Region, u.Name, u.ID)
		}
		return tw.Flush()
	case "passwd":
		if *username == "" {
			return errors.New("give --username")
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		db, err := openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.Write(ctx, func(tx *store.Tx) error {
			u, err := tx.UserByUsername(*username)
			if err != nil {
				return fmt.Errorf("no user %q", *username)
			}
			return tx.SetPassword(u.ID, pw)
		})
	case "revoke":
		if *deviceID == "" {
			return errors.New("give --device ID")
		}
		db, err := openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.RevokeDevice(*deviceID, ""); err != nil {
				return fmt.Errorf("no active device %q", *deviceID)
			}
			return tx.AddAuditEvent("", "device_revoked", *deviceID, "", "command line")
		})
	case "unlock":
		if *username == "" {
			return errors.New("give --username")
		}
		db, err := openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.UnlockSignIn(*username); err != nil {
				return err
			}
			return tx.AddAuditEvent("", "signin_unlocked", *username, "", "command line")
		})
	}
	return fmt.Errorf("unknown user subcommand %q: use add, list, passwd, revoke or unlock", args[0])
}
