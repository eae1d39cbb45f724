package inventory

import (
	"sort"
	"strings"
)

const (
	maxSegments   = 32
	maxQueryNames = 32
	maxQueryName  = 64
)

// placeholder is what ids and placeholders in paths become.
const placeholder = "{id}"

// splitPathQuery splits "/p?q#f" into path and query; the fragment goes.
func splitPathQuery(s string) (string, string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// templatePath turns a path into its template: segments that are numbers,
// UUIDs, long hex or placeholders ({x}, :x, %s, %d, %@, ${x}, <x>) become
// {id}; placeholders inside a segment (user_{id}.json) likewise. Empty
// segments and a trailing slash go. At most maxSegments segments are kept.
func templatePath(p string) string {
	if p == "" {
		return ""
	}
	segs := strings.Split(p, "/")
	var b strings.Builder
	n := 0
	for _, s := range segs {
		if s == "" {
			continue
		}
		if n++; n > maxSegments {
			break
		}
		b.WriteByte('/')
		b.WriteString(templateSegment(s))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func templateSegment(s string) string {
	switch {
	case isNumber(s), isUUID(s), isLongHex(s), isWholePlaceholder(s):
		return placeholder
	}
	return replacePlaceholders(s)
}

func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// isLongHex: 16 or more hex digits with at least one digit (object ids,
// hashes), so that words such as "deadbeefcafebabe" count but "facade" not.
func isLongHex(s string) bool {
	if len(s) < 16 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
		digit = digit || isDigit(s[i])
	}
	return digit
}

func isWholePlaceholder(s string) bool {
	switch {
	case len(s) >= 2 && s[0] == ':' && isIdent(s[1:]):
		return true
	case len(s) >= 2 && s[0] == '$' && isIdent(s[1:]):
		return true
	case len(s) >= 3 && s[0] == '<' && s[len(s)-1] == '>':
		return true
	}
	return replacePlaceholders(s) == placeholder
}

// replacePlaceholders replaces {x}, ${x}, #{x}, %s, %d, %@, %1$s … inside s.
func replacePlaceholders(s string) string {
	if !strings.ContainsAny(s, "{%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := placeholderLen(s[i:]); n > 0 {
			b.WriteString(placeholder)
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// placeholderLen returns the length of the placeholder at the start of s,
// or 0 when there is none.
// Sigils ($, #) before a placeholder belong to it (${x}, #{x}, $%s), so
// that a template is stable when templated again.
func placeholderLen(s string) int {
	k := 0
	for k < len(s) && (s[k] == '$' || s[k] == '#') {
		k++
	}
	if k == len(s) {
		return 0
	}
	if n := barePlaceholderLen(s[k:]); n > 0 {
		return k + n
	}
	return 0
}

func barePlaceholderLen(s string) int {
	if s[0] == '{' {
		if end := strings.IndexByte(s, '}'); end > 0 && end <= 64 && strings.IndexByte(s[1:end], '{') < 0 {
			return end + 1
		}
		return 0
	}
	if s[0] != '%' || len(s) < 2 || len(s) >= 3 && isHex(s[1]) && isHex(s[2]) { // %2F is an escape
		return 0
	}
	i := 1
	for i < len(s) && i < 6 && (isDigit(s[i]) || s[i] == '$' || s[i] == 'l' || s[i] == '.') {
		i++
	}
	if i < len(s) && strings.IndexByte("sdiuxXf@", s[i]) >= 0 {
		return i + 1
	}
	return 0
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// queryNames returns the sorted, distinct parameter names of a query
// string; values are dropped.
func queryNames(q string) []string {
	if q == "" {
		return nil
	}
	seen := map[string]bool{}
	var names []string
	for _, part := range strings.FieldsFunc(q, func(r rune) bool { return r == '&' || r == ';' }) {
		name, _, _ := strings.Cut(part, "=")
		if name == "" || len(name) > maxQueryName || !isQueryName(name) || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
		if len(names) == maxQueryNames {
			break
		}
	}
	sort.Strings(names)
	return names
}

func isQueryName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isIdentByte(c) && c != '-' && c != '.' && c != '[' && c != ']' {
			return false
		}
	}
	return true
}
