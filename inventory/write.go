package inventory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats are the output formats Write knows.
func Formats() []string { return []string{"text", "json", "jsonl"} }

// Write renders inv in format ("text", "json" or "jsonl").
func Write(w io.Writer, inv *Inventory, format string) error {
	switch format {
	case "json":
		return writeJSON(w, inv)
	case "jsonl":
		return writeJSONL(w, inv)
	case "text":
		return writeText(w, inv)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
}

func writeJSON(w io.Writer, inv *Inventory) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(inv)
}

func writeJSONL(w io.Writer, inv *Inventory) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range inv.Endpoints {
		if err := enc.Encode(&inv.Endpoints[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Read reads an inventory written as JSON or JSONL (by Write).
func Read(r io.Reader) (*Inventory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	inv := &Inventory{}
	if json.Unmarshal(data, inv) == nil && inv.Version != 0 {
		if inv.Version > SchemaVersion {
			return nil, fmt.Errorf("inventory schema version %d is newer than this keyhole's (%d)", inv.Version, SchemaVersion)
		}
		return inv, nil
	}
	inv = &Inventory{Version: SchemaVersion}
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var e Endpoint
		if err := dec.Decode(&e); err != nil {
			return nil, err
		}
		if e.Key == "" {
			return nil, errors.New("a line without an endpoint key")
		}
		inv.Endpoints = append(inv.Endpoints, e)
	}
	return inv, nil
}

// writeText groups endpoints by host: public hosts first (first-party,
// then third-party), then the addresses set apart (private, loopback,
// link-local, metadata, documentation), then API paths without a host.
func writeText(w io.Writer, inv *Inventory) error {
	bw := bufio.NewWriter(w)
	if len(inv.FirstParty) > 0 {
		fmt.Fprintf(bw, "First-party domains: %s\n", strings.Join(inv.FirstParty, ", "))
	}
	sections := []struct {
		title string
		keep  func(*Endpoint) bool
	}{
		{"First-party hosts", func(e *Endpoint) bool { return e.Host != "" && e.Party == "first" }},
		{"Third-party hosts", func(e *Endpoint) bool { return e.Host != "" && e.Party == "third" }},
		{"Set apart (private, loopback, link-local, metadata, documentation; app links)", func(e *Endpoint) bool {
			return e.Host != "" && e.Address != AddrPublic
		}},
		{"API paths (no host)", func(e *Endpoint) bool { return e.Host == "" }},
	}
	for _, s := range sections {
		var group []*Endpoint
		for i := range inv.Endpoints {
			if s.keep(&inv.Endpoints[i]) {
				group = append(group, &inv.Endpoints[i])
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s\n", s.title)
		for i := 0; i < len(group); {
			j := i
			for j < len(group) && group[j].Host == group[i].Host {
				j++
			}
			writeHost(bw, group[i:j])
			i = j
		}
	}
	fmt.Fprintf(bw, "\n%d endpoints\n", len(inv.Endpoints))
	return bw.Flush()
}

// writeHost writes one host's heading and its endpoints.
func writeHost(w *bufio.Writer, eps []*Endpoint) {
	e0 := eps[0]
	if e0.Host != "" {
		total := 0
		for _, e := range eps {
			total += e.Count
		}
		var tags []string
		if e0.Service != "" {
			tags = append(tags, e0.Service)
		}
		if e0.Address != AddrPublic {
			tags = append(tags, e0.Address)
		}
		fmt.Fprintf(w, "  %s", quoteText(e0.Host))
		if len(tags) > 0 {
			fmt.Fprintf(w, " [%s]", strings.Join(tags, ", "))
		}
		fmt.Fprintf(w, " (%d)\n", total)
	}
	for _, e := range eps {
		var notes []string
		if e.Transport == "cleartext" {
			notes = append(notes, "cleartext")
		}
		if e.Credentials {
			notes = append(notes, "credentials in URL")
		}
		if e.Resource != nil {
			notes = append(notes, e.Resource.Type+" "+e.Resource.Name)
		}
		if len(e.Query) > 0 {
			notes = append(notes, "query: "+strings.Join(e.Query, ","))
		}
		for _, l := range e.Links {
			notes = append(notes, "finding "+l.Rule+" "+l.Fingerprint)
		}
		line := "    " + quoteText(e.Key) + "  ×" + strconv.Itoa(e.Count)
		if len(notes) > 0 {
			line += "  (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintln(w, line)
		if len(e.Seen) > 0 {
			p := e.Seen[0]
			where := p.Target
			if p.Path != "" {
				where += ": " + p.Path
			}
			fmt.Fprintf(w, "        %s:%d\n", quoteText(where), p.Line)
		}
	}
}

// quoteText escapes control and non-printable characters so that what a
// scanned file holds cannot drive the terminal.
func quoteText(s string) string {
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
