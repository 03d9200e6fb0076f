package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// formTemplate is a small template with every type XLSForm brings: a
// multichoice, a date, a time, a note, and relevance on a choice.
func formTemplate(t *testing.T, edit func(m map[string]any)) (*Template, error) {
	t.Helper()
	text := func(s string) map[string]any { return map[string]any{"en": s, "ru": s + " ru", "kk": s + " kk"} }
	opt := func(id string) map[string]any { return map[string]any{"id": id, "label": text(id)} }
	item := func(id, typ string) map[string]any {
		return map[string]any{"id": id, "code": strings.ToUpper(id[:3]), "section": "s", "scope": "location", "type": typ, "label": text(id)}
	}
	kind := item("kind", "choice")
	kind["options"] = []any{opt("cell"), opt("yard")}
	multi := item("problems", "multichoice")
	multi["options"] = []any{opt("damp"), opt("dark"), opt("pests")}
	multi["relevant"] = map[string]any{"item": "kind", "in": []any{"cell"}}
	date := item("checked_on", "date")
	date["relevant"] = map[string]any{"item": "problems", "in": []any{"pests"}}
	m := map[string]any{"id": "form", "version": 1, "title": text("Form"),
		"sections": []any{map[string]any{"id": "s", "title": text("S")}},
		"items":    []any{kind, multi, date, item("lights_out", "time"), item("note", "note")}}
	if edit != nil {
		edit(m)
	}
	body, _ := json.Marshal(m)
	return ParseTemplate("form.json", body)
}

func TestNewTypesParseValue(t *testing.T) {
	tmpl, err := formTemplate(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		item, raw string
		want      any
		err       string
	}{
		{"problems", `["pests","damp"]`, []string{"damp", "pests"}, ""},
		{"problems", `[]`, []string{}, ""},
		{"problems", `["damp","damp"]`, nil, "twice"},
		{"problems", `["mould"]`, nil, "options among"},
		{"problems", `"damp"`, nil, "list of options"},
		{"checked_on", `"2026-11-29"`, "2026-11-29", ""},
		{"checked_on", `"2026-02-30"`, nil, "date such as"},
		{"checked_on", `"29.11.2026"`, nil, "date such as"},
		{"lights_out", `"22:00"`, "22:00", ""},
		{"lights_out", `"25:00"`, nil, "time such as"},
		{"lights_out", `"10pm"`, nil, "time such as"},
		{"note", `"anything"`, nil, "takes no answer"},
		{"note", `null`, nil, ""},
	}
	for _, c := range cases {
		got, err := tmpl.ParseValue(c.item, json.RawMessage(c.raw))
		switch {
		case c.err == "" && (err != nil || !reflect.DeepEqual(got, c.want)):
			t.Errorf("ParseValue(%s, %s) = %#v, %v; want %#v", c.item, c.raw, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseValue(%s, %s) = %#v, %v; want an error saying %q", c.item, c.raw, got, err, c.err)
		}
	}
}

func TestRelevance(t *testing.T) {
	tmpl, err := formTemplate(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := tmpl.Item("problems")
	checked, _ := tmpl.Item("checked_on")
	if problems.IsRelevant(map[string]any{}) || problems.IsRelevant(map[string]any{"kind": "yard"}) || !problems.IsRelevant(map[string]any{"kind": "cell"}) {
		t.Error("problems is not asked exactly in cells")
	}
	if !checked.IsRelevant(map[string]any{"problems": []any{"damp", "pests"}}) || checked.IsRelevant(map[string]any{"problems": []string{"damp"}}) {
		t.Error("checked_on is not asked exactly when pests were found")
	}
	notIn := Item{Relevant: &Condition{Item: "kind", NotIn: []string{"yard"}}}
	if !notIn.IsRelevant(map[string]any{}) || notIn.IsRelevant(map[string]any{"kind": "yard"}) {
		t.Error("not_in: asked when unanswered and not for a listed answer")
	}
	yes := Item{Relevant: &Condition{Item: "ok", In: []string{"no"}}}
	if !yes.IsRelevant(map[string]any{"ok": false}) || yes.IsRelevant(map[string]any{"ok": true}) {
		t.Error("a yes/no condition reads false as no")
	}

	for _, c := range []struct {
		name string
		edit func(m map[string]any)
		says string
	}{
		{"later item", func(m map[string]any) {
			m["items"].([]any)[0].(map[string]any)["relevant"] = map[string]any{"item": "problems", "in": []any{"damp"}}
		}, "comes after this one"},
		{"unknown option", func(m map[string]any) {
			m["items"].([]any)[1].(map[string]any)["relevant"] = map[string]any{"item": "kind", "in": []any{"ward"}}
		}, `unknown option "ward"`},
		{"no options to test", func(m map[string]any) {
			m["items"].([]any)[4].(map[string]any)["relevant"] = map[string]any{"item": "lights_out", "in": []any{"x"}}
		}, "has no options to test"},
		{"note required", func(m map[string]any) { m["items"].([]any)[4].(map[string]any)["required"] = true }, "cannot be required"},
		{"multichoice with one option", func(m map[string]any) {
			m["items"].([]any)[1].(map[string]any)["options"] = []any{map[string]any{"id": "damp", "label": map[string]any{"en": "d", "ru": "d", "kk": "d"}}}
		}, "multichoice item needs at least two options"},
	} {
		if _, err := formTemplate(t, c.edit); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: ParseTemplate = %v; want an error saying %q", c.name, err, c.says)
		}
	}
}
