package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"inspecta/report"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// visitStart spreads the generated visits over the last years, a quarter apart.
func visitStart(i int) time.Time {
	return time.Date(2021, 2, 10, 9, 30, 0, 0, time.UTC).AddDate(0, 3*i, 0)
}

// pushRow: one member's device pushes the run's visits, one full visit at a
// time as after a day in the field, through the whole path (client JSON and
// gzip, HTTP, decoding, validation, merge, durable commit). Then SQLite's own
// rate for the rows those operations write is measured on a second file.
func (e *env) pushRow(ctx context.Context, res *Result) error {
	member, err := e.addUser(ctx, "member-push", schema.RoleMember, e.region)
	if err != nil {
		return err
	}
	dev, err := e.login(ctx, "member-push", nil)
	if err != nil {
		return err
	}
	var visits []Visit
	var elapsed time.Duration
	ops, requests := 0, 0
	err = e.profiled("push", func() error {
		for i := 0; i < e.cfg.Visits || elapsed < e.cfg.Duration; i++ {
			facility := e.facility
			if i >= e.cfg.Visits {
				facility = e.facility2
			}
			v := e.gen.NewVisit(facility, []string{member.ID}, e.cfg.Locations, visitStart(i))
			n, err := queue(dev, v)
			if err != nil {
				return err
			}
			before := dev.Requests
			start := time.Now()
			if err := dev.Push(ctx); err != nil {
				return err
			}
			elapsed += time.Since(start)
			if err := e.pushed(dev, n); err != nil {
				return err
			}
			requests += dev.Requests - before
			ops += n
			e.sentObs += v.Observations
			visits = append(visits, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	res.PushVisits, res.PushOps, res.PushRequests = len(visits), ops, requests
	res.PushSeconds = elapsed.Seconds()
	res.PushOpsPerS = float64(ops) / elapsed.Seconds()
	if err := e.diskUse(ctx, res); err != nil {
		return err
	}

	e.progress("baseline: plain inserts of the same rows on a second file")
	if err := e.baseline(ctx, visits, member.ID, dev.State.DeviceID, res); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	res.PushRatio = res.PushOpsPerS / res.BaselineOpsPerS
	return nil
}

// diskUse measures the database's size per observation stored: the pages in
// use as a reader sees them (the WAL's newer pages included), so no
// checkpoint is needed.
func (e *env) diskUse(ctx context.Context, res *Result) error {
	var pages, pageSize, observations int64
	err := e.db.Read(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
			return err
		}
		if err := tx.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
			return err
		}
		return tx.QueryRow("SELECT count(*) FROM observations").Scan(&observations)
	})
	if err != nil {
		return fmt.Errorf("measure disk use: %w", err)
	}
	res.DiskBytes = pages * pageSize
	if observations > 0 {
		res.DiskBytesPerObservation = float64(res.DiskBytes) / float64(observations)
	}
	return nil
}

// rowsPerOp is what applying one new record writes: its op-log row, the
// record's row in its table and its record_index row (the sequence counter's
// update is left out, which flatters the baseline).
const rowsPerOp = 3

// baselineRuns is how many times the baseline's inserts are timed, each on a
// fresh file. One pass takes a few tenths of a second and its rate moved 2×
// between runs minutes apart (fsync, the neighbours' load); the median of
// several is the figure the push is compared with.
const baselineRuns = 5

// baselineRow is one operation's rows, built before the clock starts.
type baselineRow struct {
	opID, typ, id, hlc, fields, visitID, locationID, item, value, note, versions string
	seq                                                                          int64
}

// baseline measures SQLite's own rate for a plain batched insert of the rows
// the push row's operations wrote: the same values into plain tables (primary
// keys only) of a second file opened by store.Open, so with the same DSN
// pragmas (WAL, synchronous=FULL), with prepared statements and one
// transaction per 1,000 operations (3,000 rows), as a push commits. It is
// timed baselineRuns times on fresh files; the median rate is kept.
func (e *env) baseline(ctx context.Context, visits []Visit, userID, deviceID string, res *Result) error {
	var rows []baselineRow
	hlc := isync.Clock{Node: deviceID}
	for _, v := range visits {
		for _, r := range v.Records {
			h := hlc.Next().String()
			f, _ := json.Marshal(r.Fields)
			val, _ := json.Marshal(r.Fields["value"])
			str := func(k string) string { s, _ := r.Fields[k].(string); return s }
			seq := int64(len(rows) + 1)
			versions := map[string]store.FieldVersion{}
			for name := range r.Fields {
				versions[name] = store.FieldVersion{Seq: seq, HLC: h, Device: deviceID}
			}
			ver := store.EncodeVersions(versions)
			rows = append(rows, baselineRow{opID: newID(), typ: string(r.Type), id: r.ID, hlc: h, fields: string(f), visitID: str("visit_id"),
				locationID: str("location_id"), item: str("item"), value: string(val), note: str("note"), versions: ver, seq: seq})
		}
	}
	rates := make([]float64, 0, baselineRuns)
	for run := range baselineRuns {
		secs, err := e.baselinePass(ctx, filepath.Join(e.dir, fmt.Sprintf("baseline-%d.db", run)), rows, userID, deviceID)
		if err != nil {
			return err
		}
		rates = append(rates, float64(len(rows)*rowsPerOp)/secs)
	}
	slices.Sort(rates)
	res.BaselineRows = len(rows) * rowsPerOp
	res.BaselineRowsPerS = rates[len(rates)/2]
	res.BaselineRowsPerSMin, res.BaselineRowsPerSMax = rates[0], rates[len(rates)-1]
	res.BaselineOpsPerS = res.BaselineRowsPerS / rowsPerOp
	return nil
}

// baselinePass inserts rows into plain tables of a new file at path and
// returns the seconds the inserts took; the file is removed after.
func (e *env) baselinePass(ctx context.Context, path string, rows []baselineRow, userID, deviceID string) (float64, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer os.Remove(path)
	defer db.Close()
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`CREATE TABLE plain_ops (op_id TEXT PRIMARY KEY, seq INTEGER, device_id TEXT, user_id TEXT, type TEXT,
				record_id TEXT, action TEXT, hlc TEXT, fields TEXT, status TEXT, received_at TEXT)`,
			`CREATE TABLE plain_records (id TEXT PRIMARY KEY, visit_id TEXT, location_id TEXT, item TEXT, value TEXT,
				note TEXT, author_id TEXT, deleted INTEGER, seq INTEGER)`,
			`CREATE TABLE plain_index (type TEXT, id TEXT, seq INTEGER, region TEXT, visit_id TEXT, author_id TEXT,
				deleted INTEGER, versions TEXT, PRIMARY KEY (type, id)) WITHOUT ROWID`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	now := store.FormatTime(time.Now())
	start := time.Now()
	for i := 0; i < len(rows); i += isync.MaxOpsPerPush {
		batch := rows[i:min(i+isync.MaxOpsPerPush, len(rows))]
		err := db.Write(ctx, func(tx *store.Tx) error {
			insOp, err := tx.Prepare(`INSERT INTO plain_ops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insOp.Close()
			insRec, err := tx.Prepare(`INSERT OR REPLACE INTO plain_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insRec.Close()
			insIdx, err := tx.Prepare(`INSERT OR REPLACE INTO plain_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insIdx.Close()
			for _, r := range batch {
				if _, err := insOp.Exec(r.opID, r.seq, deviceID, userID, r.typ, r.id, "upsert", r.hlc, r.fields, "applied", now); err != nil {
					return err
				}
				if _, err := insRec.Exec(r.id, r.visitID, r.locationID, r.item, r.value, r.note, userID, 0, r.seq); err != nil {
					return err
				}
				if _, err := insIdx.Exec(r.typ, r.id, r.seq, e.region, r.visitID, userID, 0, r.versions); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return time.Since(start).Seconds(), nil
}

// wireRow: a member pushes one full visit from one device and pulls it on a
// second, gzip both ways; requests and bytes as they cross TCP.
func (e *env) wireRow(ctx context.Context, res *Result) error {
	member, err := e.addUser(ctx, "member-wire", schema.RoleMember, e.region)
	if err != nil {
		return err
	}
	var ma, mb Meter
	a, err := e.login(ctx, "member-wire", newHTTPClient(&ma, "", nil))
	if err != nil {
		return err
	}
	b, err := e.login(ctx, "member-wire", newHTTPClient(&mb, "", nil))
	if err != nil {
		return err
	}
	if err := b.Pull(ctx); err != nil { // the facilities, before the visit exists
		return err
	}
	v := e.gen.NewVisit(e.facility2, []string{member.ID}, e.cfg.Locations, visitStart(99))
	n, err := queue(a, v)
	if err != nil {
		return err
	}
	for _, op := range a.State.Outbox { // what the same push weighs as plain JSON
		b, _ := json.Marshal(op)
		res.VisitPushJSONBytes += len(b) + 1
	}
	closeIdle(a.HTTP)
	closeIdle(b.HTTP)
	ma.Reset()
	mb.Reset()
	a.Requests, b.Requests = 0, 0
	if err := e.push(ctx, a); err != nil {
		return err
	}
	e.sentObs += v.Observations
	res.VisitOps, res.VisitObservations = n, v.Observations
	res.VisitPushRequests = a.Requests
	res.VisitPushBytesUp, res.VisitPushBytesDown = ma.Bytes()
	res.BytesPerObservation = float64(ma.Total()) / float64(v.Observations)
	if err := b.Pull(ctx); err != nil {
		return err
	}
	res.VisitPullRequests = b.Requests
	res.VisitPullBytesUp, res.VisitPullBytesDown = mb.Bytes()
	res.PullBytesPerObservation = float64(mb.Total()) / float64(v.Observations)
	got := 0
	for _, r := range b.Records("observation") {
		if r.Fields["visit_id"] == v.ID {
			got++
		}
	}
	if got != v.Observations {
		return fmt.Errorf("the second device holds %d of the visit's %d observations", got, v.Observations)
	}
	return nil
}

// faninRow: Devices members, each on their own device with one full visit in
// the outbox, push at the same moment (as after a training day). All must get
// through, each operation stored once; the latency of each push request counts.
func (e *env) faninRow(ctx context.Context, res *Result) error {
	n := e.cfg.Devices
	type device struct {
		user   *store.User
		c      *isync.Client
		visit  Visit
		ops    int
		err    error
		stored int
	}
	devs := make([]*device, n)
	var lat Latencies
	e.progress("fan-in: %d members sign in", n)
	for i := range devs {
		u, err := e.addUser(ctx, fmt.Sprintf("member-%03d", i+1), schema.RoleMember, e.region)
		if err != nil {
			return err
		}
		devs[i] = &device{user: u}
	}
	var wg gosync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			d.c, d.err = e.login(ctx, d.user.Username, newHTTPClient(&Meter{}, "/api/v1/sync/push", &lat))
		}()
	}
	wg.Wait()
	for i, d := range devs {
		if d.err != nil {
			return fmt.Errorf("sign in %s: %w", d.user.Username, d.err)
		}
		d.visit = e.gen.NewVisit(e.facility2, []string{d.user.ID}, e.cfg.Locations, visitStart(200+i))
		if d.ops, d.err = queue(d.c, d.visit); d.err != nil {
			return d.err
		}
	}
	small, err := e.newSmallPusher(ctx)
	if err != nil {
		return err
	}
	e.progress("fan-in: %d devices push at once", n)
	gate, flooded := make(chan struct{}), make(chan struct{})
	// The small pushes are spread over the flood's expected length.
	expected := time.Duration(float64(n*devs[0].ops) / res.PushOpsPerS * float64(time.Second))
	smallDone := make(chan error, 1)
	sched := startSchedLatency()
	start := time.Now()
	// The devices are phones, each with a CPU of its own; here they share the
	// server's. Encoding and gzipping a full visit is tens of ms of CPU, so a
	// hundred of them at once would keep a hundred goroutines runnable, and
	// every goroutine of the server (the small push's included) would wait
	// in that run queue (the fan-in row's "CPU wait"). So as many devices
	// encode at once as there are CPUs; each lets the next one start when its
	// first request leaves. The CPU spent is the same.
	encoding := make(chan struct{}, runtime.GOMAXPROCS(0))
	err = e.profiled("fanin", func() error {
		for _, d := range devs {
			wg.Add(1)
			var once gosync.Once
			release := func() { once.Do(func() { <-encoding }) }
			d.c.HTTP.Transport.(*timed).sending = release
			go func() {
				defer wg.Done()
				<-gate
				encoding <- struct{}{}
				err := d.c.Push(ctx)
				release()
				if err != nil {
					d.err = err
					return
				}
				d.err = e.pushed(d.c, d.ops)
			}()
		}
		close(gate)
		go func() { smallDone <- small.run(ctx, expected/time.Duration(small.tries+2), flooded) }()
		wg.Wait()
		close(flooded)
		return nil
	})
	if err != nil {
		return err
	}
	wall := time.Since(start)
	if q := sched.quantiles(0.5, 0.99, 1); len(q) == 3 {
		res.FaninSchedP50MS, res.FaninSchedP99MS, res.FaninSchedMaxMS = q[0], q[1], q[2]
	}
	if err := <-smallDone; err != nil {
		return fmt.Errorf("small push during the flood: %w", err)
	}
	res.FaninSmallOps, res.FaninSmallTries, res.FaninSmallDuring = smallPushOps, small.lat.Count(), small.during
	res.FaninSmallP50MS, res.FaninSmallP99MS = ms(small.lat.Quantile(0.5)), ms(small.lat.Quantile(0.99))
	res.FaninSmallSlowest = small.slowestPhases()
	// Count, per device, the operations the database holds as applied.
	err = e.db.Read(ctx, func(tx *store.Tx) error {
		for _, d := range devs {
			// By the device's number in uuid_rows: the view ops writes each
			// device id back as text, which no index holds (store/intern.go).
			if err := tx.QueryRow(`SELECT count(*) FROM op_log WHERE device = (SELECT no FROM uuid_rows WHERE id = ?)
				AND status IN (SELECT no FROM uuid_rows WHERE id IN ('applied', 'conflict'))`,
				store.IDKey(d.c.State.DeviceID)).Scan(&d.stored); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	res.FaninDevices = n
	var firstErr error
	for _, d := range devs {
		if d.err == nil && d.stored == d.ops {
			res.FaninOK++
			e.sentObs += d.visit.Observations
		} else if firstErr == nil {
			firstErr = fmt.Errorf("device of %s: %d operations sent, %d stored, error %v", d.user.Username, d.ops, d.stored, d.err)
		}
		res.FaninOps += d.ops
	}
	res.FaninRequests = lat.Count()
	res.FaninSeconds = wall.Seconds()
	res.FaninOpsPerS = float64(res.FaninOps) / wall.Seconds()
	res.FaninMedianMS = ms(lat.Quantile(0.5))
	res.FaninP99MS = ms(lat.Quantile(0.99))
	res.FaninMaxMS = ms(lat.Quantile(1))
	slowest, timing := lat.Slowest()
	res.FaninSlowest = phases(slowest, timing)
	return firstErr
}

// smallPushOps is the size of the small push sent during the flood: a new
// room and four answers.
const smallPushOps = 5

// smallPusher is a member who, in the middle of the flood, taps Sync with a
// few answers, again and again.
type smallPusher struct {
	e      *env
	c      *isync.Client
	visit  string
	tries  int
	lat    Latencies // each try, from the tap to the answer
	http   Latencies // each try's request, with the server's timing
	during int       // tries answered before the flood ended
}

// slowestPhases is where the slowest try's time went (phases).
func (p *smallPusher) slowestPhases() map[string]float64 {
	p.lat.mu.Lock()
	defer p.lat.mu.Unlock()
	timings := p.http.Timings()
	best := -1
	for i, d := range p.lat.d {
		if best < 0 || d >= p.lat.d[best] {
			best = i
		}
	}
	if best < 0 || best >= len(timings) {
		return nil
	}
	return phases(p.lat.d[best], timings[best])
}

// phases turns a request's total time and its Server-Timing header (with the
// client's c_send, c_wait, c_recv added by timed) into milliseconds: the
// server's phases; "total"; "encode", the device's time before the request
// left (total less the request's round trip); "send", "recv"; and "gap", the
// wait for the answer that the server's phases do not account for (the
// request read before the handler ran, the answer written, the scheduler).
func phases(total time.Duration, timing string) map[string]float64 {
	m := map[string]float64{"total": ms(total)}
	server := 0.0
	for _, part := range strings.Split(timing, ",") {
		name, rest, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		if v, ok := strings.CutPrefix(rest, "dur="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				m[name] = f
				if !strings.HasPrefix(name, "c_") {
					server += f
				}
			}
		} else if v, ok := strings.CutPrefix(rest, "desc="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				m[name] = f
			}
		}
	}
	if wait, ok := m["c_wait"]; ok {
		m["encode"] = max(ms(total)-m["c_send"]-wait-m["c_recv"], 0)
		m["send"], m["recv"] = m["c_send"], m["c_recv"]
		m["gap"] = max(wait-server, 0)
	}
	delete(m, "c_send")
	delete(m, "c_wait")
	delete(m, "c_recv")
	return m
}

// newSmallPusher signs the member in and puts their visit on the server
// before the flood, so each try is just the few new answers.
func (e *env) newSmallPusher(ctx context.Context) (*smallPusher, error) {
	u, err := e.addUser(ctx, "member-small", schema.RoleMember, e.region)
	if err != nil {
		return nil, err
	}
	p := &smallPusher{e: e}
	c, err := e.login(ctx, u.Username, newHTTPClient(&Meter{}, "/api/v1/sync/push", &p.http))
	if err != nil {
		return nil, err
	}
	v := e.gen.NewVisit(e.facility2, []string{u.ID}, 0, visitStart(500))
	if _, err := queue(c, v); err != nil {
		return nil, err
	}
	if err := e.push(ctx, c); err != nil {
		return nil, err
	}
	e.sentObs += v.Observations
	tries := 20
	if e.cfg.Quick {
		tries = 3
	}
	p.http = Latencies{} // the visit's push is not a try
	p.c, p.visit, p.tries = c, v.ID, tries
	return p, nil
}

// run sends the small push p.tries times, every interval (without waiting
// once the flood is over), timing each from the tap to the answer.
func (p *smallPusher) run(ctx context.Context, interval time.Duration, flooded <-chan struct{}) error {
	for i := range p.tries {
		select {
		case <-flooded:
		case <-time.After(interval):
		}
		n := 0
		for _, r := range p.e.gen.SmallChange(p.visit, fmt.Sprintf("Комната свиданий %d", i+1), smallPushOps, visitStart(500)) {
			if _, err := p.c.Upsert(r.Type, r.ID, r.Fields); err != nil {
				return err
			}
			if r.Type == "observation" {
				n++
			}
		}
		start := time.Now()
		if err := p.e.push(ctx, p.c); err != nil {
			return err
		}
		p.lat.add(time.Since(start))
		select {
		case <-flooded:
		default:
			p.during++
		}
		p.e.mu.Lock()
		p.e.sentObs += n
		p.e.mu.Unlock()
	}
	return nil
}

// catchupRow: a coordinator of another region whose region saw Catchup
// changes while the device was away pulls them all from scratch.
func (e *env) catchupRow(ctx context.Context, res *Result) error {
	const region = "KZ-AKM"
	coord, err := e.addUser(ctx, "coord-akm", schema.RoleCoordinator, region)
	if err != nil {
		return err
	}
	e.progress("catch-up: %d changes made in %s through the engine", e.cfg.Catchup, region)
	actor := isync.Actor{UserID: coord.ID, Role: coord.Role, Region: region, DeviceID: "bench-catchup-source"}
	facility := newID()
	clock := &isync.Clock{Node: actor.DeviceID}
	var batch []json.RawMessage
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		resp, err := e.srv.Engine.Push(ctx, actor, batch)
		if err != nil {
			return err
		}
		for _, r := range resp.Results {
			if r.Status != isync.StatusApplied {
				return fmt.Errorf("catch-up setup op %s: %s %+v", r.OpID, r.Status, r.Error)
			}
		}
		e.engineOps += len(batch)
		batch = batch[:0]
		return nil
	}
	add := func(r Record) error {
		fields := map[string]json.RawMessage{}
		for k, v := range r.Fields {
			fields[k], _ = json.Marshal(v)
		}
		raw, _ := json.Marshal(isync.Op{OpID: newID(), Type: r.Type, ID: r.ID, Action: isync.ActionUpsert, HLC: clock.Next().String(), Fields: fields})
		batch = append(batch, raw)
		if len(batch) == isync.MaxOpsPerPush {
			return flush()
		}
		return nil
	}
	if err := add(Record{Type: "facility", ID: facility, Fields: map[string]any{"name": "СИЗО № 1 (замер)", "type": "sizo", "region": region}}); err != nil {
		return err
	}
	records := 1
	for i := 0; records < e.cfg.Catchup; i++ {
		v := e.gen.NewVisit(facility, []string{coord.ID}, e.cfg.Locations, visitStart(i))
		seen := map[string]bool{}
		for _, r := range v.Records {
			isNew := !seen[r.ID]
			if isNew && records == e.cfg.Catchup {
				break // exactly Catchup records: the last visit stops short
			}
			if err := add(r); err != nil {
				return err
			}
			if isNew {
				seen[r.ID] = true
				records++
				if r.Type == "observation" {
					e.sentObs++
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	dev, err := e.login(ctx, "coord-akm", nil)
	if err != nil {
		return err
	}
	dev.Requests = 0
	start := time.Now()
	err = e.profiled("catchup", func() error { return dev.Pull(ctx) })
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	res.CatchupChanges = len(dev.State.Records)
	res.CatchupRequests = dev.Requests
	res.CatchupSeconds = secs
	res.CatchupChangesPerS = float64(res.CatchupChanges) / secs
	if res.CatchupChanges != e.cfg.Catchup {
		return fmt.Errorf("the device holds %d records after catching up; want %d", res.CatchupChanges, e.cfg.Catchup)
	}
	return nil
}

// reportRow renders the facility PDF (Russian) of the push row's visits
// (submitted, exported on confirmation), ReportRuns times in the default
// layout and as many in full detail (every location of every visit, the
// layout reports had before); the medians count.
func (e *env) reportRow(ctx context.Context, res *Result) error {
	bld := report.NewBuilder(e.db)
	runs := max(1, e.cfg.ReportRuns)
	var times, full []time.Duration
	var size int
	render := func(detail string) (time.Duration, int, error) {
		var buf bytes.Buffer
		start := time.Now()
		r, err := bld.Facility(ctx, e.facility, report.Request{Lang: "ru", Detail: detail, IncludeUnapproved: true})
		if err != nil {
			return 0, 0, err
		}
		if err := r.WritePDF(&buf); err != nil {
			return 0, 0, err
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
			return 0, 0, fmt.Errorf("the report is not a PDF")
		}
		return time.Since(start), buf.Len(), nil
	}
	err := e.profiled("report", func() error {
		for range runs {
			d, n, err := render(report.DetailSummary)
			if err != nil {
				return err
			}
			times, size = append(times, d), n
			if d, _, err = render(report.DetailAll); err != nil {
				return err
			}
			full = append(full, d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	sort.Slice(full, func(i, j int) bool { return full[i] < full[j] })
	res.ReportMS = ms(times[len(times)/2])
	res.ReportFullMS = ms(full[len(full)/2])
	res.ReportBytes = size
	res.ReportVisits = e.cfg.Visits
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
