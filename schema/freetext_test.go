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
