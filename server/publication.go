package server

import (
	"encoding/json"
	"net/http"
	"slices"

	"inspecta/schema"
	"inspecta/store"
)

// publicationCheck is the answer of GET /api/v1/visits/{id}/publication-check.
// It lists the recommendations of the visit's facility made at no visit too
// (store.Tx.PrintableTexts), so that a flagged one can be cleared.
type publicationCheck struct {
	VisitID string                `json:"visit_id"`
	Texts   []store.PrintableText `json:"texts"`
	// Digest names this list: the approval sends it back
	// ({"publication_check": digest}) to record that it was seen.
	Digest    string                  `json:"digest"`
	Flagged   int                     `json:"flagged"`
	Withheld  int                     `json:"withheld"` // flagged and not cleared: not printed
	LastCheck *store.PublicationCheck `json:"last_check"`
	// FacilityTexts are the visit's facility's registry texts (name,
	// authority, address) that look like they name a person: every report
	// prints them as they are, so the coordinator is shown them to correct
	// the facility. Not part of Texts or the digest.
	FacilityTexts []store.FacilityText `json:"facility_texts"`
}

func (s *Server) buildPublicationCheck(tx *store.Tx, visitID string) (*publicationCheck, error) {
	texts, err := tx.PrintableTexts(visitID)
	if err != nil {
		return nil, err
	}
	pc := &publicationCheck{VisitID: visitID, Texts: texts, Digest: store.PrintableTextsDigest(texts)}
	for _, t := range texts {
		if len(t.Flags) > 0 {
			pc.Flagged++
		}
		if !t.Printed {
			pc.Withheld++
		}
	}
	if pc.FacilityTexts, err = tx.VisitFacilityTextFlags(visitID); err != nil {
		return nil, err
	}
	pc.LastCheck, err = tx.LastPublicationCheck(visitID)
	return pc, err
}

// handlePublicationCheck answers the region's coordinator (who approves).
func (s *Server) handlePublicationCheck(w http.ResponseWriter, r *http.Request) {
	_, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var pc *publicationCheck
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		pc, err = s.buildPublicationCheck(tx, v.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pc)
}

// clearTextRequest is the body of POST /api/v1/visits/{id}/publication-check/clear.
type clearTextRequest struct {
	RecordType schema.RecordType `json:"record_type"`
	RecordID   string            `json:"record_id"`
	Field      string            `json:"field"`
}

// handleClearText clears one flagged text of the visit for printing, as it
// stands now: changed later, it is checked again. An approved visit's texts
// are not cleared (409 locked): its reports print what its check showed.
func (s *Server) handleClearText(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req clearTextRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	// What an approved visit's reports print was checked at its approval:
	// a text is cleared only before it (reopen the visit to clear more).
	if v.Status == "approved" {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; reopen it to clear a text for printing", "record_id")
		return
	}
	var pc *publicationCheck
	found := false
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		texts, err := tx.PrintableTexts(v.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(texts, func(t store.PrintableText) bool {
			return t.RecordType == req.RecordType && t.RecordID == req.RecordID && t.Field == req.Field
		})
		if i < 0 {
			return nil
		}
		found = true
		if err := tx.ClearText(req.RecordType, req.RecordID, req.Field, texts[i].Text, p.User.ID); err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]string{"visit_id": v.ID, "record_type": string(req.RecordType), "field": req.Field})
		if err := tx.AddAuditEvent(p.User.ID, "text_cleared", req.RecordID, string(detail), clientAddr(r)); err != nil {
			return err
		}
		pc, err = s.buildPublicationCheck(tx, v.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if !found {
		writeError(w, http.StatusNotFound, "not_found", "no printed text of this visit with that record and field", "record_id")
		return
	}
	writeJSON(w, http.StatusOK, pc)
}
