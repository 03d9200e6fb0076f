// Package bench is the driver behind "inspecta bench" (issue 7): it starts the
// server in-process on a temporary database, behind a real http.Server on
// 127.0.0.1, generates realistic visits from the default checklist, drives
// simulated devices (sync.Client) through the real endpoints and measures what
// a field team feels: push rate against SQLite's own insert rate, bytes on the
// wire, a hundred devices at once, catching up after a week offline, and the
// facility report. Every run also checks that no operation was lost or
// applied twice; a count that does not add up is an error, not a slow figure.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	gosync "sync"
	"time"

	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// Rows are the benchmark's rows, in the order they run.
var Rows = []string{"push", "wire", "fanin", "catchup", "report", "photos"}

// Config sets the sizes of a run.
type Config struct {
	Visits    int // visits pushed in the push row, all at the facility the report row renders
	Locations int // locations per visit
	Devices   int // devices pushing at once in the fan-in row
	Catchup   int // changes a new device pulls in the catch-up row
	// Duration, when longer than the push row's visits take, makes the row go
	// on pushing visits (at another facility) until it has run this long.
	Duration time.Duration
	// ReportRuns is how many times the report is rendered; the median counts.
	ReportRuns int
	// Only limits the run to these rows (all when empty). The push row always
	// runs: the report renders its visits.
	Only []string
	// CPUProfile, when set, is where a CPU profile of the run is written;
	// with ProfileRow, of that row only.
	CPUProfile string
	ProfileRow string
	// Dir holds the databases; a temporary folder, removed after, when "".
	Dir string
	// Progress receives a line per step (nil: none).
	Progress io.Writer
	Quick    bool
	// The photo row: Photos photos of about PhotoBytes each over a link of
	// PhotoLinkBits per second each way that cuts PhotoCutShare of the chunks.
	Photos        int
	PhotoBytes    int
	PhotoLinkBits int64
	PhotoCutShare float64
}

// DefaultConfig is the full run of issue 7.
func DefaultConfig() Config {
	return Config{Visits: 20, Locations: 30, Devices: 100, Catchup: 50_000, ReportRuns: 3,
		Photos: 20, PhotoBytes: 300_000, PhotoLinkBits: 1_000_000, PhotoCutShare: 0.05}
}

// QuickConfig is the short run of the test suite: every row, small sizes.
func QuickConfig() Config {
	return Config{Visits: 2, Locations: 4, Devices: 6, Catchup: 1_500, ReportRuns: 1, Quick: true,
		Photos: 3, PhotoBytes: 300_000, PhotoLinkBits: 16_000_000, PhotoCutShare: 0.3}
}

func (c Config) wants(row string) bool {
	if row == "push" || len(c.Only) == 0 {
		return true
	}
	for _, r := range c.Only {
		if r == row {
			return true
		}
	}
	return false
}

// env is one run: the server on its database, the users and the facilities.
type env struct {
	cfg       Config
	dir       string
	db        *store.DB
	srv       *server.Server
	hs        *http.Server
	url       string
	templates []*schema.Template
	gen       *Generator
	region    string

	coord      *store.User
	coordDev   *isync.Client
	facility   string // the report's facility: the push row's visits
	facility2  string // every other visit
	mu         gosync.Mutex
	clients    []*isync.Client // every device that pushed, for the final count
	sentOps    int             // operations devices sent through push
	engineOps  int             // operations the catch-up setup applied through the engine
	sentObs    int             // observations among them
	profileOn  func()
	profileOff func()
}

const benchRegion = "KZ-KAR"

func password(username string) string { return "bench-password-" + username }

// Run runs the benchmark and returns its figures; an error means it could not
// run or that an operation was lost or duplicated.
func Run(ctx context.Context, cfg Config) (res *Result, err error) {
	started := time.Now()
	e := &env{cfg: cfg, region: benchRegion}
	if e.dir = cfg.Dir; e.dir == "" {
		if e.dir, err = os.MkdirTemp("", "inspecta-bench-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(e.dir)
	}
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return nil, fmt.Errorf("create profile: %w", err)
		}
		defer f.Close()
		e.profileOff = func() {}
		if cfg.ProfileRow == "" {
			if err := pprof.StartCPUProfile(f); err != nil {
				return nil, err
			}
			defer pprof.StopCPUProfile()
		} else {
			e.profileOff = func() { pprof.StopCPUProfile() }
			defer e.profileOff()
			e.profileOn = func() { pprof.StartCPUProfile(f) }
		}
	}
	if err := e.start(ctx); err != nil {
		return nil, err
	}
	defer e.stop()
	res = &Result{Quick: cfg.Quick, NProc: runtime.NumCPU(), GoVersion: runtime.Version(),
		Visits: cfg.Visits, Locations: cfg.Locations}
	if err := e.setup(ctx); err != nil {
		return nil, err
	}
	steps := []struct {
		row string
		fn  func(context.Context, *Result) error
	}{
		{"push", e.pushRow}, {"wire", e.wireRow}, {"fanin", e.faninRow}, {"catchup", e.catchupRow}, {"report", e.reportRow}, {"photos", e.photoRow},
	}
	for _, s := range steps {
		if !cfg.wants(s.row) {
			continue
		}
		e.progress("row %s", s.row)
		if err := s.fn(ctx, res); err != nil {
			return nil, fmt.Errorf("%s row: %w", s.row, err)
		}
	}
	if err := e.verify(ctx, res); err != nil {
		return res, err
	}
	res.Seconds = time.Since(started).Seconds()
	return res, nil
}

func (e *env) progress(format string, args ...any) {
	if e.cfg.Progress != nil {
		fmt.Fprintf(e.cfg.Progress, "bench: "+format+"\n", args...)
	}
}

// profiled runs fn under the CPU profile when the run profiles that row.
func (e *env) profiled(row string, fn func() error) error {
	if e.profileOn != nil && e.cfg.ProfileRow == row {
		e.profileOn()
		defer e.profileOff()
	}
	return fn()
}

// start opens the database and serves the API on a loopback port.
func (e *env) start(ctx context.Context) error {
	var err error
	if e.templates, err = schema.DefaultTemplates(); err != nil {
		return err
	}
	e.gen = NewGenerator(e.templates[0], 7)
	if e.db, err = store.Open(ctx, filepath.Join(e.dir, "inspecta.db")); err != nil {
		return err
	}
	// The bench's users are made up and their sign-in is not measured; a
	// hash at bcrypt's default cost takes seconds under the race detector
	// (TestBenchQuick: a minute of its two was signing 8 members in).
	e.db.PasswordCost = store.MinPasswordCost
	e.srv = server.New(e.db, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.db.Close()
		return fmt.Errorf("listen on loopback: %w", err)
	}
	e.url = "http://" + ln.Addr().String()
	e.hs = server.NewHTTPServer(e.srv)
	go e.hs.Serve(ln)
	return nil
}

func (e *env) stop() {
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e.hs.Shutdown(shut)
	e.db.Close()
}

// setup creates the region's coordinator and the two facilities.
func (e *env) setup(ctx context.Context) error {
	var err error
	if e.coord, err = e.addUser(ctx, "coord", schema.RoleCoordinator, e.region); err != nil {
		return err
	}
	if e.coordDev, err = e.login(ctx, "coord", nil); err != nil {
		return err
	}
	e.facility, e.facility2 = newID(), newID()
	for i, id := range []string{e.facility, e.facility2} {
		if _, err := e.coordDev.Upsert("facility", id, map[string]any{
			"name": fmt.Sprintf("Учреждение ЛА-155/%d (замер)", 14+i), "type": "colony", "region": e.region,
			"authority": "КУИС МВД", "address": "Карагандинская область, г. Караганда", "capacity": 1200}); err != nil {
			return err
		}
	}
	return e.push(ctx, e.coordDev)
}

func (e *env) addUser(ctx context.Context, username, role, region string) (*store.User, error) {
	var u *store.User
	err := e.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUser(store.NewUser{Username: username, Role: role, Region: region, Password: password(username)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create user %s: %w", username, err)
	}
	return u, nil
}

// login signs a new device in over HTTP; hc nil gives it an uncounted client.
func (e *env) login(ctx context.Context, username string, hc *http.Client) (*isync.Client, error) {
	if hc == nil {
		hc = newHTTPClient(&Meter{}, "", nil)
	}
	c, err := isync.Login(ctx, hc, e.url, username, password(username), "bench device of "+username)
	if err != nil {
		return nil, err
	}
	c.Gzip = true
	c.PullSize = isync.MaxPullSize
	e.mu.Lock()
	e.clients = append(e.clients, c)
	e.mu.Unlock()
	return c, nil
}

// queue puts every record of a visit in the device's outbox and returns how
// many operations that made.
func queue(c *isync.Client, v Visit) (int, error) {
	for _, r := range v.Records {
		if _, err := c.Upsert(r.Type, r.ID, r.Fields); err != nil {
			return 0, err
		}
	}
	return len(v.Records), nil
}

// push sends a device's outbox and counts what it sent; anything left in the
// outbox or refused is an error.
func (e *env) push(ctx context.Context, c *isync.Client) error {
	n := len(c.State.Outbox)
	if err := c.Push(ctx); err != nil {
		return err
	}
	return e.pushed(c, n)
}

func (e *env) pushed(c *isync.Client, n int) error {
	if len(c.State.Outbox) != 0 {
		return fmt.Errorf("%d operations still in the outbox after push", len(c.State.Outbox))
	}
	if len(c.State.Rejected) != 0 {
		r := c.State.Rejected[0]
		return fmt.Errorf("%d operations refused, the first %s %s: %s", len(c.State.Rejected), r.Op.Type, r.Error.Field, r.Error.Message)
	}
	e.mu.Lock()
	e.sentOps += n
	e.mu.Unlock()
	return nil
}

// verify checks, in the database, that every operation sent was stored once
// and applied, and every observation made is there once.
func (e *env) verify(ctx context.Context, res *Result) error {
	var stored, refused, quarantined, observations int
	err := e.db.Read(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(`SELECT count(*) FROM ops WHERE status IN ('applied', 'conflict')`).Scan(&stored); err != nil {
			return err
		}
		if err := tx.QueryRow(`SELECT count(*) FROM ops WHERE status = 'rejected'`).Scan(&refused); err != nil {
			return err
		}
		if err := tx.QueryRow(`SELECT count(*) FROM quarantine`).Scan(&quarantined); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT count(*) FROM observations`).Scan(&observations)
	})
	if err != nil {
		return fmt.Errorf("count stored operations: %w", err)
	}
	sent := e.sentOps + e.engineOps
	res.OpsSent, res.OpsStored = sent, stored
	res.OpsLost, res.OpsDuplicated = max(0, sent-stored), max(0, stored-sent)
	res.ObservationsSent, res.ObservationsStored = e.sentObs, observations
	res.Quarantined = quarantined + refused
	for _, c := range e.clients {
		res.OutboxLeft += len(c.State.Outbox)
	}
	var problems []string
	if res.OpsLost > 0 || res.OpsDuplicated > 0 {
		problems = append(problems, fmt.Sprintf("%d operations sent but %d stored", sent, stored))
	}
	if observations != e.sentObs {
		problems = append(problems, fmt.Sprintf("%d observations made but %d stored", e.sentObs, observations))
	}
	if res.Quarantined > 0 {
		problems = append(problems, fmt.Sprintf("%d operations refused or quarantined", res.Quarantined))
	}
	if res.OutboxLeft > 0 {
		problems = append(problems, fmt.Sprintf("%d operations left in outboxes", res.OutboxLeft))
	}
	if e.cfg.wants("fanin") && res.FaninOK != res.FaninDevices {
		problems = append(problems, fmt.Sprintf("fan-in: %d of %d devices got through", res.FaninOK, res.FaninDevices))
	}
	if len(problems) > 0 {
		return errors.New("operations lost or duplicated: " + strings.Join(problems, "; "))
	}
	return nil
}
