// Package xlsformtest builds XLSForm workbooks for tests: the checklist a
// monitoring organisation would write by hand in a spreadsheet, and small
// edits of it that break one thing at a time.
package xlsformtest

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Workbook is a workbook as rows of cells per sheet; row 0 is the header.
type Workbook struct {
	Order  []string
	Sheets map[string][][]string
}

// Clone returns a deep copy.
func (w *Workbook) Clone() *Workbook {
	c := &Workbook{Order: append([]string(nil), w.Order...), Sheets: map[string][][]string{}}
	for name, rows := range w.Sheets {
		for _, r := range rows {
			c.Sheets[name] = append(c.Sheets[name], append([]string(nil), r...))
		}
	}
	return c
}

// Col returns the index of header in sheet; it panics when there is none.
func (w *Workbook) Col(sheet, header string) int {
	for i, h := range w.Sheets[sheet][0] {
		if h == header {
			return i
		}
	}
	panic(fmt.Sprintf("xlsformtest: no column %q in %s", header, sheet))
}

// Row returns the spreadsheet row number (from 1) of the row whose name
// column (list_name+name in choices) is name.
func (w *Workbook) Row(sheet, name string) int {
	col := w.Col(sheet, "name")
	for i, r := range w.Sheets[sheet] {
		if i > 0 && col < len(r) && r[col] == name {
			return i + 1
		}
	}
	panic(fmt.Sprintf("xlsformtest: no row named %q in %s", name, sheet))
}

// Set writes value at the spreadsheet row (from 1) under header.
func (w *Workbook) Set(sheet string, row int, header, value string) {
	col := w.Col(sheet, header)
	r := w.Sheets[sheet][row-1]
	for len(r) <= col {
		r = append(r, "")
	}
	r[col] = value
	w.Sheets[sheet][row-1] = r
}

// Get reads the cell at the spreadsheet row under header.
func (w *Workbook) Get(sheet string, row int, header string) string {
	r := w.Sheets[sheet][row-1]
	if col := w.Col(sheet, header); col < len(r) {
		return r[col]
	}
	return ""
}

// Insert adds a row before the spreadsheet row at (from 2), with the given
// values by header.
func (w *Workbook) Insert(sheet string, at int, values map[string]string) {
	row := make([]string, len(w.Sheets[sheet][0]))
	for h, v := range values {
		row[w.Col(sheet, h)] = v
	}
	rows := w.Sheets[sheet]
	rows = append(rows[:at-1], append([][]string{row}, rows[at-1:]...)...)
	w.Sheets[sheet] = rows
}

// Rename renames a sheet.
func (w *Workbook) Rename(from, to string) {
	w.Sheets[to] = w.Sheets[from]
	delete(w.Sheets, from)
	for i, n := range w.Order {
		if n == from {
			w.Order[i] = to
		}
	}
}

// Remove deletes a sheet.
func (w *Workbook) Remove(name string) {
	delete(w.Sheets, name)
	for i, n := range w.Order {
		if n == name {
			w.Order = append(w.Order[:i], w.Order[i+1:]...)
			break
		}
	}
}

// Bytes writes the workbook as .xlsx.
func (w *Workbook) Bytes() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range w.Order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		for r, row := range w.Sheets[name] {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &cells); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// HandWritten is a short police-cell checklist laid out as people write
// XLSForm by hand: Russian columns first, mixed header spellings
// ("begin_group", "label::English", "list name"), hints only where useful,
// groups with a scope, a yes/no list, select_one and select_multiple,
// ranges, relevance on a select and on a yes/no, a note, a date and a time,
// and one built-in indicator (space per person) named by its inputs.
func HandWritten() *Workbook {
	survey := [][]string{
		{"type", "name", "label::Русский (ru)", "label::Қазақша (kk)", "label::English", "hint::Russian (ru)", "hint::Kazakh (kk)", "hint::English (en)", "required", "relevant", "constraint", "scope", "code", "unit", "indicator"},
		{"begin_group", "general", "Общие сведения", "Жалпы мәліметтер", "General", "", "", "", "", "", "", "visit", "", "", ""},
		{"integer", "people_held", "Сколько человек содержится?", "Қанша адам ұсталып отыр?", "How many persons are held?", "По журналу учёта", "Есеп журналы бойынша", "From the register", "yes", "", ". >= 0 and . <= 500", "", "G1", "persons", ""},
		{"select_one yes_no", "registers_kept", "Журналы ведутся?", "Журналдар жүргізіле ме?", "Are the registers kept?", "", "", "", "yes", "", "", "", "G2", "", ""},
		{"text", "registers_gap", "Чего не хватает в журналах?", "Журналдарда не жетіспейді?", "What is missing from the registers?", "", "", "", "", "${registers_kept} = 'no'", "string-length(.) <= 500", "", "G3", "", ""},
		{"end_group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"begin group", "cells", "Камеры", "Камералар", "Cells", "", "", "", "", "", "", "location", "", "", ""},
		{"select_one cell_kind", "cell_kind", "Вид камеры", "Камера түрі", "Kind of cell", "", "", "", "yes", "", "", "", "C1", "", "space_per_person.when"},
		{"decimal", "area", "Площадь камеры, м²", "Камера ауданы, м²", "Cell area, m²", "Без санузла", "Дәретханасыз", "Without the toilet", "", "", ".>=0 and .<=200", "", "C2", "m2", "space_per_person.num"},
		{"integer", "persons", "Человек в камере", "Камерадағы адамдар", "Persons in the cell", "", "", "", "", "", ". >= 0 and . <= 60", "", "C3", "persons", "space_per_person.den"},
		{"select_multiple problems", "problems", "Что не так в камере?", "Камерада не дұрыс емес?", "What is wrong in the cell?", "", "", "", "", "", "", "", "C4", "", ""},
		{"date", "last_disinfection", "Дата последней дезинсекции", "Соңғы дезинсекция күні", "Date of the last pest control", "", "", "", "", "selected(${problems}, 'pests')", "", "", "C5", "", ""},
		{"note", "light_note", "Проверьте свет при выключенном освещении", "Жарықты сөндіріп тексеріңіз", "Check the light with the lamps off", "", "", "", "", "", "", "", "C6", "", ""},
		{"time", "lights_out", "Время отбоя", "Ұйқы уақыты", "Lights-out time", "", "", "", "", "", "", "", "C7", "", ""},
		{"end group", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
	}
	choices := [][]string{
		{"list name", "name", "label::Русский (ru)", "label::Қазақша (kk)", "label::English"},
		{"yes_no", "yes", "Да", "Иә", "Yes"},
		{"yes_no", "no", "Нет", "Жоқ", "No"},
		{"cell_kind", "single", "Одиночная", "Бір орындық", "Single"},
		{"cell_kind", "multiple", "Многоместная", "Көп орындық", "Shared"},
		{"cell_kind", "disciplinary", "Дисциплинарная", "Тәртіптік", "Disciplinary"},
		{"problems", "damp", "Сырость", "Ылғал", "Damp"},
		{"problems", "no_light", "Нет дневного света", "Күндізгі жарық жоқ", "No daylight"},
		{"problems", "pests", "Насекомые или грызуны", "Жәндіктер немесе кеміргіштер", "Insects or rodents"},
	}
	settings := [][]string{
		{"form_id", "version", "form_title::Russian (ru)", "form_title::Kazakh (kk)", "form_title::English (en)"},
		{"police-cell-quick", "1", "Быстрая проверка ИВС", "УҰИ жылдам тексеру", "Police cell quick check"},
	}
	return &Workbook{Order: []string{"survey", "choices", "settings"},
		Sheets: map[string][][]string{"survey": survey, "choices": choices, "settings": settings}}
}
