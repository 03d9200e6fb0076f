package xlsform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"inspecta/schema"
)

// yesNoList is the choice list export gives yes/no questions.
const yesNoList = "yes_no"

var yesNoLabels = map[string]schema.Text{
	"yes": {"en": "Yes", "ru": "Да", "kk": "Иә"},
	"no":  {"en": "No", "ru": "Нет", "kk": "Жоқ"},
}

// Export writes t as an XLSForm workbook (.xlsx) that Import reads back into
// the same template. It refuses, naming what, a template that XLSForm cannot
// carry whole (items of a section that are not together, a part the columns
// do not hold): it never writes a workbook that would lose part of it.
func Export(t *schema.Template) ([]byte, error) {
	data, err := write(t)
	if err != nil {
		return nil, err
	}
	back, err := Import(data)
	if err != nil {
		return nil, fmt.Errorf("export %s: the workbook would not import again: %w", t.Ref(), err)
	}
	want, _ := json.Marshal(t)
	got, _ := json.Marshal(back)
	if !bytes.Equal(want, got) {
		return nil, fmt.Errorf("export %s: XLSForm cannot carry the whole checklist (%s); export it as JSON", t.Ref(), firstDifference(want, got))
	}
	return data, nil
}

// firstDifference names where two JSON encodings first differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("differs near %q", string(a[from:min(len(a), i+20)]))
}

// surveyHeader is the survey sheet's columns, in order.
func surveyHeader() []string {
	h := []string{colType, colName}
	for _, base := range []string{colLabel, colHint, colSource} {
		for _, lang := range schema.Languages {
			h = append(h, base+"::"+headerLabel[lang])
		}
	}
	h = append(h, colRequired, colRelevant, colConstraint, colCode, colScope, colUnit)
	for _, lang := range schema.Languages {
		h = append(h, colUnitLabel+"::"+headerLabel[lang])
	}
	return append(h, colTolerance, colPersonal, colSensitive, colIndicator, colAdverse)
}

func write(t *schema.Template) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "survey"); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	for _, name := range []string{"choices", "settings"} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	survey, err := surveyRows(t)
	if err != nil {
		return nil, err
	}
	if err := writeRows(f, "survey", append([][]string{surveyHeader()}, survey...)); err != nil {
		return nil, err
	}
	if err := writeRows(f, "choices", choiceRows(t)); err != nil {
		return nil, err
	}
	settings := [][]string{{"form_id", "version"}, {t.ID, strconv.Itoa(t.Version)}}
	for _, lang := range schema.Languages {
		settings[0] = append(settings[0], "form_title::"+headerLabel[lang])
		settings[1] = append(settings[1], t.Title[lang])
	}
	if len(t.FacilityTypes) > 0 {
		settings[0] = append(settings[0], "facility_types")
		settings[1] = append(settings[1], strings.Join(t.FacilityTypes, " "))
	}
	if len(t.LocationKinds) > 0 {
		settings[0] = append(settings[0], "location_kinds")
		settings[1] = append(settings[1], strings.Join(t.LocationKinds, " "))
	}
	if err := writeRows(f, "settings", settings); err != nil {
		return nil, err
	}
	for _, sh := range []string{"survey", "choices"} {
		_ = f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	_ = f.SetColWidth("survey", "A", "B", 22)
	_ = f.SetColWidth("survey", "C", "H", 40)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("export: write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func writeRows(f *excelize.File, sheet string, rows [][]string) error {
	for r, row := range rows {
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return fmt.Errorf("export: %s row %d: %w", sheet, r+1, err)
		}
	}
	return nil
}

// surveyRows writes each section as a group holding its items, in the
// sections' order; items of one section that are not together cannot be said.
func surveyRows(t *schema.Template) ([][]string, error) {
	header := surveyHeader()
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	var rows [][]string
	var order []string
	for _, sec := range t.Sections {
		row := make([]string, len(header))
		row[idx[colType]], row[idx[colName]] = "begin group", sec.ID
		for _, lang := range schema.Languages {
			row[idx[colLabel+"::"+headerLabel[lang]]] = sec.Title[lang]
		}
		rows = append(rows, row)
		for i := range t.Items {
			it := &t.Items[i]
			if it.Section != sec.ID {
				continue
			}
			r, err := itemRow(t, it, idx, len(header))
			if err != nil {
				return nil, err
			}
			rows = append(rows, r)
			order = append(order, it.ID)
		}
		end := make([]string, len(header))
		end[idx[colType]] = "end group"
		rows = append(rows, end)
	}
	for i := range t.Items {
		if i >= len(order) || order[i] != t.Items[i].ID {
			return nil, fmt.Errorf("export %s: the items of section %q are not together (item %q), and XLSForm groups cannot say that", t.Ref(), t.Items[i].Section, t.Items[i].ID)
		}
	}
	return rows, nil
}

func itemRow(t *schema.Template, it *schema.Item, idx map[string]int, width int) ([]string, error) {
	row := make([]string, width)
	set := func(col, v string) { row[idx[col]] = v }
	set(colName, it.ID)
	switch it.Type {
	case schema.TypeInteger:
		set(colType, "integer")
	case schema.TypeNumber:
		set(colType, "decimal")
	case schema.TypeText:
		set(colType, "text")
	case schema.TypeDate, schema.TypeTime, schema.TypeNote:
		set(colType, it.Type)
	case schema.TypeDateTime:
		set(colType, "datetime")
	case schema.TypeYesNo:
		set(colType, "select_one "+yesNoList)
	case schema.TypeChoice:
		set(colType, "select_one "+it.ID)
	case schema.TypeMulti:
		set(colType, "select_multiple "+it.ID)
	default:
		return nil, fmt.Errorf("export %s: item %q has type %q, which XLSForm export does not know", t.Ref(), it.ID, it.Type)
	}
	for _, lang := range schema.Languages {
		set(colLabel+"::"+headerLabel[lang], it.Label[lang])
		set(colHint+"::"+headerLabel[lang], it.Help[lang])
		set(colSource+"::"+headerLabel[lang], it.Source[lang])
		set(colUnitLabel+"::"+headerLabel[lang], it.UnitLabel[lang])
	}
	if it.Required {
		set(colRequired, "yes")
	}
	if it.Relevant != nil {
		set(colRelevant, relevantExpr(t, it.Relevant))
	}
	switch {
	case it.Numeric() && it.Min != nil && it.Max != nil:
		set(colConstraint, fmt.Sprintf(". >= %s and . <= %s", num(*it.Min), num(*it.Max)))
	case it.Type == schema.TypeText:
		set(colConstraint, fmt.Sprintf("string-length(.) <= %d", it.MaxLength))
	}
	set(colCode, it.Code)
	set(colScope, it.Scope)
	set(colUnit, it.Unit)
	if it.Tolerance != nil {
		set(colTolerance, num(*it.Tolerance))
	}
	if it.Personal {
		set(colPersonal, "yes")
	} else if it.Type == schema.TypeText {
		set(colPersonal, "no") // said in so many words: a text item is personal by default
	}
	if it.Sensitive {
		set(colSensitive, "yes")
	}
	var inputs []string
	for _, ind := range t.Indicators {
		for _, role := range ind.InputRoles() {
			if ind.Inputs()[role] == it.ID {
				inputs = append(inputs, ind.ID+"."+role)
			}
		}
	}
	set(colIndicator, strings.Join(inputs, " "))
	// A stored built-in version's known declarations are written too, so
	// that a checklist made from its workbook keeps them whatever its id;
	// imported back under the same id and version, they are dropped again
	// (schema.DropKnownFindings).
	set(colAdverse, strings.Join(t.AdverseAnswers(it), " "))
	return row, nil
}

func relevantExpr(t *schema.Template, c *schema.Condition) string {
	on, _ := t.Item(c.Item)
	multi := on != nil && on.Type == schema.TypeMulti
	var terms []string
	for _, v := range c.In {
		if multi {
			terms = append(terms, fmt.Sprintf("selected(${%s}, '%s')", c.Item, v))
		} else {
			terms = append(terms, fmt.Sprintf("${%s} = '%s'", c.Item, v))
		}
	}
	for _, v := range c.NotIn {
		if multi {
			terms = append(terms, fmt.Sprintf("not(selected(${%s}, '%s'))", c.Item, v))
		} else {
			terms = append(terms, fmt.Sprintf("${%s} != '%s'", c.Item, v))
		}
	}
	if len(c.In) > 0 {
		return strings.Join(terms, " or ")
	}
	return strings.Join(terms, " and ")
}

func choiceRows(t *schema.Template) [][]string {
	header := []string{"list_name", colName}
	for _, lang := range schema.Languages {
		header = append(header, colLabel+"::"+headerLabel[lang])
	}
	rows := [][]string{header}
	add := func(list, name string, label schema.Text) {
		row := []string{list, name}
		for _, lang := range schema.Languages {
			row = append(row, label[lang])
		}
		rows = append(rows, row)
	}
	yesNo := false
	for i := range t.Items {
		it := &t.Items[i]
		if it.Type == schema.TypeYesNo {
			yesNo = true
		}
		for _, o := range it.Options {
			add(it.ID, o.ID, o.Label)
		}
	}
	if yesNo {
		add(yesNoList, "yes", yesNoLabels["yes"])
		add(yesNoList, "no", yesNoLabels["no"])
	}
	return rows
}

// num prints a number as people write it: 0.5, 2000, -60.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
