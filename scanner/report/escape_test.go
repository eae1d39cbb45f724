package report

import "testing"

func TestOneLine(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain text", 0, "plain text"},
		{"a\nb\r\nc\td", 0, `a\nb\r\nc\td`},
		{"\x1b[2Jclear", 0, `\x1b[2Jclear`},
		{"bad\xff\xfebytes", 0, `bad\xff\xfebytes`},
		{"del\x7f c1\u0085", 0, `del\x7f c1\u0085`},
		{"rtl\u202eevil\u2028sep", 0, `rtl\u202eevil\u2028sep`},
		{"tag\U000e0041", 0, `tag\U000e0041`},
		{"naïve café ☕ 鍵", 0, "naïve café ☕ 鍵"},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"ab\ncd", 4, "ab…"}, // an escape is never cut in half
		{"ab\ncd", 6, `ab\ncd`},
		{"ééééé", 3, "éé…"},
	} {
		if got := oneLine(c.in, c.max); got != c.want {
			t.Errorf("oneLine(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func FuzzOneLine(f *testing.F) {
	f.Add("a\nb\xff\x1b[0m\u202e", 10)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 400
		got := oneLine(s, max)
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || r == '\u202e' {
				t.Fatalf("oneLine(%q) = %q keeps %U", s, got, r)
			}
		}
		if n := len([]rune(got)); max > 0 && n > max {
			t.Fatalf("oneLine(%q, %d) is %d runes", s, max, n)
		}
	})
}
