package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"inspecta/client"
	"inspecta/server"
	"inspecta/store"
)

const defaultDB = "./data/inspecta.db"

// openDB opens the database, turning the common failures into one sentence.
func openDB(ctx context.Context, path string) (*store.DB, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database %s (is the folder writable?): %w", path, err)
	}
	return db, nil
}

// openExistingDB opens a database that must already exist (reports and
// settings read one; they must not create an empty one by a mistyped path).
func openExistingDB(ctx context.Context, path string) (*store.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s: give its path with --db", path)
	}
	return openDB(ctx, path)
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dbPath := fs.String("db", defaultDB, "database file")
	demo := fs.Bool("demo", false, "load the demo data set into an empty database")
	tlsCert := fs.String("tls-cert", "", "TLS certificate file (PEM)")
	tlsKey := fs.String("tls-key", "", "TLS key file (PEM)")
	if err := fs.Parse(args); err != nil {
		return errUsageShown
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	unlock, err := store.LockServe(*dbPath) // inspecta restore refuses while it is held
	if err != nil {
		return err
	}
	defer unlock()
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	srv := server.New(db, log)
	srv.Client = client.Files()
	srv.TLS = *tlsCert != ""
	if *demo {
		if err := loadDemo(ctx, db, srv, stdout); err != nil {
			return err
		}
	}
	var users int
	if err := db.Read(ctx, func(tx *store.Tx) error { users, err = tx.CountUsers(); return err }); err != nil {
		return err
	}
	if users == 0 {
		fmt.Fprintf(stdout, "No user yet. Create the first administrator with:\n  echo 'a-long-password' | inspecta user add --db %s --username admin --role admin --password-stdin\n", *dbPath)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	hs := server.NewHTTPServer(srv)
	scheme := "http"
	if srv.TLS {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "Inspecta %s serving %s://%s (database %s)\n", version, scheme, ln.Addr(), *dbPath)
	errc := make(chan error, 1)
	go srv.SweepUploads(ctx, time.Hour) // uploads under way that no photo can finish
	go func() {
		if srv.TLS {
			errc <- hs.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
