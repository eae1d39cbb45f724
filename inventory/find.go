package inventory

import (
	"bytes"
	"sort"
)

// rawKind says what shape of endpoint a piece of text is.
type rawKind uint8

const (
	rawURL  rawKind = iota // scheme://host…, or a cloud host with a path and no scheme
	rawHost                // a bare host[:port] in a network context
	rawPath                // an API path in a string literal
)

// raw is an endpoint as written, before normalisation.
type raw struct {
	start, end int // byte span in the chunk
	kind       rawKind
	text       string // JSON's \/ already unescaped
}

const (
	maxURLLen    = 2048
	maxSchemeLen = 32
	maxHostLen   = 253
	maxPathLen   = 512
)

// find returns the endpoints written in data, in order of position, without
// overlaps: a URL's host is not reported again as a bare host. lower is
// data with ASCII letters lower-cased (the caller reuses its buffer); lines
// says the chunk is rendered one string a line (DEX, strings), so a line
// may open an API path as a quote would.
func find(data, lower []byte, lines bool) []raw {
	var out []raw
	out = findURLs(data, []byte("://"), false, out)
	out = findURLs(data, []byte(`:\/\/`), true, out)
	sortRaws(out)
	urls := len(out)
	out = findCloudHosts(data, lower, out, out[:urls])
	out = findHostContexts(data, lower, out, out[:urls])
	out = findAPIPaths(data, lines, out, out[:urls])
	out = findAnnotatedPaths(data, out, out[:urls])
	sortRaws(out)
	return dedupRaws(out)
}

// dedupRaws drops a raw found again at the same span by another finder.
func dedupRaws(rs []raw) []raw {
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r.start == out[n-1].start && r.end == out[n-1].end {
			continue
		}
		out = append(out, r)
	}
	return out
}

func sortRaws(rs []raw) {
	sort.Slice(rs, func(i, j int) bool {
		return rs[i].start < rs[j].start || rs[i].start == rs[j].start && rs[i].end < rs[j].end
	})
}

// findURLs finds scheme://… around each occurrence of sep. escaped says sep
// is JSON's `:\/\/`, so `\/` inside the URL stands for `/`.
func findURLs(data, sep []byte, escaped bool, out []raw) []raw {
	for i := 0; i < len(data); {
		j := bytes.Index(data[i:], sep)
		if j < 0 {
			break
		}
		j += i
		i = j + len(sep)
		k := j
		for k > 0 && j-k <= maxSchemeLen && isSchemeByte(data[k-1]) {
			k--
		}
		for k < j && !isLetter(data[k]) { // a scheme starts with a letter
			k++
		}
		if k == j || j-k > maxSchemeLen {
			continue
		}
		end := urlEnd(data, i, escaped)
		if end == i {
			continue
		}
		rest := data[i:end]
		if escaped {
			rest = bytes.ReplaceAll(rest, []byte(`\/`), []byte("/"))
		}
		out = append(out, raw{start: k, end: end, kind: rawURL, text: string(data[k:j]) + "://" + string(rest)})
		i = end
	}
	return out
}

// urlEnd returns where a URL starting (after its "://") at from ends: at a
// quote, space, angle bracket or the like, or at a closing bracket that
// did not open inside it; trailing punctuation is not part of it.
func urlEnd(data []byte, from int, escaped bool) int {
	e, parens, brackets := from, 0, 0
scan:
	for ; e < len(data) && e-from < maxURLLen; e++ {
		switch c := data[e]; {
		case c <= ' ' || c >= 0x7f, c == '"', c == '\'', c == '<', c == '>', c == '`', c == '|', c == '^':
			break scan
		case c == '\\':
			if !escaped || e+1 >= len(data) || data[e+1] != '/' {
				break scan
			}
			e++
		case c == '(':
			parens++
		case c == ')':
			if parens == 0 {
				break scan
			}
			parens--
		case c == '[':
			brackets++
		case c == ']':
			if brackets == 0 {
				break scan
			}
			brackets--
		}
	}
	for e > from && bytes.IndexByte([]byte(".,;:!?*"), data[e-1]) >= 0 {
		e--
	}
	return e
}

// cloudSuffixes are storage and database hosts that code often writes
// without a scheme ("my-bucket.s3.amazonaws.com/key").
var cloudSuffixes = [][]byte{
	[]byte(".amazonaws.com"),
	[]byte("storage.googleapis.com"),
	[]byte("firestore.googleapis.com"),
	[]byte(".blob.core.windows.net"),
	[]byte(".firebaseio.com"),
	[]byte(".firebasedatabase.app"),
	[]byte(".supabase.co"),
}

// findCloudHosts finds cloud storage and database hosts written without a
// scheme, with their path when one follows.
func findCloudHosts(data, lower []byte, out, urls []raw) []raw {
	for _, suffix := range cloudSuffixes {
		for i := 0; i < len(lower); {
			j := bytes.Index(lower[i:], suffix)
			if j < 0 {
				break
			}
			j += i
			i = j + len(suffix)
			if i < len(data) && isHostByte(data[i]) && data[i] != '.' {
				continue // "…supabase.com" is not "…supabase.co"
			}
			k := j
			for k > 0 && j-k < maxHostLen && isHostByte(data[k-1]) {
				k--
			}
			if k > 0 && (data[k-1] == '/' || data[k-1] == '@' || data[k-1] == '\\') || covered(urls, k) {
				continue // part of a URL, found with its scheme
			}
			if k == j && suffix[0] == '.' {
				continue // the bare suffix names no host
			}
			end := i
			if end < len(data) && (data[end] == '/' || data[end] == ':') {
				end = urlEnd(data, end, false)
			}
			kind := rawURL
			if end == i || end == i+1 {
				kind, end = rawHost, i
			}
			out = append(out, raw{start: k, end: end, kind: kind, text: string(data[k:end])})
			i = end
		}
	}
	return out
}

// hostKeys are the words that, ending a key or a call's name, say that
// what follows is a host: `host: api.foo.com`, `"baseUrl": "api.foo.com"`,
// `setHost("api.foo.com")`, `<string name="api_endpoint">api.foo.com</string>`.
var hostKeys = [][]byte{[]byte("host"), []byte("url"), []byte("uri"), []byte("endpoint"), []byte("server"), []byte("domain"), []byte("getbyname")}

// findHostContexts finds bare hosts and addresses that follow a host key.
func findHostContexts(data, lower []byte, out, urls []raw) []raw {
	for _, key := range hostKeys {
		for i := 0; i < len(lower); {
			j := bytes.Index(lower[i:], key)
			if j < 0 {
				break
			}
			j += i
			i = j + len(key)
			if !keyStarts(data, j) {
				continue
			}
			if r, ok := hostAfterKey(data, lower, j+len(key), j > 0 && data[j-1] == '<'); ok && !covered(urls, r.start) {
				out = append(out, r)
				i = r.end
			}
		}
	}
	return out
}

// keyStarts says a key word at j begins a word: at the start of an
// identifier, after a separator, or at a camel-case hump (setHost).
func keyStarts(data []byte, j int) bool {
	if j == 0 {
		return true
	}
	p := data[j-1]
	return !isIdentByte(p) || p == '_' || isLower(p) && isUpper(data[j]) || isDigit(p)
}

// maxAttrs bounds the attributes skipped in an XML element named by a key.
const maxAttrs = 256

// hostAfterKey reads `[tail]["'] (:|=|=>|(|>) ["']VALUE` after a key word
// ending at t; the tail may only be a plural or "name" (hostName). elem
// says the key names an XML element, whose attributes are skipped.
func hostAfterKey(data, lower []byte, t int, elem bool) (raw, bool) {
	e := t
	for e < len(data) && e-t < 8 && isIdentByte(data[e]) {
		e++
	}
	switch string(bytes.TrimLeft(lower[t:e], "_")) {
	case "", "s", "name":
	default:
		return raw{}, false
	}
	e = skipQuote(data, e)
	e = skipSpace(data, e)
	var sep byte
	switch {
	case elem && e < len(data) && data[e] != '>': // <domain includeSubdomains="true">host</domain>
		end := bytes.IndexByte(data[e:min(len(data), e+maxAttrs)], '>')
		if end < 0 {
			return raw{}, false
		}
		e, sep = e+end+1, '>'
	case e+1 < len(data) && data[e] == '=' && data[e+1] == '>':
		e, sep = e+2, '('
	case e < len(data) && (data[e] == ':' || data[e] == '=' || data[e] == '(' || data[e] == '>'):
		e, sep = e+1, data[e]
	default:
		return raw{}, false
	}
	e = skipSpace(data, e)
	var quote byte
	if e < len(data) && (data[e] == '"' || data[e] == '\'' || data[e] == '`') {
		quote = data[e]
		e++
	}
	start := e
	if e < len(data) && data[e] == '[' {
		for e < len(data) && e-start < 48 && data[e] != ']' {
			e++
		}
		if e == len(data) || data[e] != ']' {
			return raw{}, false
		}
		e++
	} else {
		for e < len(data) && e-start < maxHostLen && isHostByte(data[e]) {
			e++
		}
	}
	if e < len(data) && data[e] == ':' {
		p := e + 1
		for p < len(data) && p-e <= 5 && isDigit(data[p]) {
			p++
		}
		if p > e+1 {
			e = p
		}
	}
	if e == start || !valueCloses(data, e, quote, sep) {
		return raw{}, false
	}
	return raw{start: start, end: e, kind: rawHost, text: string(data[start:e])}, true
}

// findAPIPaths finds "/api…" and "/v1/…" paths that open a string literal
// (or, in rendered string tables, a line) and run to its end.
func findAPIPaths(data []byte, lines bool, out, urls []raw) []raw {
	for _, prefix := range [][]byte{[]byte("/api"), []byte("/v")} {
		for i := 0; i < len(data); {
			j := bytes.Index(data[i:], prefix)
			if j < 0 {
				break
			}
			j += i
			i = j + len(prefix)
			if j == 0 && !lines || j > 0 && !opensLiteral(data[j-1], lines) || covered(urls, j) {
				continue
			}
			e := i
			if prefix[1] == 'v' {
				for e < len(data) && e-i < 2 && isDigit(data[e]) {
					e++
				}
				if e == i {
					continue
				}
			}
			if e < len(data) && !isPathEnd(data[e]) && data[e] != '/' && data[e] != '?' {
				continue // "/apiary", "/video"
			}
			for e < len(data) && e-j < maxPathLen && !isPathEnd(data[e]) {
				e++
			}
			if e < len(data) && !closesLiteral(data, j, e, lines) {
				continue
			}
			out = append(out, raw{start: j, end: e, kind: rawPath, text: string(data[j:e])})
			i = e
		}
	}
	return out
}

// httpAnnotations declare an HTTP route by path: Retrofit's @GET("users/{id}"),
// Spring's @GetMapping. (Not JAX-RS's @Path: Retrofit's @Path("id") names a
// parameter.)
var httpAnnotations = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "HEAD": true, "OPTIONS": true,
	"GetMapping": true, "PostMapping": true, "PutMapping": true, "DeleteMapping": true, "PatchMapping": true,
	"RequestMapping": true,
}

// findAnnotatedPaths finds the paths of HTTP route annotations; relative
// ones (Retrofit resolves them against its base URL) get a leading slash.
func findAnnotatedPaths(data []byte, out, urls []raw) []raw {
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '@')
		if j < 0 {
			break
		}
		j += i
		i = j + 1
		n := i
		for n < len(data) && n-i < 16 && isLetter(data[n]) {
			n++
		}
		if !httpAnnotations[string(data[i:n])] || n+2 >= len(data) || data[n] != '(' || data[n+1] != '"' {
			continue
		}
		start := n + 2
		e := start
		for e < len(data) && e-start < maxPathLen && !isPathEnd(data[e]) {
			e++
		}
		if e == start || e == len(data) || data[e] != '"' || covered(urls, start) || bytes.Contains(data[start:e], []byte("://")) {
			continue
		}
		text := string(data[start:e])
		if text[0] != '/' {
			text = "/" + text
		}
		out = append(out, raw{start: start, end: e, kind: rawPath, text: text})
		i = e
	}
	return out
}

func opensLiteral(c byte, lines bool) bool {
	return c == '"' || c == '\'' || c == '`' || lines && c == '\n'
}

// closesLiteral says the path ending at e ends its literal the way it was
// opened (a path with a space in it is prose, not a path).
func closesLiteral(data []byte, start, end int, lines bool) bool {
	if start == 0 || data[start-1] == '\n' {
		return lines && (data[end] == '\n' || data[end] == '\r')
	}
	return data[end] == data[start-1]
}

func isPathEnd(c byte) bool {
	return c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '\\'
}

// covered says offset at lies inside one of urls (sorted by position,
// not overlapping).
func covered(urls []raw, at int) bool {
	i := sort.Search(len(urls), func(i int) bool { return urls[i].end > at })
	return i < len(urls) && urls[i].start <= at
}

func skipQuote(data []byte, e int) int {
	if e < len(data) && (data[e] == '"' || data[e] == '\'' || data[e] == '`') {
		e++
	}
	return e
}

func skipSpace(data []byte, e int) int {
	for n := 0; e < len(data) && n < 8 && (data[e] == ' ' || data[e] == '\t'); n++ {
		e++
	}
	return e
}

// valueCloses says the value ending at e is a whole literal: closed by its
// quote, by the end of an XML element's text, or, unquoted after : or =,
// by the end of the line (YAML, properties, resource tables). An unquoted
// value elsewhere is code (Host: cm.targetAddr,), not a host.
func valueCloses(data []byte, e int, quote, sep byte) bool {
	switch {
	case quote != 0:
		return e < len(data) && data[e] == quote
	case sep == '>':
		return e < len(data) && data[e] == '<'
	case sep != ':' && sep != '=':
		return false
	}
	e = skipSpace(data, e)
	return e == len(data) || data[e] == '\n' || data[e] == '\r' || data[e] == '#'
}

func isLetter(c byte) bool    { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isLower(c byte) bool     { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool     { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }
func isHostByte(c byte) bool  { return isLetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_' }
func isSchemeByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.'
}
