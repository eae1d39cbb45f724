package report

import (
	"bytes"
	"encoding/json"
	"strings"
)

// htmlSection is one part of the endpoint inventory in the HTML report: a
// table, or a line of values.
type htmlSection struct {
	Title   string
	Values  []string
	Columns []string
	Rows    [][]string
}

// jsonField keeps an object's fields in the order they were written, which
// a map would lose.
type jsonField struct {
	Key   string
	Value any
}

type jsonObject []jsonField

const maxCell = 300 // runes

// htmlSections lays out any value by its JSON form, so the report needs no
// knowledge of the inventory's types: an object's fields become sections,
// an array of objects a table (columns in the order fields first appear),
// anything else a line of values.
func htmlSections(v any) ([]htmlSection, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	root, err := readOrdered(dec)
	if err != nil {
		return nil, err
	}
	if obj, ok := root.(jsonObject); ok {
		var out []htmlSection
		for _, f := range obj {
			out = append(out, sectionOf(f.Key, f.Value))
		}
		return out, nil
	}
	return []htmlSection{sectionOf("", root)}, nil
}

// readOrdered reads one JSON value: a jsonObject, []any, string,
// json.Number, bool or nil.
func readOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var obj jsonObject
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, jsonField{key.(string), v})
		}
		_, err = dec.Token() // '}'
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token() // ']'
		return arr, err
	}
	return tok, nil
}

func sectionOf(title string, v any) htmlSection {
	s := htmlSection{Title: oneLine(title, 0)}
	arr, ok := v.([]any)
	if !ok {
		s.Values = []string{cellText(v)}
		return s
	}
	if !allObjects(arr) {
		for _, e := range arr {
			s.Values = append(s.Values, cellText(e))
		}
		return s
	}
	col := map[string]int{}
	for _, e := range arr {
		for _, f := range e.(jsonObject) {
			if _, ok := col[f.Key]; !ok {
				col[f.Key] = len(s.Columns)
				s.Columns = append(s.Columns, oneLine(f.Key, 0))
			}
		}
	}
	for _, e := range arr {
		row := make([]string, len(s.Columns))
		for _, f := range e.(jsonObject) {
			row[col[f.Key]] = cellText(f.Value)
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

func allObjects(arr []any) bool {
	for _, e := range arr {
		if _, ok := e.(jsonObject); !ok {
			return false
		}
	}
	return len(arr) > 0
}

// cellText is a value as one line of text: lists joined with commas,
// nested objects as "key: value" pairs in braces.
func cellText(v any) string {
	var b strings.Builder
	writeCell(&b, v)
	return oneLine(b.String(), maxCell)
}

func writeCell(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
	case string:
		b.WriteString(v)
	case json.Number:
		b.WriteString(v.String())
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case []any:
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeCell(b, e)
		}
	case jsonObject:
		b.WriteString("{")
		for i, f := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Key + ": ")
			writeCell(b, f.Value)
		}
		b.WriteString("}")
	}
}
