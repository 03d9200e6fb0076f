package sync

import (
	"fmt"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"inspecta/store"
)

// HLC is a hybrid logical clock timestamp, written
// "2026-11-26T10:15:03.120Z/0003/<node>": wall time in milliseconds, a counter
// for events within one millisecond, and the node (device) that made it.
type HLC struct {
	Wall    time.Time
	Counter int
	Node    string
}

const hlcTimeLayout = "2006-01-02T15:04:05.000Z"

// String formats the timestamp so that, for one node, later sorts later as text.
func (h HLC) String() string {
	if h.Counter < 0 || h.Counter > 9999 {
		return fmt.Sprintf("%s/%04d/%s", h.Wall.UTC().Format(hlcTimeLayout), h.Counter, h.Node)
	}
	// fmt's way, without fmt: one stamp an operation (TestHLCStringIsSprintf).
	b := make([]byte, 0, len(hlcTimeLayout)+6+len(h.Node))
	b = h.Wall.UTC().AppendFormat(b, hlcTimeLayout)
	b = append(b, '/', byte('0'+h.Counter/1000), byte('0'+h.Counter/100%10), byte('0'+h.Counter/10%10), byte('0'+h.Counter%10), '/')
	return string(append(b, h.Node...))
}

// ParseHLC parses a timestamp written by HLC.String.
func ParseHLC(s string) (HLC, error) {
	parts := strings.SplitN(s, "/", 3)
	if len(parts) != 3 {
		return HLC{}, fmt.Errorf("hlc %q is not of the form TIME/COUNTER/NODE", s)
	}
	wall, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return HLC{}, fmt.Errorf("hlc %q: time is not RFC 3339", s)
	}
	counter, err := strconv.Atoi(parts[1])
	if err != nil || counter < 0 {
		return HLC{}, fmt.Errorf("hlc %q: counter is not a whole number", s)
	}
	return HLC{Wall: wall.UTC(), Counter: counter, Node: parts[2]}, nil
}

// Compare orders two timestamps: by wall time, then counter, then node.
func (h HLC) Compare(o HLC) int {
	if c := h.Wall.Compare(o.Wall); c != 0 {
		return c
	}
	if h.Counter != o.Counter {
		if h.Counter < o.Counter {
			return -1
		}
		return 1
	}
	return strings.Compare(h.Node, o.Node)
}

// Wins reports whether a write stamped (hlc, device) beats one stamped
// (otherHLC, otherDevice): the later timestamp wins, ties go to the greater
// device id. Every replica decides the same way. An unparsable stored stamp loses.
func Wins(hlc, device, otherHLC, otherDevice string) bool {
	a, errA := ParseHLC(hlc)
	b, errB := ParseHLC(otherHLC)
	switch {
	case errA != nil && errB != nil:
		return device > otherDevice
	case errB != nil:
		return true
	case errA != nil:
		return false
	}
	if c := a.Compare(b); c != 0 {
		return c > 0
	}
	return device > otherDevice
}

// Clock issues HLC timestamps for one node.
type Clock struct {
	mu   gosync.Mutex
	Node string
	Now  func() time.Time
	last HLC
}

// MaxLead is how far ahead of a device's physical time its clock may run: a
// stamp further ahead is not observed, and a clock whose last stamp is
// further ahead (its own time was wrong when it issued it) starts again from
// the physical time (docs/protocol.md, "Clock").
const MaxLead = 24 * time.Hour

// Next returns a timestamp later than every one this clock issued or observed,
// unless that one is more than MaxLead ahead of the physical time: then it
// starts again from the physical time, so that a clock once set years ahead
// does not stamp every later edit by that wrong time.
func (c *Clock) Next() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	wall := now().UTC().Truncate(time.Millisecond)
	if wall.After(c.last.Wall) || c.last.Wall.Sub(wall) > MaxLead {
		c.last = HLC{Wall: wall, Node: c.Node}
	} else {
		c.last = HLC{Wall: c.last.Wall, Counter: c.last.Counter + 1, Node: c.Node}
	}
	return c.last
}

// Observe moves the clock past a timestamp seen from another node.
func (c *Clock) Observe(s string) {
	h, err := ParseHLC(s)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.Wall.After(c.last.Wall) || (h.Wall.Equal(c.last.Wall) && h.Counter > c.last.Counter) {
		c.last = HLC{Wall: h.Wall, Counter: h.Counter, Node: c.Node}
	}
}

// stamper bounds the clock stamps of one device's operations at receipt
// (docs/protocol.md, "Clock"): corrected by the device's clock error, kept
// between the device's sign-in and the time of receipt, later than the
// device's previous stamp, and carrying the device's own id as node.
type stamper struct {
	now   time.Time     // the server's time at receipt (the push's arrival, before its body was read)
	skew  time.Duration // device clock minus server clock (0: unknown)
	floor time.Time     // the device's sign-in (zero: none)
	node  string
	last  HLC // the latest stamp given to this device (zero: none)
	moved bool
	// before is, for the operation being bounded, the earliest time (as the
	// device stamped it) of a later operation of the same push; zero: none.
	before time.Time
}

// newStamper bounds the stamps of actor's push: now is the time of the
// transaction applying it, taken as the time of receipt when the actor does
// not carry the time the request arrived.
func newStamper(now time.Time, actor Actor, dc store.DeviceClock) *stamper {
	if !actor.ReceivedAt.IsZero() {
		now = actor.ReceivedAt
	}
	s := &stamper{now: now.UTC().Truncate(time.Millisecond), node: actor.DeviceID}
	if !actor.DeviceTime.IsZero() {
		s.skew = actor.DeviceTime.Sub(now)
	}
	if t, err := time.Parse(store.TimeFormat, dc.SignedInAt); err == nil {
		s.floor = t.UTC().Truncate(time.Millisecond)
	}
	if h, err := ParseHLC(dc.LastHLC); err == nil {
		s.last = h
	}
	return s
}

// laterStamps gives, for each operation of a push, the earliest time stamped
// on a later operation of the same push whose own time is within the bounds
// (corrected, between the device's sign-in and now), or zero: an operation
// was made before the device's later ones (a push is in the order the device
// made its operations), so a time ahead of theirs was a clock since put right.
// A later time outside the bounds is a clock gone wrong since: it bounds nothing.
func (s *stamper) laterStamps(ops []pushed) []time.Time {
	out := make([]time.Time, len(ops))
	var earliest time.Time
	for i := len(ops) - 1; i >= 0; i-- {
		out[i] = earliest
		h, err := ParseHLC(ops[i].op.HLC)
		if ops[i].err != nil || err != nil || !s.inBounds(h.Wall) {
			continue
		}
		if earliest.IsZero() || h.Wall.Before(earliest) {
			earliest = h.Wall
		}
	}
	return out
}

// inBounds reports whether a time the device stamped, corrected, lies between
// its sign-in and now.
func (s *stamper) inBounds(stamped time.Time) bool {
	wall := stamped.Add(-s.skew)
	return !wall.After(s.now) && (s.floor.IsZero() || !wall.Before(s.floor))
}

// bound returns the stamp the server stores for an operation stamped h.
func (s *stamper) bound(h HLC) HLC {
	stamped := h.Wall
	if !s.before.IsZero() && s.before.Before(stamped) {
		stamped = s.before
	}
	wall := stamped.Add(-s.skew).UTC().Truncate(time.Millisecond)
	if wall.After(s.now) {
		wall = s.now
	}
	if !s.floor.IsZero() && wall.Before(s.floor) {
		wall = s.floor
	}
	b := HLC{Wall: wall, Counter: h.Counter, Node: s.node}
	if !s.last.Wall.IsZero() && (b.Wall.Before(s.last.Wall) || (b.Wall.Equal(s.last.Wall) && b.Counter <= s.last.Counter)) {
		b = HLC{Wall: s.last.Wall, Counter: s.last.Counter + 1, Node: s.node}
	}
	s.last, s.moved = b, true
	return b
}
