package server

import (
	"fmt"
	"net/http"
	"slices"
)

// flagParam reads a query parameter that is a flag: "1" turns it on, "0"
// or absent (or empty) leaves it off, and any other value ("true", "yes")
// is answered 400 invalid naming the parameter, never read as off: a pull
// with snapshot=true read as no snapshot left the device's own records out
// of a pull from 0, which the reset then dropped from the phone, and a
// checklist upload with preview=yes was stored. on lists further values a
// flag has always taken as on (a report's unapproved=true). ok is false
// when the answer was written.
func flagParam(w http.ResponseWriter, r *http.Request, name string, on ...string) (value, ok bool) {
	v := r.URL.Query().Get(name)
	switch {
	case v == "" || v == "0":
		return false, true
	case v == "1" || slices.Contains(on, v):
		return true, true
	}
	writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("%s must be 1 (or 0, or absent), not %q", name, v), name)
	return false, false
}
