//go:build ignore

// Generates the app fixtures of the inventory tests. Run from the
// repository root with `go run testdata/inventory/generate.go`. It needs
// Debian's aapt and android-framework-res; the tests do not.
//
//	release1.apk  apk/v1 compiled by aapt, plus assets/config.json and a
//	              React Native bundle (assets/index.android.bundle)
//	release2.apk  apk/v2 likewise: the next release of the same app, with
//	              endpoints added, removed and changed (new query parameters)
//	shop.ipa      Payload/ShopFast.app with a binary Info.plist, a JS bundle
//	              and an embedded framework whose own Info.plist names another
//	              bundle id
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"howett.net/plist"
)

const (
	dir       = "testdata/inventory"
	framework = "/usr/share/android-framework-res/framework-res.apk"
)

type member struct {
	name string
	data []byte
}

func main() {
	tmp, err := os.MkdirTemp("", "keyhole-inventory")
	check(err)
	defer os.RemoveAll(tmp)

	write("release1.apk", withMembers(aapt(tmp, "v1"),
		member{"assets/config.json", []byte(`{"cdn": "https://cdn.shopfast.com/img/", "uploads": "s3://shopfast-uploads/incoming/"}` + "\n")},
		member{"assets/index.android.bundle", []byte(`var API="https://api.shopfast.com/v1";fetch(API+"/api/v1/cart/"+id);` +
			`var schema="http://www.w3.org/2000/svg";fetch("http://10.0.2.2:8081/status");` + "\n")},
	))
	write("release2.apk", withMembers(aapt(tmp, "v2"),
		member{"assets/config.json", []byte(`{"cdn": "https://cdn.shopfast.com/img/?width=640", "uploads": "s3://shopfast-uploads/incoming/", "search": {"host": "search.shopfast.com"}}` + "\n")},
		member{"assets/index.android.bundle", []byte(`var API="https://api.shopfast.com/v2";fetch(API+"/api/v2/cart/"+id);` +
			`var schema="http://www.w3.org/2000/svg";fetch("https://api.stripe.com/v1/payment_intents?expand[]=customer");` + "\n")},
	))

	info, err := plist.Marshal(map[string]any{
		"CFBundleIdentifier": "com.shopfast.ios",
		"CFBundleName":       "ShopFast",
		"APIBaseURL":         "https://api.shopfast.com/v2",
		"NSAppTransportSecurity": map[string]any{
			"NSExceptionDomains": map[string]any{"legacy.shopfast.com": map[string]any{"NSExceptionAllowsInsecureHTTPLoads": true}},
		},
	}, plist.BinaryFormat)
	check(err)
	sdkInfo, err := plist.Marshal(map[string]any{
		"CFBundleIdentifier": "io.analyticskit.sdk",
		"AKEndpoint":         "https://collect.analyticskit.io/v3/events",
	}, plist.BinaryFormat)
	check(err)
	write("shop.ipa", zipOf(
		member{"Payload/ShopFast.app/Info.plist", info},
		member{"Payload/ShopFast.app/main.jsbundle", []byte(`const ws=new WebSocket("wss://live.shopfast.com/stream");` +
			`const dtd="http://www.apple.com/DTDs/PropertyList-1.0.dtd";fetch("/api/v2/orders/"+id);` + "\n")},
		member{"Payload/ShopFast.app/Frameworks/AnalyticsKit.framework/Info.plist", sdkInfo},
	))
}

// aapt compiles apk/NAME into an APK.
func aapt(tmp, name string) []byte {
	src := filepath.Join(dir, "apk", name)
	out := filepath.Join(tmp, name+".apk")
	cmd := exec.Command("aapt", "package", "-f", "-M", filepath.Join(src, "AndroidManifest.xml"),
		"-S", filepath.Join(src, "res"), "-I", framework, "-F", out)
	cmd.Stderr = os.Stderr
	check(cmd.Run())
	data, err := os.ReadFile(out)
	check(err)
	return data
}

// withMembers returns the archive with extra members appended.
func withMembers(archive []byte, extra ...member) []byte {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	check(err)
	var ms []member
	for _, f := range zr.File {
		rc, err := f.Open()
		check(err)
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		check(err)
		rc.Close()
		ms = append(ms, member{f.Name, b.Bytes()})
	}
	return zipOf(append(ms, extra...)...)
}

func zipOf(ms ...member) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range ms {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Deflate})
		check(err)
		_, err = w.Write(m.data)
		check(err)
	}
	check(zw.Close())
	return b.Bytes()
}

func write(name string, data []byte) {
	check(os.WriteFile(filepath.Join(dir, name), data, 0o644))
	fmt.Printf("%-14s %6d bytes\n", name, len(data))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
