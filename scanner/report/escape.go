package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// oneLine makes s safe to print on one terminal line: control characters,
// line and paragraph separators, bidirectional overrides and other
// non-printing runes are written as Go escapes (\n, \x1b, \u202e) and
// invalid UTF-8 bytes as \xNN, so a file name or a match cannot start a
// new line, move the cursor or reorder what follows. When max > 0 the
// result is cut to at most max runes, ending in "…".
func oneLine(s string, max int) string {
	if plainASCII(s) && (max <= 0 || len(s) <= max) {
		return s
	}
	var b strings.Builder
	width := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := escapeRune(s[i:i+size], r, size)
		n := utf8.RuneCountInString(piece)
		i += size
		// Keep room for the ellipsis unless this piece ends the string.
		if max > 0 && (width+n > max || (width+n == max && i < len(s))) {
			b.WriteString("…")
			return b.String()
		}
		b.WriteString(piece)
		width += n
	}
	return b.String()
}

func escapeRune(raw string, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, raw[0])
	case r == ' ' || strconv.IsPrint(r):
		return raw
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r == '\t':
		return `\t`
	case r < 0x80:
		return fmt.Sprintf(`\x%02x`, r)
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04x`, r)
	default:
		return fmt.Sprintf(`\U%08x`, r)
	}
}

// plainASCII says s is printable ASCII, which oneLine leaves as it is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
