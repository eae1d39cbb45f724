package inventory

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Delta is what changed between two inventories, by endpoint key. Its JSON
// form (`keyhole inventory diff --format json`):
//
//	added     endpoints in new but not old
//	removed   endpoints in old but not new
//	changed   endpoints in both whose classification, query names,
//	          credentials flag or linked findings differ: {key, changes, old, new}
type Delta struct {
	Added   []Endpoint `json:"added"`
	Removed []Endpoint `json:"removed"`
	Changed []Change   `json:"changed"`
}

// Change is one endpoint that is in both inventories but differs.
type Change struct {
	Key     string   `json:"key"`
	Changes []string `json:"changes"` // names of the fields that differ
	Old     Endpoint `json:"old"`
	New     Endpoint `json:"new"`
}

// Diff compares two inventories (say, two releases of an app). Where an
// endpoint was seen and how often are not changes; everything that says
// what the endpoint is or carries is.
func Diff(old, new *Inventory) *Delta {
	before := map[string]*Endpoint{}
	for i := range old.Endpoints {
		before[old.Endpoints[i].Key] = &old.Endpoints[i]
	}
	after := map[string]bool{}
	d := &Delta{Added: []Endpoint{}, Removed: []Endpoint{}, Changed: []Change{}}
	for _, e := range new.Endpoints {
		after[e.Key] = true
		o, ok := before[e.Key]
		if !ok {
			d.Added = append(d.Added, e)
			continue
		}
		if fields := changedFields(o, &e); len(fields) > 0 {
			d.Changed = append(d.Changed, Change{Key: e.Key, Changes: fields, Old: *o, New: e})
		}
	}
	for _, e := range old.Endpoints {
		if !after[e.Key] {
			d.Removed = append(d.Removed, e)
		}
	}
	sortEndpoints(d.Added)
	sortEndpoints(d.Removed)
	slices.SortFunc(d.Changed, func(a, b Change) int { return strings.Compare(a.Key, b.Key) })
	return d
}

func changedFields(a, b *Endpoint) []string {
	var out []string
	check := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	check("transport", a.Transport != b.Transport)
	check("address", a.Address != b.Address)
	check("party", a.Party != b.Party)
	check("service", a.Service != b.Service)
	check("resource", (a.Resource == nil) != (b.Resource == nil) || a.Resource != nil && *a.Resource != *b.Resource)
	check("query", !slices.Equal(a.Query, b.Query))
	check("credentials", a.Credentials != b.Credentials)
	check("findings", !slices.Equal(linkRules(a), linkRules(b)))
	return out
}

// linkRules are the rule ids an endpoint is linked to: fingerprints key on
// paths, which move between releases, so the rules are what compare.
func linkRules(e *Endpoint) []string {
	var rs []string
	for _, l := range e.Links {
		if !slices.Contains(rs, l.Rule) {
			rs = append(rs, l.Rule)
		}
	}
	slices.Sort(rs)
	return rs
}

// Empty says nothing changed.
func (d *Delta) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// WriteDelta renders d as "text", "json" or "jsonl" (one deltaLine a line).
func WriteDelta(w io.Writer, d *Delta, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	case "jsonl":
		return writeDeltaJSONL(w, d)
	case "text":
		return writeDeltaText(w, d)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
}

// deltaLine is one line of the JSONL form of a Delta.
type deltaLine struct {
	Change   string    `json:"change"` // "added", "removed" or "changed"
	Key      string    `json:"key"`
	Endpoint *Endpoint `json:"endpoint,omitempty"` // added and removed
	Changes  []string  `json:"changes,omitempty"`  // changed: the fields that differ
	Old      *Endpoint `json:"old,omitempty"`
	New      *Endpoint `json:"new,omitempty"`
}

func writeDeltaJSONL(w io.Writer, d *Delta) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var lines []deltaLine
	for i := range d.Added {
		lines = append(lines, deltaLine{Change: "added", Key: d.Added[i].Key, Endpoint: &d.Added[i]})
	}
	for i := range d.Removed {
		lines = append(lines, deltaLine{Change: "removed", Key: d.Removed[i].Key, Endpoint: &d.Removed[i]})
	}
	for i := range d.Changed {
		c := &d.Changed[i]
		lines = append(lines, deltaLine{Change: "changed", Key: c.Key, Changes: c.Changes, Old: &c.Old, New: &c.New})
	}
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeDeltaText(w io.Writer, d *Delta) error {
	bw := bufio.NewWriter(w)
	for _, e := range d.Added {
		fmt.Fprintf(bw, "+ %s%s\n", quoteText(e.Key), summary(&e))
	}
	for _, e := range d.Removed {
		fmt.Fprintf(bw, "- %s%s\n", quoteText(e.Key), summary(&e))
	}
	for _, c := range d.Changed {
		var parts []string
		for _, f := range c.Changes {
			parts = append(parts, f+": "+fieldText(&c.Old, f)+" -> "+fieldText(&c.New, f))
		}
		fmt.Fprintf(bw, "~ %s  (%s)\n", quoteText(c.Key), strings.Join(parts, "; "))
	}
	fmt.Fprintf(bw, "%d added, %d removed, %d changed\n", len(d.Added), len(d.Removed), len(d.Changed))
	return bw.Flush()
}

// summary is the classification of e in a few words.
func summary(e *Endpoint) string {
	var tags []string
	for _, t := range []string{e.Service, e.Transport, e.Address, e.Party} {
		if t != "" && t != "unknown" {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return ""
	}
	return "  [" + strings.Join(tags, ", ") + "]"
}

func fieldText(e *Endpoint, field string) string {
	switch field {
	case "transport":
		return e.Transport
	case "address":
		return e.Address
	case "party":
		return e.Party
	case "service":
		return orNone(e.Service)
	case "resource":
		if e.Resource == nil {
			return "none"
		}
		return e.Resource.Type + " " + e.Resource.Name
	case "query":
		return orNone(strings.Join(e.Query, ","))
	case "credentials":
		return fmt.Sprint(e.Credentials)
	case "findings":
		return orNone(strings.Join(linkRules(e), ","))
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return quoteText(s)
}
