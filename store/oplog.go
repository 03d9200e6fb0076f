package store

import (
	"fmt"
	"strings"
	"time"
)

// OpLogRow is one operation as the op log keeps it (migration 0015): what
// the view ops reads back, column for column.
type OpLogRow struct {
	OpID       string
	Seq        int64 // 0: none (a rejected operation)
	DeviceID   string
	UserID     string
	Type       string
	RecordID   string
	Action     string
	HLC        string
	Fields     string // JSON; "" is the column's default, {}
	Status     string
	ConflictID string
	ErrorField string
	ErrorCode  string
	ErrorMsg   string
	ReceivedAt string
	// IfNew leaves the log as it is when it holds the op_id already.
	IfNew bool
	// Answer, for an applied operation on an answer (an observation), is
	// the answer's item and place: the log leaves them out of the fields
	// when the view can write them back from the answer (migration 0017).
	Answer *NaturalKey
}

// LogOp writes an operation to the op log, with numbers for its ids and
// words (uuids) and for its clock stamp, time and visit when they can be
// written back exactly (see migration 0015).
func (tx *Tx) LogOp(o OpLogRow) error {
	nos, err := tx.internAll(o.DeviceID, o.UserID, o.Type, o.RecordID, o.Action, o.Status)
	if err != nil {
		return fmt.Errorf("log op: %w", err)
	}
	var seq any
	if o.Seq != 0 {
		seq = o.Seq
	}
	var clock any = o.HLC
	if n, ok := clockNumber(o.HLC, o.DeviceID); ok {
		clock = n
	}
	var received any = o.ReceivedAt
	if ms, ok := msNumber(o.ReceivedAt); ok {
		received = ms
	}
	fields := o.Fields
	if fields == "" {
		fields = "{}"
	}
	full, visitID, keyed := fields, "", 0
	if lean, id, ok := leaveOutVisit(fields); ok {
		fields, visitID = lean, id
	}
	var item, location string
	if o.Answer != nil {
		item, location = o.Answer.Item, o.Answer.LocationID
		if rest, k, ok := leaveOutAnswerKey(fields, item, location); ok {
			fields, keyed = rest, k
		}
	}
	if viewFields(fields, visitID, keyed, item, location) != full {
		fields, visitID, keyed = full, "", 0 // kept as sent
	}
	var visit, keyedCol any
	if visitID != "" {
		no, err := tx.intern(visitID)
		if err != nil {
			return fmt.Errorf("log op: %w", err)
		}
		visit = no
	}
	if keyed != 0 {
		keyedCol = keyed
	}
	row := []any{OpKey(o.OpID), seq, nos[0], nos[1], nos[2], nos[3], nos[4], clock, fields, visit, nos[5], o.ConflictID,
		o.ErrorField, o.ErrorMsg, o.ErrorCode, received, keyedCol}
	if o.IfNew {
		// After the rows waiting (logLater): the op log keeps the order the
		// operations came in, and an op_id logged just before is there for
		// the conflict clause to find (review 11).
		if err = tx.flushLog(); err == nil {
			err = tx.execLater(opLogInsert(1)+" ON CONFLICT (op_id) DO NOTHING", row...)
		}
	} else {
		err = tx.logLater(row)
	}
	if err != nil {
		return fmt.Errorf("log op: %w", err)
	}
	if o.DeviceID != "" && o.ReceivedAt > tx.pushed[o.DeviceID] {
		if tx.pushed == nil {
			tx.pushed = map[string]string{}
		}
		tx.pushed[o.DeviceID] = o.ReceivedAt
	}
	return nil
}

// OpKey is an op_id as op_log keeps it (migration 0019): the 16 bytes of a
// canonical lower-case UUID, any other text as it is. An op_id is looked up
// in op_log by this key; the view ops gives the text back.
func OpKey(opID string) any {
	if !canonicalUUID(opID) {
		return opID
	}
	b := make([]byte, 0, 16)
	for i := 0; i < len(opID); i += 2 {
		if opID[i] == '-' {
			i++
		}
		b = append(b, hexDigit(opID[i])<<4|hexDigit(opID[i+1]))
	}
	return b
}

// OpsByOpID is a condition on the view ops that picks the operations whose
// op_ids are its n arguments, each given as OpKey: by op_log's index of
// op_ids (the view's op_id is written back from the key, and a condition on
// it would read the whole log).
func OpsByOpID(n int) string {
	return "rowid IN (SELECT rowid FROM op_log WHERE op_id IN (" + placeholders(n) + "))"
}

// canonicalUUIDGlob matches a canonical lower-case UUID in SQL, the form
// whose op_id op_log keeps as a blob.
const canonicalUUIDGlob = `'[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-` +
	`[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'`

// opKeySQL is OpKey in SQL, of a text column or expression.
func opKeySQL(expr string) string {
	return "CASE WHEN " + expr + " GLOB " + canonicalUUIDGlob + " THEN unhex(replace(" + expr + ", '-', '')) ELSE " + expr + " END"
}

// canonicalUUID tells whether s is a UUID in its canonical lower-case form:
// 8-4-4-4-12 digits 0-9a-f.
func canonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func hexDigit(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// The forms the view ops writes numbers back in (migration 0015).
const (
	opTimeLayout = "2006-01-02T15:04:05.000Z"
	maxOpMillis  = 253402300799999 // 9999-12-31T23:59:59.999Z
)

// opLogColumns are the columns LogOp writes, in the order of its rows.
const opLogColumns = `op_id, seq, device, actor, type, record, action, clock, fields, visit, status, conflict_id,
	error_field, error_msg, error_code, received, keyed`

// opLogWidth is the number of opLogColumns.
var opLogWidth = strings.Count(opLogColumns, ",") + 1

// opLogInserts holds the insert of n rows of the op log at [n], for every
// n a flush writes (logLater, flushLog).
var opLogInserts = func() []string {
	row := "(" + placeholders(opLogWidth) + ")"
	qs := make([]string, logRowsAtOnce+1)
	for n := 1; n <= logRowsAtOnce; n++ {
		qs[n] = "INSERT INTO op_log (" + opLogColumns + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	return qs
}()

// opLogInsert is the insert of n rows of the op log (1 to logRowsAtOnce).
func opLogInsert(n int) string { return opLogInserts[n] }

// msNumber is a time written as opTimeLayout, as milliseconds since 1970,
// when it writes back exactly.
func msNumber(text string) (int64, bool) {
	if len(text) != len(opTimeLayout) {
		return 0, false
	}
	// Read by hand: time.Parse and the Format that checks it writes back
	// took 6 % of a push (two stamps an operation). The digits' places and
	// the ranges are time.Parse's for this layout; what passes writes back
	// exactly (TestMsNumberAgreesWithTime).
	var num [7]int
	for i, f := range [7][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}, {20, 23}} {
		for _, c := range []byte(text[f[0]:f[1]]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			num[i] = num[i]*10 + int(c-'0')
		}
	}
	for i, c := range []byte{'-', '-', 'T', ':', ':', '.', 'Z'} {
		if text[[7]int{4, 7, 10, 13, 16, 19, 23}[i]] != c {
			return 0, false
		}
	}
	year, month, day := num[0], num[1], num[2]
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) || num[3] > 23 || num[4] > 59 || num[5] > 59 {
		return 0, false
	}
	ms := time.Date(year, time.Month(month), day, num[3], num[4], num[5], num[6]*int(time.Millisecond), time.UTC).UnixMilli()
	if ms < 0 || ms > maxOpMillis {
		return 0, false
	}
	return ms, true
}

// daysIn is the number of days of month in year.
func daysIn(month time.Month, year int) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func msText(ms int64) string { return time.UnixMilli(ms).UTC().Format(opTimeLayout) }

// clockNumber is a clock stamp TIME/COUNTER/NODE whose node is device, as
// milliseconds × 10000 + counter, when it writes back exactly.
func clockNumber(hlc, device string) (int64, bool) {
	n := len(opTimeLayout)
	if len(hlc) != n+6+len(device) || hlc[n] != '/' || hlc[n+5] != '/' || hlc[n+6:] != device {
		return 0, false
	}
	ms, ok := msNumber(hlc[:n])
	if !ok {
		return 0, false
	}
	var counter int64
	for _, c := range hlc[n+1 : n+5] {
		if c < '0' || c > '9' {
			return 0, false
		}
		counter = counter*10 + int64(c-'0')
	}
	return ms*10000 + counter, true
}

// clockText writes back what clockNumber made of a stamp of device.
func clockText(n int64, device string) string {
	return fmt.Sprintf("%s/%04d/%s", msText(n/10000), n%10000, device)
}

// leaveOutVisit splits an operation's fields that end with a plain
// "visit_id" (as the fields of an answer, a place or a note do) into the
// fields without it and the visit's id, when the view writes them back
// exactly.
func leaveOutVisit(fields string) (lean, visitID string, ok bool) {
	const key = `"visit_id":"`
	i := strings.LastIndex(fields, key)
	if i < 1 || !strings.HasSuffix(fields, `"}`) || len(fields)-2 < i+len(key) {
		return "", "", false
	}
	visitID = fields[i+len(key) : len(fields)-2]
	if visitID == "" {
		return "", "", false
	}
	for _, c := range visitID {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return "", "", false
		}
	}
	switch head := fields[:i]; {
	case head == "{":
		lean = "{}"
	case strings.HasSuffix(head, ","):
		lean = head[:len(head)-1] + "}"
	default:
		return "", "", false
	}
	if withVisit(lean, visitID) != fields {
		return "", "", false
	}
	return lean, visitID, true
}

// withVisit writes back what leaveOutVisit split, as the view ops does.
func withVisit(lean, visitID string) string {
	if lean == "{}" {
		return `{"visit_id":"` + visitID + `"}`
	}
	return lean[:len(lean)-1] + `,"visit_id":"` + visitID + `"}`
}

// leaveOutAnswerKey takes out of an answer's fields (its visit already
// taken out by leaveOutVisit) the item and the place they begin with, when
// they are the answer's: keyed says which (1 the item, 2 the place, 3 both).
// The view ops writes them back (migration 0017); only fields that read
// back exactly are split.
func leaveOutAnswerKey(fields, item, location string) (rest string, keyed int, ok bool) {
	for _, k := range []int{3, 1, 2} {
		p := answerKeyPrefix(k, item, location)
		if !strings.HasPrefix(fields, p) || len(fields) == len(p) {
			continue
		}
		switch fields[len(p)] {
		case '}':
			rest = "{}"
		case ',':
			rest = "{" + fields[len(p)+1:]
		default:
			continue
		}
		if withAnswerKey(rest, k, item, location) != fields {
			return "", 0, false
		}
		return rest, k, true
	}
	return "", 0, false
}

func answerKeyPrefix(keyed int, item, location string) string {
	switch keyed {
	case 1:
		return `{"item":"` + item + `"`
	case 2:
		return `{"location_id":"` + location + `"`
	}
	return `{"item":"` + item + `","location_id":"` + location + `"`
}

// withAnswerKey writes back what leaveOutAnswerKey split, as the view does.
func withAnswerKey(rest string, keyed int, item, location string) string {
	p := answerKeyPrefix(keyed, item, location)
	if rest == "{}" {
		return p + "}"
	}
	return p + "," + rest[1:]
}

// viewFields is the fields the view ops reads from a row of op_log: the
// visit (when not "") written back at the end, the answer's item and place
// (keyed) at the start.
func viewFields(fields, visitID string, keyed int, item, location string) string {
	if visitID != "" {
		fields = withVisit(fields, visitID)
	}
	if keyed != 0 {
		fields = withAnswerKey(fields, keyed, item, location)
	}
	return fields
}
