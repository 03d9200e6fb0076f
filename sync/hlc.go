package sync

import (
	"fmt"
	"strconv"
	"strings"
	gosync "sync"
	"time"
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
	return fmt.Sprintf("%s/%04d/%s", h.Wall.UTC().Format(hlcTimeLayout), h.Counter, h.Node)
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

// Next returns a timestamp later than every one this clock issued or observed.
func (c *Clock) Next() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	wall := now().UTC().Truncate(time.Millisecond)
	if wall.After(c.last.Wall) {
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
