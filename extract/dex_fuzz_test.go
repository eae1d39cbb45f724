package extract

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/keyholesec/keyhole/internal/dexgen"
)

// discardSink counts what an extraction renders.
type discardSink struct{ rendered int }

func (s *discardSink) Chunk(c Chunk) { s.rendered += len(c.Data) }
func (s *discardSink) Warn(Warning)  {}

func FuzzDEX(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/dex/*.dex")
	for _, p := range paths {
		f.Add(readFixture(f, "dex", filepath.Base(p)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &discardSink{}
		x := New(Options{NoDecode: true}, s).newJob(context.Background())
		x.dex(scope{origin: Origin{Target: "fuzz.dex"}}, data)
		if limit := 16*len(data) + 1<<20; s.rendered > limit {
			t.Fatalf("rendered %d bytes from %d", s.rendered, len(data))
		}
	})
}

// benchDEX generates a DEX file of about size bytes: many classes with
// small methods and many strings, like an app's classes.dex. With watched
// set it also references NoopHostnameVerifier, which makes the reader
// decode every method rather than only the few with watched names.
func benchDEX(b *testing.B, size int, watched bool) []byte {
	b.Helper()
	f := &dexgen.File{}
	for i := 0; len(f.Strings)*48 < size/2; i++ {
		f.Strings = append(f.Strings, fmt.Sprintf("https://api%06d.example.net/v1/resource/items?page=%d", i, i))
	}
	for c := 0; c*12*60 < size/2; c++ {
		class := dexgen.Class{Name: fmt.Sprintf("Lcom/example/app/feature%d/Screen%d;", c%50, c)}
		for m := range 12 {
			code := []dexgen.Insn{
				dexgen.ConstString(0, f.Strings[(c*12+m)%len(f.Strings)]),
				dexgen.InvokeStatic("Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I", 0, 0),
				dexgen.Const4(1, 1),
				dexgen.IfEqz(1, "end"),
				dexgen.InvokeVirtual(class.Name+"->helper()V", 2),
				dexgen.Label("end"),
				dexgen.ReturnVoid(),
			}
			if watched && m == 0 {
				code = append([]dexgen.Insn{dexgen.NewInstance(0, "Lorg/apache/http/conn/ssl/NoopHostnameVerifier;")}, code...)
			}
			class.Methods = append(class.Methods, dexgen.Method{Name: fmt.Sprintf("method%d", m), Proto: "()V", Locals: 2, Code: code})
		}
		f.Classes = append(f.Classes, class)
	}
	data, err := f.Bytes()
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDEX(b *testing.B) {
	for _, watched := range []bool{false, true} {
		data := benchDEX(b, 4<<20, watched)
		b.Run(fmt.Sprintf("watched=%v/%dKB", watched, len(data)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			x := New(Options{NoDecode: true}, &discardSink{}).newJob(context.Background())
			for b.Loop() {
				x.dex(scope{origin: Origin{Target: "classes.dex"}}, data)
			}
		})
	}
}
