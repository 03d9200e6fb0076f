package server

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gorilla/mux"

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
	// Unpublished are the visit's notes and personal text answers, which
	// no report prints until the coordinator clears one for publication
	// (POST …/publication-check/publish). Not part of Texts or the digest.
	Unpublished []store.PrintableText `json:"unpublished"`
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
	if pc.Unpublished, err = tx.UnpublishedTexts(visitID); err != nil {
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

// textRequest is the body of POST …/publication-check/clear and
// …/publication-check/withhold (of a visit or of a facility): which text.
type textRequest struct {
	RecordType schema.RecordType `json:"record_type"`
	RecordID   string            `json:"record_id"`
	Field      string            `json:"field"`
	// Withhold (…/withhold only): true, or absent, holds the text back from
	// every report; false lets the reports print it again.
	Withhold *bool `json:"withhold"`
	// NoPersonIdentifiable (…/publish only): the coordinator confirms that
	// no person can be identified from the text.
	NoPersonIdentifiable bool `json:"no_person_identifiable"`
}

// withhold is the request's decision, holding back when it names none.
func (req textRequest) withhold() bool { return req.Withhold == nil || *req.Withhold }

// textDecision is one coordinator's decision on one text of a check.
type textDecision struct {
	texts  func(tx *store.Tx) ([]store.PrintableText, error) // the texts it may name, as the check lists them
	apply  func(tx *store.Tx, t store.PrintableText) error
	action string            // the audit trail's event
	detail map[string]string // the event's detail besides the record type and field
	answer func(tx *store.Tx) (any, error)
}

// decideText applies d to the text req names, in one transaction with its
// audit event, and answers the check as it is then; a text not on the
// check is answered 404.
func (s *Server) decideText(w http.ResponseWriter, r *http.Request, p *Principal, req textRequest, d textDecision) {
	var answer any
	found := false
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		texts, err := d.texts(tx)
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
		if err := d.apply(tx, texts[i]); err != nil {
			return err
		}
		detail := map[string]string{"record_type": string(req.RecordType), "field": req.Field}
		for k, v := range d.detail {
			detail[k] = v
		}
		b, _ := json.Marshal(detail)
		if err := tx.AddAuditEvent(p.User.ID, d.action, req.RecordID, string(b), clientAddr(r)); err != nil {
			return err
		}
		answer, err = d.answer(tx)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if !found {
		writeError(w, http.StatusNotFound, "not_found", "no text on this check with that record and field", "record_id")
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// visitTextDecision is a decision on a text of visit v's check.
func (s *Server) visitTextDecision(v *store.Visit, action string, apply func(tx *store.Tx, t store.PrintableText) error) textDecision {
	return textDecision{
		texts:  func(tx *store.Tx) ([]store.PrintableText, error) { return tx.PrintableTexts(v.ID) },
		apply:  apply,
		action: action,
		detail: map[string]string{"visit_id": v.ID},
		answer: func(tx *store.Tx) (any, error) { return s.buildPublicationCheck(tx, v.ID) },
	}
}

// handleClearText clears one flagged text of the visit for printing, as it
// stands now: changed later, it is checked again. An approved visit's texts
// are not cleared (409 locked): its reports print what its check showed.
func (s *Server) handleClearText(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req textRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	// What an approved visit's reports print was checked at its approval:
	// a text is cleared only before it (reopen the visit to clear more).
	if v.Status == "approved" {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; reopen it to clear a text for printing", "record_id")
		return
	}
	s.decideText(w, r, p, req, s.visitTextDecision(v, "text_cleared", func(tx *store.Tx, t store.PrintableText) error {
		return tx.ClearText(t.RecordType, t.RecordID, t.Field, t.Text, p.User.ID)
	}))
}

// handleWithholdText holds one text of the visit back from every report,
// flagged or not (a photo's caption while its photo is printed), or prints
// it again. Holding back prints less and is done at any time; printing
// again is refused once the visit is approved (409 locked), as clearing is.
func (s *Server) handleWithholdText(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req textRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	if !req.withhold() && v.Status == "approved" {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; reopen it to print a withheld text again", "record_id")
		return
	}
	s.decideText(w, r, p, req, s.visitTextDecision(v, withholdAction(req), func(tx *store.Tx, t store.PrintableText) error {
		return tx.WithholdText(t.RecordType, t.RecordID, t.Field, req.withhold(), p.User.ID)
	}))
}

// handlePublishText clears one of the visit's notes or personal text
// answers for publication (store.Tx.PublishText), once the coordinator
// confirms that no person can be identified from it: it joins the texts
// the reports print, under the same rule (flagged, printed once cleared;
// withheld, never). To take it out again, withhold it. Refused once the
// visit is approved (409 locked), as a clearance is.
func (s *Server) handlePublishText(w http.ResponseWriter, r *http.Request) {
	p, v, ok := s.loadVisitToDecide(w, r)
	if !ok {
		return
	}
	var req textRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	if !req.NoPersonIdentifiable {
		writeError(w, http.StatusBadRequest, "invalid", "confirm that no person can be identified from the text before clearing it for publication", "no_person_identifiable")
		return
	}
	if v.Status == "approved" {
		writeError(w, http.StatusConflict, "locked", "this visit is approved and locked; reopen it to clear a text for publication", "record_id")
		return
	}
	s.decideText(w, r, p, req, textDecision{
		texts: func(tx *store.Tx) ([]store.PrintableText, error) { return tx.UnpublishedTexts(v.ID) },
		apply: func(tx *store.Tx, t store.PrintableText) error {
			return tx.PublishText(t.RecordType, t.RecordID, t.Field, p.User.ID)
		},
		action: "text_published",
		detail: map[string]string{"visit_id": v.ID},
		answer: func(tx *store.Tx) (any, error) { return s.buildPublicationCheck(tx, v.ID) },
	})
}

// withholdAction is the audit trail's event of a withholding request.
func withholdAction(req textRequest) string {
	if req.withhold() {
		return "text_withheld"
	}
	return "text_released"
}

// facilityCheck is the answer of GET /api/v1/facilities/{id}/publication-check:
// the texts of the facility's recommendations made at no visit, which every
// report of the facility prints and no visit's approval settles.
type facilityCheck struct {
	FacilityID string                `json:"facility_id"`
	Texts      []store.PrintableText `json:"texts"`
	Flagged    int                   `json:"flagged"`
	Withheld   int                   `json:"withheld"` // not printed: flagged and not cleared, or withheld
}

func buildFacilityCheck(tx *store.Tx, facilityID string) (*facilityCheck, error) {
	texts, err := tx.FacilityPrintableTexts(facilityID)
	if err != nil {
		return nil, err
	}
	fc := &facilityCheck{FacilityID: facilityID, Texts: texts}
	for _, t := range texts {
		if len(t.Flags) > 0 {
			fc.Flagged++
		}
		if !t.Printed {
			fc.Withheld++
		}
	}
	return fc, nil
}

// loadFacilityToDecide loads a facility for a coordinator's decision on its
// texts: only the coordinator of its region may (403 otherwise).
func (s *Server) loadFacilityToDecide(w http.ResponseWriter, r *http.Request) (*Principal, *store.Facility, bool) {
	p := principal(r)
	if p.User.Role != schema.RoleCoordinator {
		writeError(w, http.StatusForbidden, "forbidden", "only the region's coordinator checks what the reports print", "")
		return nil, nil, false
	}
	f, ok := s.loadFacility(w, r, mux.Vars(r)["id"])
	return p, f, ok
}

// handleFacilityPublicationCheck answers the facility's check to the
// region's coordinator.
func (s *Server) handleFacilityPublicationCheck(w http.ResponseWriter, r *http.Request) {
	_, f, ok := s.loadFacilityToDecide(w, r)
	if !ok {
		return
	}
	var fc *facilityCheck
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		fc, err = buildFacilityCheck(tx, f.ID)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fc)
}

// facilityTextDecision is a decision on a text of facility f's check.
func facilityTextDecision(f *store.Facility, action string, apply func(tx *store.Tx, t store.PrintableText) error) textDecision {
	return textDecision{
		texts:  func(tx *store.Tx) ([]store.PrintableText, error) { return tx.FacilityPrintableTexts(f.ID) },
		apply:  apply,
		action: action,
		detail: map[string]string{"facility_id": f.ID},
		answer: func(tx *store.Tx) (any, error) { return buildFacilityCheck(tx, f.ID) },
	}
}

// handleFacilityClearText clears one flagged text of a recommendation made
// at no visit, as it stands now. No visit's lock applies: such a
// recommendation is printed by every report of the facility and is edited
// at any time, so its clearance is too.
func (s *Server) handleFacilityClearText(w http.ResponseWriter, r *http.Request) {
	p, f, ok := s.loadFacilityToDecide(w, r)
	if !ok {
		return
	}
	var req textRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	s.decideText(w, r, p, req, facilityTextDecision(f, "text_cleared", func(tx *store.Tx, t store.PrintableText) error {
		return tx.ClearText(t.RecordType, t.RecordID, t.Field, t.Text, p.User.ID)
	}))
}

// handleFacilityWithholdText holds a text of a recommendation made at no
// visit back from every report, or prints it again.
func (s *Server) handleFacilityWithholdText(w http.ResponseWriter, r *http.Request) {
	p, f, ok := s.loadFacilityToDecide(w, r)
	if !ok {
		return
	}
	var req textRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	s.decideText(w, r, p, req, facilityTextDecision(f, withholdAction(req), func(tx *store.Tx, t store.PrintableText) error {
		return tx.WithholdText(t.RecordType, t.RecordID, t.Field, req.withhold(), p.User.ID)
	}))
}
