package extract

import (
	"bytes"
	"fmt"
	"testing"
	"unicode/utf8"
)

// looksTextByRune is looksText without the eight-byte shortcut.
func looksTextByRune(h []byte) bool {
	if bytes.IndexByte(h, 0) >= 0 {
		return false
	}
	bad := 0
	for i := 0; i < len(h); {
		r, n := utf8.DecodeRune(h[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if len(h)-i < utf8.UTFMax {
				return bad*100 <= len(h)
			}
			bad++
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != 0x1b:
			bad++
		}
		i += n
	}
	return bad*100 <= len(h)
}

func FuzzLooksText(f *testing.F) {
	for _, s := range []string{"plain text, long enough for words\n", "tab\there\x1b[0m", "\x01\x02\x03\x04\x05\x06\x07\x08 ok",
		"é and ü in UTF-8 text here", "\xff\xfe\xfd bad bytes 1234567", "~\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", "ends in a cut rune \xe2\x82"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, h []byte) {
		if got, want := looksText(h), looksTextByRune(h); got != want {
			t.Fatalf("looksText(%q) = %v, rune by rune %v", h, got, want)
		}
	})
}

// BenchmarkLooksText sniffs source-like text: short lines, some indented.
func BenchmarkLooksText(b *testing.B) {
	var text []byte
	for i := 0; len(text) < sniffLen; i++ {
		text = fmt.Appendf(text, "\tif err := retry(client, %d); err != nil { return err }\n", i)
	}
	text = text[:sniffLen]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if !looksText(text) {
			b.Fatal("not text")
		}
	}
}
