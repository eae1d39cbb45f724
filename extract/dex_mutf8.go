package extract

import (
	"unicode/utf16"
	"unicode/utf8"
)

// appendMUTF8 appends s, Modified UTF-8 as DEX stores strings, decoded to
// UTF-8: two-byte NULs and surrogate pairs written as two three-byte
// sequences are joined; anything invalid becomes U+FFFD.
func appendMUTF8(out, s []byte) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		u, n := mutf8Unit(s[i:])
		if n == 0 {
			out = utf8.AppendRune(out, utf8.RuneError)
			i++
			continue
		}
		i += n
		if u >= 0xd800 && u < 0xdc00 {
			if v, m := mutf8Unit(s[i:]); m > 0 && v >= 0xdc00 && v < 0xe000 {
				out = utf8.AppendRune(out, utf16.DecodeRune(rune(u), rune(v)))
				i += m
				continue
			}
		}
		out = utf8.AppendRune(out, rune(u)) // a lone surrogate becomes U+FFFD
	}
	return out
}

// mutf8Unit decodes one two- or three-byte sequence to a UTF-16 unit,
// returning its length, or 0 when s does not start with one.
func mutf8Unit(s []byte) (uint16, int) {
	switch {
	case len(s) >= 2 && s[0]&0xe0 == 0xc0 && s[1]&0xc0 == 0x80:
		return uint16(s[0]&0x1f)<<6 | uint16(s[1]&0x3f), 2
	case len(s) >= 3 && s[0]&0xf0 == 0xe0 && s[1]&0xc0 == 0x80 && s[2]&0xc0 == 0x80:
		return uint16(s[0]&0x0f)<<12 | uint16(s[1]&0x3f)<<6 | uint16(s[2]&0x3f), 3
	}
	return 0, 0
}
