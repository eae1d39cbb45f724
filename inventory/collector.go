package inventory

import (
	"bytes"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/scanner"
)

// Collector gathers endpoints from the chunks an extraction delivers. It
// is an extract.Sink, safe for concurrent use. With a linker it also runs
// the scanner on every chunk that has endpoints and links the findings
// that overlap them; that engine must not redact, because the overlap is
// measured on the match (secrets never leave the collector: links carry
// only rule ids and fingerprints).
type Collector struct {
	judge  AddressJudge
	linker *scanner.Engine
	lower  sync.Pool

	mu       sync.Mutex
	entries  map[string]*entry
	appIDs   map[string]bool
	warnings []scanner.Warning
}

// entry accumulates one endpoint.
type entry struct {
	ep      Endpoint
	query   map[string]bool
	places  map[uint64]bool // hashes of every distinct place, for Count
	links   map[Link]bool
	address string
}

// NewCollector returns a collector that classifies addresses with judge
// and, when linker is not nil, links findings.
func NewCollector(judge AddressJudge, linker *scanner.Engine) *Collector {
	return &Collector{judge: judge, linker: linker, entries: map[string]*entry{}, appIDs: map[string]bool{}}
}

// sighting is one endpoint seen in one chunk, ready to merge.
type sighting struct {
	p       parsed
	kind    string
	line    int
	address string
	links   []Link
}

// Chunk finds the endpoints in c.
func (col *Collector) Chunk(c extract.Chunk) {
	buf, _ := col.lower.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	*buf = lowerASCII((*buf)[:0], c.Data)
	raws := find(c.Data, *buf, c.Rendered)
	col.lower.Put(buf)

	id := appIDOf(c.Origin.Path, c.Data)
	if len(raws) == 0 && id == "" {
		return
	}
	found := col.sightings(c, raws)
	col.mu.Lock()
	defer col.mu.Unlock()
	if id != "" {
		col.appIDs[id] = true
	}
	for _, o := range append([]extract.Origin{c.Origin}, c.Aliases...) {
		for i := range found {
			col.merge(&found[i], o)
		}
	}
}

// sightings normalises, classifies and links the raws of one chunk.
func (col *Collector) sightings(c extract.Chunk, raws []raw) []sighting {
	var findings []scanner.Finding
	if col.linker != nil && len(raws) > 0 {
		findings = col.linker.Scan(c)
	}
	path := strings.ReplaceAll(c.Origin.String(), "!", "/")
	out := make([]sighting, 0, len(raws))
	line, lineStart, pos := 1, 0, 0
	for _, r := range raws {
		p, ok := parseRaw(r)
		if !ok {
			continue
		}
		for ; pos < r.start; pos++ {
			if c.Data[pos] == '\n' {
				line++
				lineStart = pos + 1
			}
		}
		s := sighting{p: p, kind: kindOf(r, &p), line: line + c.LineOffset, address: AddrUnknown}
		switch {
		case p.scheme == "s3" || p.scheme == "gs":
			s.address = AddrPublic // a bucket name, not a DNS host
		case p.host != "" && (p.scheme == "" || isNetworkScheme(p.scheme) || strings.Contains(p.host, ".")):
			lineEnd := lineStart + bytes.IndexByte(c.Data[lineStart:], '\n')
			if lineEnd < lineStart {
				lineEnd = len(c.Data)
			}
			s.address = col.judge.Address(p.host, withContext(c.Data, lineStart, r), clip(c.Data[lineStart:lineEnd], r.start-lineStart), path)
			if s.address == addrReference {
				continue
			}
		}
		// Other hosts of custom schemes (shopfast://product) name places
		// in an app, not on the network: their address stays unknown.
		s.links = linksFor(findings, c.Origin, s.line, r.start-lineStart+1, r.end-r.start)
		out = append(out, s)
	}
	return out
}

// maxLineContext bounds the line text given to the judge.
const maxLineContext = 1024

// clip returns up to maxLineContext bytes of line around offset at.
func clip(line []byte, at int) []byte {
	if len(line) <= maxLineContext {
		return line
	}
	from := max(0, at-maxLineContext/2)
	return line[from:min(len(line), from+maxLineContext)]
}

// withContext returns the URL of r with the declaration it is the value
// of, when that is an XML namespace (xmlns:a="…"): namespaces are
// identifiers, which the judges recognise by this prefix.
func withContext(data []byte, lineStart int, r raw) []byte {
	i := r.start
	if i > lineStart && (data[i-1] == '"' || data[i-1] == '\'') {
		i--
	}
	j := i
	for j > lineStart && i-j < 8 && (data[j-1] == ' ' || data[j-1] == '\t') {
		j--
	}
	if j == lineStart || data[j-1] != '=' {
		return data[i:r.end]
	}
	j--
	for j > lineStart && i-j < 64 && (isIdentByte(data[j-1]) || data[j-1] == ':' || data[j-1] == '.' || data[j-1] == '-') {
		j--
	}
	return data[j:r.end]
}

// linksFor returns the findings on the same line whose match overlaps the
// endpoint's columns (any on the line when the finding has no column, as
// in decoded text).
func linksFor(fs []scanner.Finding, o extract.Origin, line, col, n int) []Link {
	var out []Link
	for i := range fs {
		f := &fs[i]
		if f.Line != line || f.Target != o.Target || f.Path != o.Path {
			continue
		}
		if f.Column != 0 && (f.Column >= col+n || f.Column+len(f.Match) <= col) {
			continue
		}
		out = append(out, Link{Rule: f.Rule, Fingerprint: f.Fingerprint})
	}
	return out
}

// isNetworkScheme says the scheme's host is a network host: the web's
// schemes and the protocols keyhole knows the port or transport of.
func isNetworkScheme(scheme string) bool {
	return webSchemes[scheme] || defaultPorts[scheme] != 0 || transports[scheme] != ""
}

func kindOf(r raw, p *parsed) string {
	switch {
	case p.host == "":
		return KindPath
	case r.kind == rawHost:
		return KindHost
	}
	return KindURL
}

// merge adds a sighting at origin o; the caller holds col.mu.
func (col *Collector) merge(s *sighting, o extract.Origin) {
	key := s.p.key()
	e := col.entries[key]
	if e == nil {
		e = &entry{
			ep: Endpoint{
				Key: key, Kind: s.kind, Scheme: s.p.scheme, Host: s.p.host, Port: s.p.port, Path: s.p.path,
				Resource: s.p.resource,
			},
			query: map[string]bool{}, places: map[uint64]bool{}, links: map[Link]bool{}, address: s.address,
		}
		col.entries[key] = e
	}
	for _, q := range s.p.query {
		if len(e.query) < maxQueryNames {
			e.query[q] = true
		}
	}
	e.ep.Credentials = e.ep.Credentials || s.p.credentials
	for _, l := range s.links {
		e.links[l] = true
	}
	place := Place{Target: o.Target, Path: o.Path, Line: s.line, Commit: o.Commit}
	h := placeHash(place)
	if e.places[h] {
		return
	}
	e.places[h] = true
	e.ep.Seen = insertPlace(e.ep.Seen, place)
}

func placeHash(p Place) uint64 {
	h := fnv.New64a()
	h.Write([]byte(p.Target))
	h.Write([]byte{0})
	h.Write([]byte(p.Path))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(p.Line)))
	h.Write([]byte{0})
	h.Write([]byte(p.Commit))
	return h.Sum64()
}

// insertPlace keeps the MaxSeen first places in order, whatever order
// they arrive in, so the output does not depend on scheduling.
func insertPlace(ps []Place, p Place) []Place {
	i := sort.Search(len(ps), func(i int) bool { return placeLess(p, ps[i]) })
	if i >= MaxSeen {
		return ps
	}
	if len(ps) < MaxSeen {
		ps = append(ps, Place{})
	}
	copy(ps[i+1:], ps[i:])
	ps[i] = p
	return ps
}

func placeLess(a, b Place) bool {
	switch {
	case a.Target != b.Target:
		return a.Target < b.Target
	case a.Path != b.Path:
		return a.Path < b.Path
	case a.Line != b.Line:
		return a.Line < b.Line
	}
	return a.Commit < b.Commit
}

// Warn records a problem with a target.
func (col *Collector) Warn(w extract.Warning) {
	col.mu.Lock()
	col.warnings = append(col.warnings, scanner.Warning{
		Target: w.Origin.Target, Path: w.Origin.Path, Limit: w.Limit, Message: w.Err.Error(), Fatal: w.Fatal,
	})
	col.mu.Unlock()
}

func lowerASCII(dst, src []byte) []byte {
	dst = append(dst, src...)
	for i, c := range dst {
		if 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}
