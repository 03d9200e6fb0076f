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
		// Normalisation must not make labels, abbreviations or the visit's
		// dates look like personal data.
		{"Камера\u00a0№\u00a012", nil},
		{"Камера № 4,\u00a0подвал", nil},
		{"СИЗО\u00a0№\u00a061, ИВС ДП г.\u00a0Сарань", nil},
		{"Визит 12\u00a0марта 2026, с 10:30 до 16:00", nil},
		{"Камеры 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12", nil},
		{"Камера 5 (ремонт до 1 марта 2027), 12 мест", nil},
		{"Cafe\u0301 and kitchen", nil},
		{"Ёмкость для воды, йодированная соль", nil},
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

// TestFlagPersonalDataSeesThroughUnicode: what a reader sees as a name, a
// date of birth or an IIN is flagged however its characters are encoded:
// invisible characters, Unicode spaces, decomposed or accented letters,
// look-alike letters of the other script, bidi overrides, an IIN split by
// other separators or inside a longer run of digits.
func TestFlagPersonalDataSeesThroughUnicode(t *testing.T) {
	for _, tt := range []struct {
		text string
		kind string
	}{
		// Format characters (Cf) inside a name.
		{"Камера 5: Ива\u200bнов", FlagName}, // zero-width space
		{"Камера 5: ИВА\u200bНОВ", FlagName}, // zero-width space in capitals
		{"Cell 5: Iva\u2060nov", FlagName},   // word joiner
		{"Камера 5: Ива\u200dнов", FlagName}, // zero-width joiner
		{"Камера 5: Ива\u200cнов", FlagName}, // zero-width non-joiner
		{"Камера 5: Ива\u00adнов", FlagName}, // soft hyphen
		{"Камера 5: Ива\ufeffнов", FlagName}, // BOM
		{"Камера 5: Ива\u3164нов", FlagName}, // Hangul filler (default-ignorable)
		{"Камера 5: Ива\ufe0fнов", FlagName}, // variation selector
		{"Перевести Ива\u00adнова И.\u00a0И.", FlagName},
		// Unicode spaces before initials.
		{"Камера 7: Ким\u00a0В.", FlagName},
		{"Cell 7: Kim\u00a0V.", FlagName},
		{"Cell 7: Kim\u2009V.", FlagName}, // thin space
		{"Cell 7: Kim\u202fV.", FlagName}, // narrow no-break space
		{"Cell 7: Kim\u1680V.", FlagName}, // Ogham space mark (no compatibility form)
		{"Cell 7: Kim\tV.", FlagName},     // a tab, a control character
		// Decomposed й and ё, a stress accent.
		{"Камера 5: Ба\u0438\u0306жанов", FlagName},
		{"Камера 5: Се\u043c\u0435\u0308нов", FlagName},
		{"Камера 5: И\u0301ванов", FlagName},
		{"Cell 5: Ivano\u0301v", FlagName},
		// Look-alike letters of the other script inside a word.
		{"Камера 5: Иванoв", FlagName}, // Latin o
		{"Камера 5: Ивaнов", FlagName}, // Latin a
		{"Cell 5: Іvanov", FlagName},   // Cyrillic І
		{"Cell 5: Ivаnov", FlagName},   // Cyrillic а
		// A name reversed by a right-to-left override.
		{"Камера 5: \u202eвонавИ", FlagName},
		{"Камера 5: \u202eвонавИ\u202c, 3 места", FlagName},
		{"Cell 5 \u202evonavI\u202c", FlagName},
		{"Камера \u202eаналруН\u202c", FlagName}, // shown "Камера Нурлана"
		// Compatibility forms: fullwidth letters.
		{"Cell 5: \uff29\uff56\uff41\uff4e\uff4f\uff56", FlagName},
		// An IIN split by a no-break space, dots, a zero-width space, a dash.
		{"ИИН 850312\u00a0300123", FlagIIN},
		{"850312.300.123", FlagIIN},
		{"ИИН 850312\u200b300123", FlagIIN},
		{"ИИН 850312\u2013300\u2013123", FlagIIN},
		{"ИИН 850312 / 300123", FlagIIN},
		// An IIN inside a longer run of digits.
		{"Камера 5 850312300123", FlagIIN},
		{"850312300123 5", FlagIIN},
		{"Камера 12 - 850312300123", FlagIIN},
		{"тел. 8 701 850312300123", FlagIIN},
		// Digits of another script, fullwidth digits.
		{"ИИН \uff18\uff15\uff10\uff13\uff11\uff12\uff13\uff10\uff10\uff11\uff12\uff13", FlagIIN},
		{"ИИН \u0668\u0665\u0660\u0663\u0661\u0662\u0663\u0660\u0660\u0661\u0662\u0663", FlagIIN},
		// A date of birth with a no-break space.
		{"родился 12\u00a0марта 1985", FlagBirthDate},
		{"12\u00a0марта\u00a01985", FlagBirthDate},
	} {
		got := FlagPersonalData(tt.text)
		found := false
		for _, f := range got {
			found = found || f.Kind == tt.kind
		}
		if !found {
			t.Errorf("FlagPersonalData(%+q) = %v; want a %s flag", tt.text, got, tt.kind)
		}
	}
}

// TestContainsIIN: a run of more than 12 digits is flagged only when 12
// consecutive digits of it are shaped like an IIN (a date, then 0-6).
func TestContainsIIN(t *testing.T) {
	for digits, want := range map[string]bool{
		"5850312300123":    true,
		"8503123001235":    true,
		"8701850312300123": true,
		"1234567890123":    false, // no window with a month and a day
		"9999999999999":    false,
		"0000000000000":    false,
		"1203129001234":    false, // a date, but 9 is no century digit
	} {
		if got := containsIIN(digits); got != want {
			t.Errorf("containsIIN(%s) = %v; want %v", digits, got, want)
		}
	}
}
