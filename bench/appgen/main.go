// Command appgen writes a synthetic app of about the size asked, for
// whole-process benchmarks, always the same for the same size.
//
// An APK (-format apk): the project's vulnerable test app's manifest,
// resources and configs, plus DEX files built with dexgen, a native
// library, JSON assets and incompressible images, in the proportions of a
// typical APK.
//
// An IPA (-format ipa): a development build laid out as Xcode exports it
// (ipa.go), with planted findings listed on standard output.
//
//	go run ./bench/appgen -size 4MB -o /tmp/app.apk
//	go run ./bench/appgen -format ipa -size 5MB -o /tmp/app.ipa > /tmp/app.planted
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"os"
	"strings"

	"github.com/keyholesec/keyhole/internal/dexgen"
)

func main() {
	format := flag.String("format", "apk", "apk or ipa")
	size := flag.String("size", "4MB", "approximate size of the app")
	out := flag.String("o", "app.apk", "output file")
	base := flag.String("base", "testdata/android/vulnerable.apk", "APK whose manifest and resources are reused")
	profile := flag.String("profile", "testdata/ios/development.mobileprovision", "signed provisioning profile embedded in an IPA")
	flag.Parse()
	log.SetFlags(0)
	var n int64
	var unit string
	if _, err := fmt.Sscanf(strings.ToUpper(*size), "%d%s", &n, &unit); err != nil {
		log.Fatalf("-size %q: %v", *size, err)
	}
	target := n << 20
	if unit == "KB" {
		target = n << 10
	}
	var err error
	switch *format {
	case "apk":
		err = write(*out, *base, target)
	case "ipa":
		err = writeIPA(*out, *profile, target)
	default:
		err = fmt.Errorf("-format %q: want apk or ipa", *format)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func write(path, base string, target int64) error {
	src, err := zip.OpenReader(base)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, m := range src.File {
		if err := copyMember(zw, m); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewSource(1))
	add := func(name string, method uint16, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	// Roughly: 45% DEX, 25% images, 20% native code, 10% assets.
	for i := 0; int64(i) < max(target*45/100/(2<<20), 1); i++ {
		name := "classes.dex"
		if i > 0 {
			name = fmt.Sprintf("classes%d.dex", i+1)
		}
		if err := add(name, zip.Deflate, dex(i, 5<<20)); err != nil {
			return err
		}
	}
	for i := 0; int64(i) < target*25/100/(64<<10); i++ {
		img := make([]byte, 64<<10)
		rng.Read(img)
		if err := add(fmt.Sprintf("res/drawable-xxhdpi/img_%d.png", i), zip.Store, img); err != nil {
			return err
		}
	}
	lib := make([]byte, target*20/100)
	rng.Read(lib)
	copy(lib, "\x7fELF")
	copy(lib[len(lib)/2:], "https://api.acme-corp.io/v2/native\x00")
	if err := add("lib/arm64-v8a/libnative.so", zip.Deflate, lib); err != nil {
		return err
	}
	var assets strings.Builder
	for i := 0; int64(assets.Len()) < target*10/100*6; i++ {
		fmt.Fprintf(&assets, `{"id": %d, "title": "Item %d", "image": "https://cdn.acme-corp.io/img/%d.png", "tags": ["a", "b"]}`+"\n", i, i, i)
	}
	if err := add("assets/catalog.json", zip.Deflate, []byte(assets.String())); err != nil {
		return err
	}
	return zw.Close()
}

func copyMember(zw *zip.Writer, m *zip.File) error {
	r, err := m.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: m.Method})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

// dex builds a DEX of about size bytes of classes calling into strings.
func dex(seed, size int) []byte {
	f := &dexgen.File{}
	for i := 0; len(f.Strings)*48 < size/2; i++ {
		f.Strings = append(f.Strings, fmt.Sprintf("https://api%d-%06d.acme-corp.io/v1/resource/items?page=%d", seed, i, i))
	}
	for c := 0; c*12*60 < size/2; c++ {
		class := dexgen.Class{Name: fmt.Sprintf("Lio/acme/app%d/feature%d/Screen%d;", seed, c%50, c)}
		for m := range 12 {
			class.Methods = append(class.Methods, dexgen.Method{Name: fmt.Sprintf("method%d", m), Proto: "()V", Locals: 2, Code: []dexgen.Insn{
				dexgen.ConstString(0, f.Strings[(c*12+m)%len(f.Strings)]),
				dexgen.InvokeStatic("Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I", 0, 0),
				dexgen.ReturnVoid(),
			}})
		}
		f.Classes = append(f.Classes, class)
	}
	data, err := f.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	return data
}
