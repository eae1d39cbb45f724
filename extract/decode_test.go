package extract

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

const planted = "token=ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3"

func TestDecodeFindsEncodedText(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(planted))
	url := base64.URLEncoding.EncodeToString([]byte(planted + "??>>"))
	cases := []struct{ name, in, encoding string }{
		{"base64", "data: " + b64 + "\n", "base64"},
		{"base64url", "v=" + url, "base64"},
		{"hex", "blob " + hex.EncodeToString([]byte(planted)), "hex"},
		{"percent", "u=" + strings.ReplaceAll(planted, "=", "%3D"), "percent"},
		{"unicode", `s: "` + strings.ReplaceAll(planted, "=", `\u003d`) + `"`, "unicode"},
		{"hex escapes", `s: "` + strings.ReplaceAll(planted, "=", `\x3d`) + `"`, "unicode"},
	}
	for _, c := range cases {
		segs := findEncoded([]byte(c.in), 1<<20)
		found := false
		for _, s := range segs {
			if s.encoding == c.encoding && strings.Contains(string(s.text), planted) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %q not decoded: %+v", c.name, c.in, segs)
		}
	}
}

func TestDecodeLeavesPlainTextAlone(t *testing.T) {
	for _, in := range []string{
		"func TestSomethingVeryLongIdentifierName(t *testing.T) {}",
		"sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", // binary when decoded
		`fmt.Printf("%d%%\n", n)`,
		`path = C:\new\folder`,
	} {
		if segs := findEncoded([]byte(in), 1<<20); len(segs) != 0 {
			t.Errorf("%q: decoded %+v", in, segs)
		}
	}
}

func TestDecodeBoundedDepthAndBytes(t *testing.T) {
	// Base64 nested five times: with the default depth of 2, the planted
	// text (at depth 5) is not reached, and nothing loops.
	s := planted
	for i := 0; i < 5; i++ {
		s = base64.StdEncoding.EncodeToString([]byte(s))
	}
	c := extractBytes(t, Options{}, "nested.txt", []byte(s))
	for _, ch := range c.chunks {
		if strings.Contains(string(ch.Data), planted) {
			t.Fatal("decoded deeper than the limit")
		}
	}
	if n := len(c.chunks); n != 1+DefaultLimits.MaxDecodeDepth {
		t.Errorf("%d chunks, want the text and %d decoded layers", n, DefaultLimits.MaxDecodeDepth)
	}
	// The decoded-bytes budget stops decoding of a large file of blobs.
	blob := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("a secret line\n", 100)))
	big := strings.Repeat(blob+"\n", 100)
	opts := Options{Limits: DefaultLimits}
	opts.Limits.MaxDecodedBytes = 5000
	c = extractBytes(t, opts, "big.txt", []byte(big))
	decoded := 0
	for _, ch := range c.chunks[1:] {
		decoded += len(ch.Data)
	}
	if decoded > 5000 || decoded == 0 {
		t.Errorf("decoded %d bytes with a budget of 5000", decoded)
	}
}

func TestDecodedChunkReportsEncodedLine(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(planted))
	c := extractBytes(t, Options{}, "x.yaml", []byte("a: 1\nb: 2\nc: "+b64+"\n"))
	if len(c.chunks) != 2 || c.chunks[1].LineOffset != 2 || !c.chunks[1].Encoded {
		t.Fatalf("chunks: %+v", c.chunks)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(base64.StdEncoding.EncodeToString([]byte(planted))))
	f.Add([]byte("%41%42%43%44%45%46%47%48 \\u0041\\u0042\\u0043\\u0044\\u0045\\u0046 \\x41\\x42\\x43\\x44\\x45\\x46\\x47\\x48"))
	f.Add([]byte(hex.EncodeToString([]byte(planted))))
	f.Fuzz(func(t *testing.T, data []byte) {
		budget := int64(1 << 16)
		total := 0
		for _, s := range findEncoded(data, budget) {
			if s.start < 0 || s.end > len(data) || s.start > s.end {
				t.Fatalf("segment %d-%d outside %d bytes", s.start, s.end, len(data))
			}
			total += len(s.text)
		}
		if int64(total) > budget {
			t.Fatalf("decoded %d bytes over a budget of %d", total, budget)
		}
	})
}
