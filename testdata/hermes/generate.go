//go:build ignore

// Generates the Hermes fixtures in this directory: run from the repository
// root with `go run testdata/hermes/generate.go`.
//
//	index.android.bundle  bytecode version 96 with planted strings: packed
//	                      (one inside another), overflowed (long), UTF-16
//	old-version.bundle    the same strings claiming version 74
//	truncated.bundle, bad-overflow.bundle, huge-count.bundle
//	                      hostile variants of index.android.bundle
package main

import (
	"bytes"
	"encoding/binary"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyholesec/keyhole/internal/hermesgen"
)

func main() {
	strs := []string{
		"fetchUser",
		"http://api.insecure-backend.net/graphql",
		"AKIAQ3EGRB5TCWLUW4NX",
		"insecure-backend", // stored inside the URL above
		"-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 9) + "\n-----END PRIVATE KEY-----",
		"Grüße, 世界 😀",
		"apiKey",
	}
	good := (&hermesgen.File{Strings: strs}).Bytes()
	write("index.android.bundle", good)
	write("old-version.bundle", (&hermesgen.File{Version: 74, Strings: strs}).Bytes())
	write("truncated.bundle", good[:len(good)*2/3])
	write("bad-overflow.bundle", patch(good, func(b []byte) {
		// The long string's small entry names overflow entry 7 of 1.
		at := hermesgen.HeaderSize + 16 + 4 + 4*4
		binary.LittleEndian.PutUint32(b[at:], 7<<1|255<<24)
	}))
	write("huge-count.bundle", patch(good, func(b []byte) {
		binary.LittleEndian.PutUint32(b[52:], 0x3fffffff) // stringCount
	}))
}

func patch(b []byte, fn func([]byte)) []byte {
	out := bytes.Clone(b)
	fn(out)
	return out
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join("testdata/hermes", name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
