package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"inspecta/store"
	isync "inspecta/sync"
)

var binary string // built once by TestMain with the Dockerfile's flags

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "inspecta-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "inspecta")
	args, err := dockerBuildArgs()
	if err == nil {
		cmd := exec.Command("go", append(append([]string{"build"}, args...), "-o", binary, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, berr := cmd.CombinedOutput(); berr != nil {
			err = fmt.Errorf("go build %v: %v\n%s", args, berr, out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the binary as the Dockerfile does:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// dockerBuildArgs reads the flags of the Dockerfile's `go build` line, so the
// binary tested here is built exactly as the image's.
func dockerBuildArgs() ([]string, error) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`CGO_ENABLED=1 go build (.*) -o \S+ \./cmd/inspecta`).FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no `CGO_ENABLED=1 go build … -o … ./cmd/inspecta` line in the Dockerfile")
	}
	line := strings.ReplaceAll(string(m[1]), "${VERSION}", "test")
	var args []string
	for _, f := range regexp.MustCompile(`"[^"]*"|\S+`).FindAllString(line, -1) {
		args = append(args, strings.Trim(f, `"`))
	}
	return args, nil
}

func inspecta(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

func TestVersionFromBuildFlags(t *testing.T) {
	t.Parallel()
	out, _, err := inspecta(t, "", "version")
	if err != nil || strings.TrimSpace(out) != "inspecta test" {
		t.Errorf("inspecta version = %q, %v; want \"inspecta test\" (set by the Dockerfile's -ldflags)", out, err)
	}
}

func TestCommandLineBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "inspecta.db")
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string // part of the one sentence on stderr
	}{
		{"unknown role", "password-123456\n", []string{"user", "add", "--db", db, "--username", "a", "--role", "boss", "--password-stdin"}, "unknown role"},
		{"missing region", "password-123456\n", []string{"user", "add", "--db", db, "--username", "a", "--role", "member", "--password-stdin"}, "needs a region"},
		{"unknown region", "password-123456\n", []string{"user", "add", "--db", db, "--username", "a", "--role", "member", "--region", "KZ-MARS", "--password-stdin"}, "unknown region"},
		{"short password", "short\n", []string{"user", "add", "--db", db, "--username", "a", "--role", "admin", "--password-stdin"}, "at least 10"},
		{"database cannot be written", "password-123456\n", []string{"user", "add", "--db", "/proc/inspecta/x.db", "--username", "a", "--role", "admin", "--password-stdin"}, "cannot open the database"},
		{"unknown command", "", []string{"frobnicate"}, "unknown command"},
	}
	for _, c := range cases {
		_, stderr, err := inspecta(t, c.stdin, c.args...)
		if err == nil {
			t.Errorf("%s: exit 0; want non-zero", c.name)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%s: stderr = %q; want it to say %q", c.name, stderr, c.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("bad input created or changed the database (%v); want nothing written", err)
	}
	// And good input works, while listing shows the user.
	addCoordinator(t, db)
	if out, _, err := inspecta(t, "", "user", "list", "--db", db); err != nil || !strings.Contains(out, "coord") || !strings.Contains(out, "KZ-KAR") {
		t.Errorf("user list = %q, %v; want the coordinator", out, err)
	}
}

// serverStartLimit bounds the wait for a started server to answer. A start
// takes a second or two; the bound is for a machine whose 2 cores serve many
// test runs at once (the process tests run side by side), where loading the
// demo alone has taken over a minute.
const serverStartLimit = 3 * time.Minute

// serverProcess runs `inspecta serve` as a real process.
type serverProcess struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{} // closed when the process has exited
}

func startServer(t *testing.T, db, addr string) *serverProcess {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--db", db, "--addr", addr)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, addr: addr, done: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		announced := false
		for sc.Scan() {
			if !announced && strings.Contains(sc.Text(), "serving") {
				announced = true
				close(ready)
			}
		}
		cmd.Wait() // after the last read of stdout, as os/exec requires
		close(p.done)
	}()
	select {
	case <-ready:
	case <-p.done:
		t.Fatal("server exited before it started serving")
	case <-time.After(serverStartLimit):
		cmd.Process.Kill()
		t.Fatalf("server did not start within %v", serverStartLimit)
	}
	return p
}

// kill ends the process with SIGKILL, as a power cut or the OOM killer would,
// and waits until it is gone.
func (p *serverProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// killingTransport kills the server once a push request's body has been
// sent in full, after a random delay of 0 to 30 ms, so that the server dies
// while it is reading or applying the batch.
type killingTransport struct {
	server *serverProcess
	armed  bool
	delay  time.Duration
	killed chan struct{} // closed once the kill was sent
}

func (k *killingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if k.armed && strings.HasSuffix(req.URL.Path, "/sync/push") && req.Body != nil {
		k.armed = false
		req.Body = &killAfterBody{ReadCloser: req.Body, kill: func() {
			time.Sleep(k.delay)
			k.server.kill()
			close(k.killed)
		}}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// killAfterBody starts kill once the body has been read to its end.
type killAfterBody struct {
	io.ReadCloser
	kill func()
	once gosync.Once
}

func (b *killAfterBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(func() { go b.kill() })
	}
	return n, err
}

// TestServerKilledDuringPush: the server process is killed (SIGKILL) while a
// push is in flight; after a restart the device pushes again; every operation
// is stored exactly once.
func TestServerKilledDuringPush(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "inspecta.db")
	addCoordinator(t, db)
	addr := freeAddr(t)
	srv := startServer(t, db, addr)
	defer func() { srv.kill() }()
	seed := time.Now().UnixNano()
	if v := os.Getenv("INSPECTA_KILL_SEED"); v != "" {
		seed, _ = strconv.ParseInt(v, 10, 64)
	}
	delay := time.Duration(rand.New(rand.NewSource(seed)).Int63n(int64(30 * time.Millisecond)))
	t.Logf("kill delay %v after the push body is sent (seed %d; rerun with INSPECTA_KILL_SEED=%d)", delay, seed, seed)
	transport := &killingTransport{server: srv, delay: delay, killed: make(chan struct{})}
	device, err := isync.Login(ctx, &http.Client{Transport: transport, Timeout: 30 * time.Second}, "http://"+addr, "coord", "password-123456", "phone")
	if err != nil {
		t.Fatal(err)
	}

	facilityID, visitID := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	device.Upsert("facility", facilityID, map[string]any{"name": "SIZO No. 61", "type": "sizo", "region": "KZ-KAR"})
	device.Upsert("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"})
	made := 2
	items := []string{"cell_area_m2", "persons_present", "sleeping_places", "air_temperature_c", "toilets_working"}
	for l := range 200 {
		loc := uuid.Must(uuid.NewV7()).String()
		device.Upsert("location", loc, map[string]any{"visit_id": visitID, "label": fmt.Sprintf("Cell %d", l), "kind": "cell"})
		made++
		for i, item := range items {
			device.Upsert("observation", uuid.Must(uuid.NewV7()).String(),
				map[string]any{"visit_id": visitID, "location_id": loc, "item": item, "value": 5 + (l+i)%10})
			made++
		}
	}
	// The outbox is built in memory and then saved once, before the push:
	// saving the whole state with fsync after each of the 1,202 changes took
	// many minutes on a busy disk, and the crash this test is about comes
	// during the push, with everything already on the phone's disk.
	device.StatePath = filepath.Join(dir, "device.json")
	if err := device.Save(); err != nil {
		t.Fatal(err)
	}
	transport.armed = true
	pushErr := device.Push(ctx)
	<-transport.killed
	<-srv.done
	left := len(device.State.Outbox)
	if pushErr == nil || left == 0 {
		t.Fatalf("the kill did not land mid-push (push error %v, %d of %d operations unacknowledged; seed %d): the test proved nothing",
			pushErr, left, made, seed)
	}
	t.Logf("server killed mid-push with %d of %d operations unacknowledged", left, made)

	// The phone restarts too: its outbox comes back from disk.
	device, err = isync.LoadClient(&http.Client{Timeout: 30 * time.Second}, device.StatePath)
	if err != nil {
		t.Fatal(err)
	}
	srv = startServer(t, db, addr)
	if err := device.Sync(ctx); err != nil {
		t.Fatalf("sync after restart: %v", err)
	}
	if n := len(device.State.Outbox); n != 0 {
		t.Errorf("%d operations still waiting after the restart", n)
	}
	srv.kill()

	sdb, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	count := func(q string) int {
		var n int
		if err := sdb.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(q).Scan(&n) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM ops WHERE status = 'applied'"); n != made {
		t.Errorf("op log holds %d applied operations; want %d, each once", n, made)
	}
	if n := count("SELECT count(*) FROM observations"); n != made-2-200 {
		t.Errorf("%d observations stored; want %d", n, made-2-200)
	}
	if n := count("SELECT count(*) FROM locations"); n != 200 {
		t.Errorf("%d locations stored; want 200", n)
	}
	var integrity string
	sdb.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow("PRAGMA integrity_check").Scan(&integrity) })
	if integrity != "ok" {
		t.Errorf("integrity_check = %q after the crash; want ok", integrity)
	}
}

// TestBackupDuringLoad: a backup taken while a device pushes restores to a
// database that passes `inspecta check` and holds every operation
// acknowledged before the backup began.
func TestBackupDuringLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "inspecta.db")
	addCoordinator(t, db)
	srv := startServer(t, db, freeAddr(t))
	defer srv.kill()
	device, err := isync.Login(ctx, nil, "http://"+srv.addr, "coord", "password-123456", "phone")
	if err != nil {
		t.Fatal(err)
	}
	facilityID, visitID := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	device.Upsert("facility", facilityID, map[string]any{"name": "IVS Saran", "type": "ivs", "region": "KZ-KAR"})
	device.Upsert("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"})
	var acknowledged []string // op ids, in the order their pushes were answered
	push := func() {
		var ids []string
		for _, op := range device.State.Outbox {
			ids = append(ids, op.OpID)
		}
		if err := device.Push(ctx); err != nil {
			t.Fatalf("push: %v", err)
		}
		acknowledged = append(acknowledged, ids...)
	}
	push()
	backup := filepath.Join(dir, "backup.db")
	backupDone := make(chan error, 1)
	var ackedBeforeBackup int
	for batch := 0; batch < 12; batch++ {
		for l := range 40 {
			loc := uuid.Must(uuid.NewV7()).String()
			device.Upsert("location", loc, map[string]any{"visit_id": visitID, "label": fmt.Sprintf("Cell %d-%d", batch, l)})
			device.Upsert("observation", uuid.Must(uuid.NewV7()).String(),
				map[string]any{"visit_id": visitID, "location_id": loc, "item": "persons_present", "value": l % 9})
		}
		push()
		if batch == 4 {
			ackedBeforeBackup = len(acknowledged)
			go func() {
				_, stderr, err := inspecta(t, "", "backup", "--db", db, "--out", backup)
				if err != nil {
					err = fmt.Errorf("%v: %s", err, stderr)
				}
				backupDone <- err
			}()
		}
	}
	if err := <-backupDone; err != nil {
		t.Fatalf("backup during load: %v", err)
	}
	if out, stderr, err := inspecta(t, "", "check", "--db", backup); err != nil {
		t.Fatalf("inspecta check on the backup: %v\n%s%s", err, out, stderr)
	}
	bdb, err := store.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if missing := notStoredOnce(t, bdb, acknowledged[:ackedBeforeBackup]); missing > 0 {
		t.Errorf("%d of the %d operations acknowledged before the backup began are not in it", missing, ackedBeforeBackup)
	}
	// A second backup to the same file is refused rather than overwriting it.
	if _, stderr, err := inspecta(t, "", "backup", "--db", db, "--out", backup); err == nil || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing file: err = %v, stderr = %q; want a refusal", err, stderr)
	}
}

// TestChaosKillAndRestart: three devices push for a fixed time while the
// server is killed with SIGKILL and restarted at random moments. Afterwards
// every acknowledged operation is stored exactly once, every operation ever
// made is stored (the devices keep them until acknowledged), and
// `inspecta check` passes.
func TestChaosKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos run: not in -short")
	}
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "inspecta.db")
	addCoordinator(t, db)
	addr := freeAddr(t)
	srvMu := make(chan *serverProcess, 1)
	srvMu <- startServer(t, db, addr)
	hc := &http.Client{Timeout: 5 * time.Second}

	const devices = 3
	type result struct {
		made, acked []string
		err         error
	}
	results := make(chan result, devices)
	// The chaos lasts 20 s and at least 5 kills: on a loaded machine a
	// restart can take seconds, so the time alone would not promise the kills.
	deadline := time.Now().Add(20 * time.Second)
	stop := make(chan struct{})
	chaos := func() bool {
		select {
		case <-stop:
			return false
		default:
			return true
		}
	}
	facilityID := uuid.Must(uuid.NewV7()).String()
	for d := range devices {
		var device *isync.Client
		var err error
		for range 50 { // the server may be down at this moment
			if device, err = isync.Login(ctx, hc, "http://"+addr, "coord", "password-123456", fmt.Sprintf("phone %d", d)); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		device.StatePath = filepath.Join(dir, fmt.Sprintf("device%d.json", d))
		go func() {
			var r result
			visitID := uuid.Must(uuid.NewV7()).String()
			device.Upsert("facility", facilityID, map[string]any{"name": "Colony No. 15", "type": "colony", "region": "KZ-KAR"})
			device.Upsert("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"})
			for _, op := range device.State.Outbox {
				r.made = append(r.made, op.OpID)
			}
			for n := 0; chaos(); n++ {
				loc := uuid.Must(uuid.NewV7()).String()
				for _, f := range []map[string]any{{"visit_id": visitID, "label": fmt.Sprintf("Cell %d", n)}} {
					op, _ := device.Upsert("location", loc, f)
					r.made = append(r.made, op.OpID)
				}
				for i, item := range []string{"cell_area_m2", "persons_present", "air_temperature_c"} {
					op, _ := device.Upsert("observation", uuid.Must(uuid.NewV7()).String(),
						map[string]any{"visit_id": visitID, "location_id": loc, "item": item, "value": 5 + (n+i)%9})
					r.made = append(r.made, op.OpID)
				}
				pending := map[string]bool{}
				for _, op := range device.State.Outbox {
					pending[op.OpID] = true
				}
				if device.Push(ctx) == nil {
					for id := range pending {
						r.acked = append(r.acked, id)
					}
				}
			}
			// The connection is back for good: push until nothing is left.
			for attempt := 0; len(device.State.Outbox) > 0 && attempt < 200; attempt++ {
				if device.Push(ctx) != nil {
					time.Sleep(100 * time.Millisecond)
				}
			}
			if n := len(device.State.Outbox); n > 0 {
				r.err = fmt.Errorf("%d operations never acknowledged", n)
			}
			results <- r
		}()
	}
	// The killer: SIGKILL at random moments, restart at once on the same address.
	kills := 0
	for time.Now().Before(deadline) || kills < 5 {
		time.Sleep(time.Duration(700+time.Now().UnixNano()%1500) * time.Millisecond)
		srv := <-srvMu
		srv.kill()
		kills++
		srvMu <- startServer(t, db, addr)
	}
	close(stop)
	var made, acked []string
	for range devices {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
		}
		made, acked = append(made, r.made...), append(acked, r.acked...)
	}
	(<-srvMu).kill()
	t.Logf("%d kills; %d operations made, %d acknowledged during the chaos", kills, len(made), len(acked))
	if kills < 5 {
		t.Errorf("only %d kills in the run; want at least 5", kills)
	}
	if out, stderr, err := inspecta(t, "", "check", "--db", db); err != nil {
		t.Errorf("inspecta check after the chaos: %v\n%s%s", err, out, stderr)
	}
	sdb, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if missing := notStoredOnce(t, sdb, made); missing > 0 {
		t.Errorf("%d of %d operations are not stored exactly once", missing, len(made))
	}
	var total int
	sdb.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow("SELECT count(*) FROM ops WHERE device_id <> ''").Scan(&total)
	})
	if total != len(made) {
		t.Errorf("op log holds %d device operations; the devices made %d", total, len(made))
	}
}

// TestServeDemoTwice: the README's first command works on a fresh machine and
// again on the second day, when the demo is already loaded.
func TestServeDemoTwice(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "data", "inspecta.db")
	for run := 1; run <= 2; run++ {
		addr := freeAddr(t)
		cmd := exec.Command(binary, "serve", "--demo", "--db", db, "--addr", addr)
		var out strings.Builder
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(serverStartLimit)
		var resp *http.Response
		var err error
		for time.Now().Before(deadline) {
			if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: server not up within %v: %v\n%s", run, serverStartLimit, err, out.String())
		}
		resp.Body.Close()
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("run %d: serve did not shut down cleanly on SIGTERM: %v", run, err)
		}
		want := map[int]string{1: "demo-coordinator", 2: "not loaded again"}[run]
		if !strings.Contains(out.String(), want) {
			t.Errorf("run %d printed %q; want it to mention %q", run, out.String(), want)
		}
	}
}

// addCoordinator creates the user "coord" (password "password-123456"), a
// coordinator of KZ-KAR, with the real command.
func addCoordinator(t *testing.T, db string) {
	t.Helper()
	if _, stderr, err := inspecta(t, "password-123456\n", "user", "add", "--db", db, "--username", "coord",
		"--role", "coordinator", "--region", "KZ-KAR", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v %s", err, stderr)
	}
}

// notStoredOnce counts the operations of ids that the op log does not hold
// exactly once as applied.
func notStoredOnce(t *testing.T, db *store.DB, ids []string) int {
	t.Helper()
	missing := 0
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for _, id := range ids {
			var n int
			if err := tx.QueryRow("SELECT count(*) FROM ops WHERE op_id = ? AND status = 'applied'", id).Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				missing++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return missing
}
