package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"inspecta/schema"
)

// PrintableText is one free text of a visit that a report prints, with what
// in it may identify a person (schema.FlagPersonalData).
type PrintableText struct {
	RecordType schema.RecordType `json:"record_type"`
	RecordID   string            `json:"record_id"`
	Field      string            `json:"field"`
	Text       string            `json:"text"`
	Flags      []schema.TextFlag `json:"flags"`
	// Cleared: a coordinator cleared this very text for printing.
	Cleared bool `json:"cleared"`
	// Withheld: a coordinator held it back from the reports, flagged or not
	// (WithholdText); it is not printed whatever else is true.
	Withheld bool `json:"withheld"`
	// Printed: the report prints it (not flagged, or cleared; not withheld).
	Printed bool `json:"printed"`
}

// textCheck is how the rule for a report judges one free text.
type textCheck struct {
	Printed  bool
	Flags    []schema.TextFlag
	Cleared  bool
	Withheld bool
}

func textDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// publicSubject is the rule's subject of a printable text for a report.
func publicSubject(typ schema.RecordType, flagged, cleared bool) schema.Subject {
	return schema.Subject{Type: string(typ), Cleared: !flagged || cleared}
}

// textPrintable applies the visibility rule for a report (schema.RolePublic)
// to one free text: a text a coordinator withheld is not printed; a flagged
// text is printed only when a coordinator cleared that very text.
func (tx *Tx) textPrintable(typ schema.RecordType, id, field, text string) (textCheck, error) {
	c := textCheck{Flags: schema.FlagPersonalData(text)}
	var err error
	if len(c.Flags) > 0 {
		if c.Cleared, err = tx.textCleared(typ, id, field, text); err != nil {
			return c, err
		}
	}
	if c.Withheld, err = tx.textWithheld(typ, id, field); err != nil {
		return c, err
	}
	s := publicSubject(typ, len(c.Flags) > 0, c.Cleared)
	if typ == schema.RecordObservation || typ == schema.RecordConsolidation {
		s.Personal = true // a note or a personal text answer, cleared for publication
	}
	c.Printed = !c.Withheld && schema.FieldAccess(schema.Viewer{Role: schema.RolePublic}, s, field) == schema.Visible
	return c, nil
}

// textWithheld reports whether a coordinator held a record's field back
// from the reports (WithholdText).
func (tx *Tx) textWithheld(typ schema.RecordType, id, field string) (bool, error) {
	var withheld bool
	err := tx.QueryRow("SELECT EXISTS (SELECT 1 FROM text_withholdings WHERE record_type = ? AND record_id = ? AND field = ?)",
		typ, id, field).Scan(&withheld)
	if err != nil {
		return false, fmt.Errorf("text withholding: %w", err)
	}
	return withheld, nil
}

// textCleared reports whether a coordinator cleared this very text of a
// record's field for printing.
func (tx *Tx) textCleared(typ schema.RecordType, id, field, text string) (bool, error) {
	var sha string
	err := tx.QueryRow("SELECT text_sha256 FROM text_clearances WHERE record_type = ? AND record_id = ? AND field = ?",
		typ, id, field).Scan(&sha)
	if err != nil && !isNoRows(err) {
		return false, fmt.Errorf("text clearance: %w", err)
	}
	return sha == textDigest(text), nil
}

// CheckedSubject returns s (a subject of record typ id) for its printable
// field holding text, with Cleared set when the text passed the
// pre-approval check: nothing in it flagged, or a coordinator cleared that
// very text; and not withheld from the reports by a coordinator
// (WithholdText), who so judged that it may identify a person. Readers who
// see a printable text only once it passed the check (reports, staff,
// admins: schema.FieldAccessFor) are judged on it.
func (tx *Tx) CheckedSubject(s schema.Subject, id, field, text string) (schema.Subject, error) {
	s = schema.CheckedSubject(s, field, text)
	if schema.FieldClass(s.Type, field, s.Personal) != schema.ClassPrintable {
		return s, nil
	}
	withheld, err := tx.textWithheld(schema.RecordType(s.Type), id, field)
	if err != nil || withheld {
		s.Cleared = false
		return s, err
	}
	if s.Cleared {
		return s, nil
	}
	s.Cleared, err = tx.textCleared(schema.RecordType(s.Type), id, field, text)
	return s, err
}

// recommendationsChecked selects the recommendations on the publication
// check of visit ?1: those made at it, and those of its facility made at no
// visit (the coordinator's own, which reports print: no other check lists
// them, and a flagged one could otherwise never be cleared).
const recommendationsChecked = ` FROM recommendations r WHERE r.deleted = 0 AND (r.visit_id = ?1 OR
	(r.visit_id = '' AND r.facility_id = (SELECT facility_id FROM visits WHERE id = ?1)))`

// PrintableTexts lists every free text of the visit that a report would
// print: its locations' labels, the recommendations made at it or at no
// visit of its facility (text, category, addressee), its observations' notes
// and personal text answers and its consolidated text answers cleared for
// publication, and the captions of its photos a report prints
// (reportPhotosOfVisit).
func (tx *Tx) PrintableTexts(visitID string) ([]PrintableText, error) {
	rows, err := tx.Query(`
		SELECT 'location', id, 'label', label FROM locations WHERE visit_id = ?1 AND deleted = 0 AND label <> ''
		UNION ALL
		SELECT 'recommendation', r.id, 'text', r.text`+recommendationsChecked+` AND r.text <> ''
		UNION ALL
		SELECT 'recommendation', r.id, 'category', r.category`+recommendationsChecked+` AND r.category <> ''
		UNION ALL
		SELECT 'recommendation', r.id, 'addressee', r.addressee`+recommendationsChecked+` AND r.addressee <> ''
		UNION ALL
		SELECT 'observation', o.id, 'note', o.note FROM observations o JOIN publication_clearances pc
			ON pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'note'
			WHERE o.visit_key = +?2 AND o.deleted = 0 AND o.note <> ''
		UNION ALL
		SELECT 'observation', o.id, 'value', o.value FROM observations o JOIN publication_clearances pc
			ON pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'value'
			WHERE o.visit_key = +?2 AND o.deleted = 0 AND json_valid(o.value) AND json_type(o.value) = 'text'
		UNION ALL
		SELECT 'consolidation', c.id, 'value', c.value FROM consolidations c
			WHERE c.visit_id = ?1 AND c.deleted = 0 AND json_valid(c.value) AND json_type(c.value) = 'text' AND `+consolidationValueCleared+`
		UNION ALL
		SELECT 'photo', p.id, 'caption', p.caption `+reportPhotosOfVisit+` AND p.caption <> ''`,
		visitID, IDKey(visitID))
	if err != nil {
		return nil, fmt.Errorf("printable texts: %w", err)
	}
	var list []PrintableText
	for rows.Next() {
		var p PrintableText
		if err := rows.Scan(&p.RecordType, &p.RecordID, &p.Field, &p.Text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("printable texts: %w", err)
		}
		if p.Field == "value" {
			var s string
			if json.Unmarshal([]byte(p.Text), &s) == nil {
				p.Text = s
			}
		}
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("printable texts: %w", err)
	}
	plain, err := tx.plainTextAnswers(visitID, list)
	if err != nil {
		return nil, err
	}
	return tx.judgePrintable(append(list, plain...))
}

// judgePrintable applies the rule for a report to each text of list
// (textPrintable) and returns it, never nil.
func (tx *Tx) judgePrintable(list []PrintableText) ([]PrintableText, error) {
	for i := range list {
		p := &list[i]
		c, err := tx.textPrintable(p.RecordType, p.RecordID, p.Field, p.Text)
		if err != nil {
			return nil, err
		}
		p.Printed, p.Flags, p.Cleared, p.Withheld = c.Printed, c.Flags, c.Cleared, c.Withheld
		if p.Flags == nil {
			p.Flags = []schema.TextFlag{}
		}
	}
	if list == nil {
		list = []PrintableText{}
	}
	return list, nil
}

// FacilityPrintableTexts lists the texts (text, category, addressee) of the
// facility's live recommendations made at no visit, which every report of
// the facility prints: the coordinator checks, clears and withholds them on
// the facility's own check, as no visit's approval settles them (a visit's
// check lists them too, but only until that visit is approved).
func (tx *Tx) FacilityPrintableTexts(facilityID string) ([]PrintableText, error) {
	rows, err := tx.Query(`
		SELECT id, 'text', text, 1 FROM recommendations WHERE facility_id = ?1 AND visit_id = '' AND deleted = 0 AND text <> ''
		UNION ALL
		SELECT id, 'category', category, 2 FROM recommendations WHERE facility_id = ?1 AND visit_id = '' AND deleted = 0 AND category <> ''
		UNION ALL
		SELECT id, 'addressee', addressee, 3 FROM recommendations WHERE facility_id = ?1 AND visit_id = '' AND deleted = 0 AND addressee <> ''
		ORDER BY 1, 4`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("facility printable texts: %w", err)
	}
	var list []PrintableText
	for rows.Next() {
		p := PrintableText{RecordType: schema.RecordRecommendation}
		var order int
		if err := rows.Scan(&p.RecordID, &p.Field, &p.Text, &order); err != nil {
			rows.Close()
			return nil, fmt.Errorf("facility printable texts: %w", err)
		}
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facility printable texts: %w", err)
	}
	return tx.judgePrintable(list)
}

// plainTextAnswers lists the text answers (observations, consolidations) of
// the visit's items that its checklist says are not personal, which a report
// prints without a clearance for publication as long as nothing flags them,
// leaving out those already in listed.
func (tx *Tx) plainTextAnswers(visitID string, listed []PrintableText) ([]PrintableText, error) {
	plain, err := tx.textItems(visitID, false)
	if err != nil || len(plain) == 0 {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range listed {
		seen[string(p.RecordType)+"/"+p.RecordID+"/"+p.Field] = true
	}
	rows, err := tx.Query(`
		SELECT 'observation', id, item, value FROM observations
			WHERE visit_key = +? AND deleted = 0 AND json_valid(value) AND json_type(value) = 'text'
		UNION ALL
		SELECT 'consolidation', id, item, value FROM consolidations
			WHERE visit_id = ? AND deleted = 0 AND json_valid(value) AND json_type(value) = 'text'`, IDKey(visitID), visitID)
	if err != nil {
		return nil, fmt.Errorf("plain text answers: %w", err)
	}
	defer rows.Close()
	var out []PrintableText
	for rows.Next() {
		p := PrintableText{Field: "value"}
		var item, raw string
		if err := rows.Scan(&p.RecordType, &p.RecordID, &item, &raw); err != nil {
			return nil, fmt.Errorf("plain text answers: %w", err)
		}
		if !plain[item] || seen[string(p.RecordType)+"/"+p.RecordID+"/value"] || json.Unmarshal([]byte(raw), &p.Text) != nil || p.Text == "" {
			continue
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// textItems returns the ids of the text items of the visit's checklist (as
// the reports resolve it) that the checklist marks personal, or not.
func (tx *Tx) textItems(visitID string, personal bool) (map[string]bool, error) {
	var ref string
	if err := tx.QueryRow("SELECT checklist FROM visits WHERE id = ?", visitID).Scan(&ref); err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("text items: %w", err)
	}
	cat, err := tx.Checklists()
	if err != nil {
		return nil, err
	}
	tmpl := cat.Template(ref)
	if tmpl == nil {
		tmpl = cat.Default() // as the reports resolve it
	}
	items := map[string]bool{}
	if tmpl != nil {
		for _, it := range tmpl.Items {
			if it.Type == schema.TypeText && it.Personal == personal {
				items[it.ID] = true
			}
		}
	}
	return items, nil
}

// UnpublishedTexts lists the visit's free texts that the reports print only
// once a coordinator clears them for publication (PublishText), and that no
// one has: its observations' notes, its observations' and consolidations'
// answers to personal text items. Each comes with what in it may identify a
// person; none is printed.
func (tx *Tx) UnpublishedTexts(visitID string) ([]PrintableText, error) {
	personal, err := tx.textItems(visitID, true)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(`
		SELECT 'observation', o.id, 'note', '', o.note FROM observations o
			WHERE o.visit_key = +?2 AND o.deleted = 0 AND o.note <> '' AND NOT EXISTS (SELECT 1 FROM publication_clearances pc
				WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'note')
		UNION ALL
		SELECT 'observation', o.id, 'value', o.item, o.value FROM observations o
			WHERE o.visit_key = +?2 AND o.deleted = 0 AND json_valid(o.value) AND json_type(o.value) = 'text'
			AND NOT EXISTS (SELECT 1 FROM publication_clearances pc
				WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'value')
		UNION ALL
		SELECT 'consolidation', c.id, 'value', c.item, c.value FROM consolidations c
			WHERE c.visit_id = ?1 AND c.deleted = 0 AND json_valid(c.value) AND json_type(c.value) = 'text' AND NOT `+consolidationValueCleared,
		visitID, IDKey(visitID))
	if err != nil {
		return nil, fmt.Errorf("unpublished texts: %w", err)
	}
	defer rows.Close()
	list := []PrintableText{}
	for rows.Next() {
		var p PrintableText
		var item string
		if err := rows.Scan(&p.RecordType, &p.RecordID, &p.Field, &item, &p.Text); err != nil {
			return nil, fmt.Errorf("unpublished texts: %w", err)
		}
		if p.Field == "value" && (!personal[item] || json.Unmarshal([]byte(p.Text), &p.Text) != nil || p.Text == "") {
			continue // an answer of an item not personal is printed without it (plainTextAnswers)
		}
		p.Flags = schema.FlagPersonalData(p.Text)
		if p.Flags == nil {
			p.Flags = []schema.TextFlag{}
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// PublishText clears a note or a personal text answer for publication: the
// reports print it from then on, as every printed free text (flagged, only
// once that very text is cleared; withheld, never).
func (tx *Tx) PublishText(typ schema.RecordType, id, field, userID string) error {
	_, err := tx.Exec(`INSERT INTO publication_clearances (record_type, record_id, field, cleared_by, cleared_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(record_type, record_id, field) DO NOTHING`,
		typ, id, field, userID, tx.NowText())
	if err != nil {
		return fmt.Errorf("publish text: %w", err)
	}
	return nil
}

// PrintableTextsDigest identifies a list of printable texts as shown: an
// approval that names it shows the coordinator had that very list on screen.
func PrintableTextsDigest(list []PrintableText) string {
	b, _ := json.Marshal(list)
	return textDigest(string(b))
}

// ClearText records that a coordinator cleared one flagged text for
// printing; the clearance holds only for that exact text.
func (tx *Tx) ClearText(typ schema.RecordType, id, field, text, userID string) error {
	_, err := tx.Exec(`INSERT INTO text_clearances (record_type, record_id, field, text_sha256, cleared_by, cleared_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(record_type, record_id, field) DO UPDATE SET
		text_sha256 = excluded.text_sha256, cleared_by = excluded.cleared_by, cleared_at = excluded.cleared_at`,
		typ, id, field, textDigest(text), userID, tx.NowText())
	if err != nil {
		return fmt.Errorf("clear text: %w", err)
	}
	return nil
}

// WithholdText holds one text of a record back from every report
// (withhold), or lets the reports print it again under the rule of every
// free text (a flagged text still needs its clearance).
func (tx *Tx) WithholdText(typ schema.RecordType, id, field string, withhold bool, userID string) error {
	var err error
	if withhold {
		_, err = tx.Exec(`INSERT INTO text_withholdings (record_type, record_id, field, withheld_by, withheld_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT(record_type, record_id, field) DO NOTHING`,
			typ, id, field, userID, tx.NowText())
	} else {
		_, err = tx.Exec("DELETE FROM text_withholdings WHERE record_type = ? AND record_id = ? AND field = ?", typ, id, field)
	}
	if err != nil {
		return fmt.Errorf("withhold text: %w", err)
	}
	return nil
}

// RecordPublicationCheck records the check of a visit's printable texts at
// its approval: how many, how many flagged and cleared, and whether the
// approval named the list the server built (seenDigest).
func (tx *Tx) RecordPublicationCheck(visitID, userID, seenDigest string) error {
	list, err := tx.PrintableTexts(visitID)
	if err != nil {
		return err
	}
	flagged, cleared := 0, 0
	for _, p := range list {
		if len(p.Flags) > 0 {
			flagged++
			if p.Cleared {
				cleared++
			}
		}
	}
	digest := PrintableTextsDigest(list)
	_, err = tx.Exec(`INSERT INTO publication_checks (visit_id, checked_by, checked_at, texts, flagged, cleared, check_sha256, seen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, visitID, userID, tx.NowText(), len(list), flagged, cleared, digest, seenDigest == digest)
	if err != nil {
		return fmt.Errorf("record publication check: %w", err)
	}
	return nil
}

// PublicationCheck is a recorded check (RecordPublicationCheck).
type PublicationCheck struct {
	CheckedBy string `json:"checked_by"`
	CheckedAt string `json:"checked_at"`
	Texts     int    `json:"texts"`
	Flagged   int    `json:"flagged"`
	Cleared   int    `json:"cleared"`
	Seen      bool   `json:"seen"`
}

// LastPublicationCheck returns the visit's latest recorded check, nil if none.
func (tx *Tx) LastPublicationCheck(visitID string) (*PublicationCheck, error) {
	var c PublicationCheck
	err := tx.QueryRow(`SELECT checked_by, checked_at, texts, flagged, cleared, seen FROM publication_checks
		WHERE visit_id = ? ORDER BY id DESC LIMIT 1`, visitID).Scan(&c.CheckedBy, &c.CheckedAt, &c.Texts, &c.Flagged, &c.Cleared, &c.Seen)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publication check: %w", err)
	}
	return &c, nil
}

// WithholdUnclearedTexts applies the rule for a report to the free texts of
// a facility's report data: a flagged (and not cleared) or withheld location label (locations by visit, in
// their report order) is replaced by the location's number, such a
// recommendation text, category or addressee is withheld.
func (tx *Tx) WithholdUnclearedTexts(locations map[string][]*ReportLocation, recommendations []*ReportRecommendation) error {
	for _, locs := range locations {
		for i, l := range locs {
			c, err := tx.textPrintable(schema.RecordLocation, l.ID, "label", l.Label)
			if err != nil {
				return err
			}
			if !c.Printed {
				l.Label, l.LabelWithheld = fmt.Sprintf("№ %d", i+1), true
			}
		}
	}
	for _, r := range recommendations {
		c, err := tx.textPrintable(schema.RecordRecommendation, r.ID, "text", r.Text)
		if err != nil {
			return err
		}
		if !c.Printed {
			r.Text, r.TextWithheld = "", true
		}
		// Its category and addressee are typed as freely: a flagged one is
		// left out (the report prints neither when empty).
		for _, f := range []struct {
			field    string
			text     *string
			withheld *bool
		}{{"category", &r.Category, &r.CategoryWithheld}, {"addressee", &r.Addressee, &r.AddresseeWithheld}} {
			if *f.text == "" {
				continue
			}
			c, err := tx.textPrintable(schema.RecordRecommendation, r.ID, f.field, *f.text)
			if err != nil {
				return err
			}
			if !c.Printed {
				*f.text, *f.withheld = "", true
			}
		}
	}
	return nil
}
