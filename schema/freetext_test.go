package schema

import "testing"

func TestFlagPersonalData(t *testing.T) {
	for _, tt := range []struct {
		text  string
		kinds []string
	}{
		{"Cell 3 (detainee Ivanov I.I., b. 1985)", []string{FlagBirthDate, FlagName}},
		{"Камера 3 (задержанный Иванов И.И., 1985 г.р.)", []string{FlagBirthDate, FlagName}},
		{"Ward 2, IIN 850101300123", []string{FlagIIN}},
		{"ИИН 850101 300 123", []string{FlagIIN}},
		{"Born 12.03.1990", []string{FlagBirthDate}},
		{"Палата Сериковой", []string{FlagName}},
		{"Cell 12", nil},
		{"Камера № 4, подвал", nil},
		{"Kitchen and dining room", nil},
		{"Install ventilation in all cells of block B by 2027", nil},
		{"Прогулочный двор 2", nil},
		// Names written as registers write them: the surname in capitals.
		{"Камера 9: ИВАНОВ Иван Иванович", []string{FlagName}},
		{"Cell 5: ИВАНОВ И.И.", []string{FlagName}},
		{"Камера 9: САПАРОВА Ж.", []string{FlagName}},
		{"Cell 5: IVANOV Ivan", []string{FlagName}},
		{"Камера 9: КИМ Б.", []string{FlagName}},
		// A patronymic alone, Russian and Kazakh.
		{"Камера 9: Иван Петрович", []string{FlagName}},
		{"Cell 9: Ivan Petrovich", []string{FlagName}},
		{"Камера 5, Нұрлан Серікұлы", []string{FlagName}},
		// A room named after whom it holds.
		{"Камера Нурлана", []string{FlagName}},
		{"cell of Kim Vladimir", []string{FlagName}},
		// Dates of birth with the month's name, a two-digit year, an age.
		{"born on 12 March 1985", []string{FlagBirthDate}},
		{"родился 12 марта 1985 года", []string{FlagBirthDate}},
		{"1985 жылғы 12 наурызда туған", []string{FlagBirthDate}},
		{"DOB 12.03.85", []string{FlagBirthDate}},
		{"Cell 7 (Akhmetzhan, 38 years old, from Taraz)", []string{FlagBirthDate}},
		{"Камера 7 (Ахметжан, 38 лет, из Тараза)", []string{FlagBirthDate}},
		{"Бөлме 7, 38 жаста", []string{FlagBirthDate}},
		// Cell labels, official abbreviations, deadlines and durations
		// must not flag.
		{"Камера 12", nil},
		{"СИЗО № 61, ИВС ДП г. Сарань", nil},
		{"КУИС МВД РК, ДУИС по г. Алматы", nil},
		{"КАРАНТИН, MAIN BUILDING, ADMIN", nil},
		{"Shower room of Block A", nil},
		{"Палата интенсивной терапии", nil},
		{"Install ventilation by 1 March 2027", nil},
		{"Не ремонтировалось 20 лет; срок ремонта 2 года", nil},
		{"Камера 3 на 4 человека", nil},
	} {
		got := FlagPersonalData(tt.text)
		kinds := map[string]bool{}
		for _, f := range got {
			kinds[f.Kind] = true
		}
		if len(tt.kinds) == 0 && len(got) > 0 {
			t.Errorf("FlagPersonalData(%q) = %v; want none", tt.text, got)
		}
		for _, k := range tt.kinds {
			if !kinds[k] {
				t.Errorf("FlagPersonalData(%q) = %v; want a %s flag", tt.text, got, k)
			}
		}
	}
}
