package extract

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"unicode/utf8"
)

// Secrets are often stored encoded: a base64 Kubernetes Secret, a hex blob
// in a config, a percent-encoded URL, a JSON string full of \u escapes.
// decode finds such segments in a chunk and emits their decoded text as
// chunks of their own, reporting the line of the encoded text. Decoding
// nests to MaxDecodeDepth and produces at most MaxDecodedBytes per chunk:
// unbounded recursive decoding is how other scanners ran out of memory.

const (
	minBase64Len = 20 // shorter runs are mostly identifiers
	minHexLen    = 32
	minDecoded   = 8 // decoded text shorter than this holds no secret
)

type segment struct {
	start, end int
	encoding   string
	text       []byte
}

func (x *job) decode(sc scope, parent Chunk, depth int) {
	lim := x.limits()
	if depth > lim.MaxDecodeDepth {
		if !x.decodeCapped.Load() && len(findEncoded(parent.Data, lim.MaxDecodedBytes)) > 0 && !x.decodeCapped.Swap(true) {
			x.warn(Warning{Origin: sc.origin, Limit: "max-decode-depth",
				Err: fmt.Errorf("encoded text nested deeper than %d layers; not decoded further", lim.MaxDecodeDepth)})
		}
		return
	}
	budget := lim.MaxDecodedBytes
	segs := findEncoded(parent.Data, budget)
	if len(segs) == 0 {
		return
	}
	line, pos := 0, 0
	for _, s := range segs {
		line += bytes.Count(parent.Data[pos:s.start], []byte{'\n'})
		pos = s.start
		c := Chunk{
			Origin:     sc.origin,
			Aliases:    parent.Aliases,
			Data:       s.text,
			Rendered:   parent.Rendered,
			Format:     s.encoding,
			LineOffset: parent.LineOffset + line,
			Encoded:    true,
		}
		x.e.sink.Chunk(c)
		x.decode(sc, c, depth+1)
	}
}

// findEncoded returns decodable segments of data whose decoded form is
// text, producing at most budget decoded bytes.
func findEncoded(data []byte, budget int64) []segment {
	var segs []segment
	add := func(s segment) bool {
		if int64(len(s.text)) > budget {
			return false
		}
		budget -= int64(len(s.text))
		segs = append(segs, s)
		return true
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case (c == '%' || c == '\\') && startsEscape(data[i:]):
			// Decode the whole token once, then move past it.
			j := tokenEnd(data, i)
			k := tokenStart(data, i)
			if s, ok := decodeEscapes(data[k:j]); ok {
				s.start, s.end = k, j
				if !add(s) {
					return segs
				}
			}
			i = j
		case isBase64Char(c):
			j := i
			for j < len(data) && isBase64Char(data[j]) {
				j++
			}
			end := j
			for end < len(data) && end-j < 2 && data[end] == '=' {
				end++
			}
			if s, ok := decodeRun(data[i:j], data[i:end]); ok {
				s.start, s.end = i, end
				if !add(s) {
					return segs
				}
			}
			i = max(j, i+1)
		default:
			i++
		}
	}
	return segs
}

// startsEscape says whether b opens %XX, \uXXXX or \xXX.
func startsEscape(b []byte) bool {
	switch {
	case len(b) >= 3 && b[0] == '%':
		return isHexChar(b[1]) && isHexChar(b[2])
	case len(b) >= 6 && b[1] == 'u':
		return allHex(b[2:6])
	case len(b) >= 4 && b[1] == 'x':
		return isHexChar(b[2]) && isHexChar(b[3])
	}
	return false
}

func isBase64Char(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '-' || c == '_'
}

func isHexChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// decodeRun decodes a run of base64-alphabet characters as hex or base64,
// keeping the result only when it is text.
func decodeRun(run, padded []byte) (segment, bool) {
	if len(run) >= minHexLen && len(run)%2 == 0 && allHex(run) {
		out := make([]byte, len(run)/2)
		if _, err := hex.Decode(out, run); err == nil && isMostlyText(out) {
			return segment{encoding: "hex", text: out}, true
		}
		return segment{}, false
	}
	if len(run) < minBase64Len {
		return segment{}, false
	}
	enc := base64.StdEncoding
	if bytes.ContainsAny(run, "-_") {
		if bytes.ContainsAny(run, "+/") {
			return segment{}, false
		}
		enc = base64.URLEncoding
	}
	body := bytes.TrimRight(padded, "=")
	out := make([]byte, enc.WithPadding(base64.NoPadding).DecodedLen(len(body)))
	n, err := enc.WithPadding(base64.NoPadding).Decode(out, body)
	if err != nil || n < minDecoded || !isMostlyText(out[:n]) {
		return segment{}, false
	}
	return segment{encoding: "base64", text: out[:n]}, true
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHexChar(c) {
			return false
		}
	}
	return true
}

// decodeEscapes decodes percent-encoding and \uXXXX / \xXX escapes in a
// token, keeping the result only when something was decoded.
func decodeEscapes(tok []byte) (segment, bool) {
	out := make([]byte, 0, len(tok))
	decoded, encoding := 0, ""
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == '%' && i+2 < len(tok) && isHexChar(tok[i+1]) && isHexChar(tok[i+2]):
			out = append(out, unhex(tok[i+1])<<4|unhex(tok[i+2]))
			i += 2
			decoded++
			encoding = "percent"
		case c == '\\' && i+5 < len(tok) && tok[i+1] == 'u' && allHex(tok[i+2:i+6]):
			r := rune(unhex(tok[i+2]))<<12 | rune(unhex(tok[i+3]))<<8 | rune(unhex(tok[i+4]))<<4 | rune(unhex(tok[i+5]))
			out = append(out, string(r)...)
			i += 5
			decoded++
			encoding = "unicode"
		case c == '\\' && i+3 < len(tok) && tok[i+1] == 'x' && isHexChar(tok[i+2]) && isHexChar(tok[i+3]):
			out = append(out, unhex(tok[i+2])<<4|unhex(tok[i+3]))
			i += 3
			decoded++
			encoding = "unicode"
		default:
			out = append(out, c)
		}
	}
	if decoded == 0 || len(out) < minDecoded || !isMostlyText(out) {
		return segment{}, false
	}
	return segment{encoding: encoding, text: out}, true
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// tokenStart and tokenEnd bound the word around i: escapes are decoded a
// token at a time so that a secret split by them comes out whole.
func tokenStart(data []byte, i int) int {
	for i > 0 && !isTokenBreak(data[i-1]) {
		i--
	}
	return i
}

func tokenEnd(data []byte, i int) int {
	for i < len(data) && !isTokenBreak(data[i]) {
		i++
	}
	return i
}

func isTokenBreak(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>'
}

// isMostlyText says whether decoded bytes are printable text rather than
// the binary that random identifiers decode to.
func isMostlyText(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	printable := 0
	for _, c := range b {
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t' || c >= 0x80 {
			printable++
		}
	}
	return printable*100 >= len(b)*95
}
