package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/scanner"
)

// BenchmarkAPK compares, on the same generated ~4 MB APK: the scanner
// alone; the scanner and an inventory collector fed the same chunks (what
// inventory adds to a scan); and `keyhole inventory` itself (a collector
// that runs the rules only on chunks with endpoints, to link findings).
func BenchmarkAPK(b *testing.B) {
	apk := benchAPK(b)
	rs := defaultRules(b)
	origin := extract.Origin{Target: "big.apk"}
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(apk)))
		for b.Loop() {
			s, err := scanner.NewSession(rs, scanner.Options{})
			if err != nil {
				b.Fatal(err)
			}
			s.Extractor().Bytes(context.Background(), origin, "big.apk", apk)
			s.Result()
		}
	})
	b.Run("scan+inventory", func(b *testing.B) {
		b.SetBytes(int64(len(apk)))
		for b.Loop() {
			s, err := scanner.NewSession(rs, scanner.Options{})
			if err != nil {
				b.Fatal(err)
			}
			col := NewCollector(NewJudge(rs), nil)
			extract.New(extract.Options{}, fanOut{s, col}).Bytes(context.Background(), origin, "big.apk", apk)
			s.Result()
			col.Result([]string{"big.apk"}, nil)
		}
	})
	b.Run("inventory", func(b *testing.B) {
		b.SetBytes(int64(len(apk)))
		for b.Loop() {
			col, err := NewRunCollector(rs, Options{})
			if err != nil {
				b.Fatal(err)
			}
			extract.New(extract.Options{}, col).Bytes(context.Background(), origin, "big.apk", apk)
			col.Result([]string{"big.apk"}, nil)
		}
	})
}

// BenchmarkChunks isolates the two costs on the chunks of the same APK,
// extracted once: the rule engine's against the collector's (no linking).
func BenchmarkChunks(b *testing.B) {
	apk := benchAPK(b)
	rs := defaultRules(b)
	var chunks keep
	extract.New(extract.Options{}, &chunks).Bytes(context.Background(), extract.Origin{Target: "big.apk"}, "big.apk", apk)
	size := 0
	for _, c := range chunks {
		size += len(c.Data)
	}
	b.Run("engine", func(b *testing.B) {
		eng, err := scanner.NewEngine(rs, false)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, c := range chunks {
				eng.Scan(c)
			}
		}
	})
	b.Run("collector", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			col := NewCollector(NewJudge(rs), nil)
			for _, c := range chunks {
				col.Chunk(c)
			}
			col.Result(nil, nil)
		}
	})
}

// keep is a sink that keeps copies of the chunks.
type keep []extract.Chunk

func (k *keep) Chunk(c extract.Chunk) {
	c.Data = bytes.Clone(c.Data)
	*k = append(*k, c)
}

func (k *keep) Warn(extract.Warning) {}

// fanOut delivers every chunk and warning to each sink.
type fanOut []extract.Sink

func (f fanOut) Chunk(c extract.Chunk) {
	for _, s := range f {
		s.Chunk(c)
	}
}

func (f fanOut) Warn(w extract.Warning) {
	for _, s := range f {
		s.Warn(w)
	}
}

// benchAPK builds a ~4 MB APK: release2.apk's manifest, resource table
// and network security config, many copies of its binary XML, and Go's
// net and crypto sources as assets (real code, full of URLs, hosts and
// identifiers, as the JS bundles and configs of real apps are).
func benchAPK(b *testing.B) []byte {
	b.Helper()
	src, err := os.ReadFile(filepath.Join(fixtures, "release2.apk"))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		w.Write(data)
	}
	members := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		members[f.Name], _ = io.ReadAll(rc)
		rc.Close()
		add(f.Name, members[f.Name])
	}
	var sources []string
	for _, dir := range []string{"net/http", "net/url", "net", "crypto/tls", "crypto/x509", "encoding/json"} {
		found, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", dir, "*.go"))
		sources = append(sources, found...)
	}
	for i := 0; buf.Len() < 4<<20; i++ {
		if i < len(sources) {
			data, err := os.ReadFile(sources[i])
			if err != nil {
				b.Fatal(err)
			}
			add("assets/src/"+filepath.Base(filepath.Dir(sources[i]))+"_"+filepath.Base(sources[i]), data)
		}
		add("res/xml/nsc_"+strconv.Itoa(i)+".xml", members["res/xml/network_security_config.xml"])
		add("res/xml/manifest_"+strconv.Itoa(i)+".xml", members["AndroidManifest.xml"])
		if i > 100000 {
			b.Fatal("benchmark APK does not grow")
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func itoa(i int) string {
	return string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
}
