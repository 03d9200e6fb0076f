package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"inspecta/schema"
	"inspecta/store"
)

// checklistEntry is a checklist version as the app downloads it: the
// template, and whether it is the version new visits get.
type checklistEntry struct {
	*schema.Template
	Active  bool `json:"active"`
	Default bool `json:"default,omitempty"` // the checklist a new visit gets when none is chosen
}

// handleChecklists answers GET /api/v1/checklists: the active version of
// every checklist (the default first) and every other version a visit was
// recorded with, so that a phone shows each visit with its own version, and
// the list's signature. With ?known=SIGNATURE equal to the current one it
// answers {"unchanged": true, "signature": …} instead: the app asks at every
// sync at the cost of a few bytes.
func (s *Server) handleChecklists(w http.ResponseWriter, r *http.Request) {
	var list []checklistEntry
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		cat, err := tx.Checklists()
		if err != nil {
			return err
		}
		used, err := tx.UsedChecklists()
		if err != nil {
			return err
		}
		list = checklistEntries(cat, used)
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	sig := checklistsSignature(list)
	if r.URL.Query().Get("known") == sig {
		writeJSON(w, http.StatusOK, map[string]any{"unchanged": true, "signature": sig})
		return
	}
	writeJSONMaybeGzip(w, r, http.StatusOK, map[string]any{"checklists": list, "signature": sig})
}

// checklistsSignature names the list: a stored version never changes, so
// its references and which are active say all.
func checklistsSignature(list []checklistEntry) string {
	h := sha256.New()
	for _, e := range list {
		active := "0"
		if e.Active {
			active = "1"
		}
		h.Write([]byte(e.Ref() + ":" + active + ";"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func checklistEntries(cat *schema.Catalog, used map[string]bool) []checklistEntry {
	list := []checklistEntry{}
	for _, t := range cat.Active() {
		list = append(list, checklistEntry{Template: t, Active: true, Default: t == cat.Default()})
	}
	for _, t := range cat.All() {
		if used[t.Ref()] && !cat.IsActive(t) {
			list = append(list, checklistEntry{Template: t})
		}
	}
	return list
}
