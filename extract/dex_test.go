package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// binaryTestSink collects what an extraction of a binary format produces.
type binaryTestSink struct {
	mu       sync.Mutex
	chunks   []Chunk
	warnings []Warning
}

func (s *binaryTestSink) Chunk(c Chunk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Data = bytes.Clone(c.Data)
	s.chunks = append(s.chunks, c)
}

func (s *binaryTestSink) Warn(w Warning) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = append(s.warnings, w)
}

// text joins the chunks rendered as format.
func (s *binaryTestSink) text(format string) string {
	var b strings.Builder
	for _, c := range s.chunks {
		if c.Format == format {
			b.Write(c.Data)
		}
	}
	return b.String()
}

// extractBinary runs data through the extractor as the member name of a
// target, without decoding encoded text.
func extractBinary(t testing.TB, name string, data []byte) *binaryTestSink {
	t.Helper()
	s := &binaryTestSink{}
	New(Options{NoDecode: true}, s).Bytes(context.Background(), Origin{Target: name}, name, data)
	for _, w := range s.warnings {
		if w.Fatal {
			t.Fatalf("%s: fatal warning: %v", name, w)
		}
	}
	return s
}

func readFixture(t testing.TB, path ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "testdata"}, path...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shapeLines returns the method lines of rendered DEX text.
func shapeLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, ";->") {
			out = append(out, l)
		}
	}
	return out
}

func TestDEXStringTable(t *testing.T) {
	s := extractBinary(t, "classes.dex", readFixture(t, "dex", "insecure.dex"))
	if len(s.warnings) > 0 {
		t.Fatalf("warnings for a valid file: %v", s.warnings)
	}
	text := s.text("dex")
	for _, want := range []string{
		"\nAKIAQ3EGRB5TCWLUW4NX\n",
		"\nhttp://api.insecure-backend.net/v1/login\n",
		"\nmulti\nline ünïcødé 😀\n", // MUTF-8 surrogate pair decoded, newline kept
		"\nLjavax/net/ssl/X509TrustManager;\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("string table lacks %q", want)
		}
	}
}

func TestDEXMethodShapes(t *testing.T) {
	const (
		chain   = "([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V"
		verify  = "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"
		sslErr  = "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"
		proceed = " extends=WebViewClient calls=SslErrorHandler.proceed"
	)
	for _, tc := range []struct {
		fixture string
		want    []string
	}{
		{"insecure.dex", []string{
			"Lcom/example/insecure/AllowAllVerifier;->verify" + verify + " implements=HostnameVerifier body=return-true",
			"Lcom/example/insecure/DerivedTrust;->checkServerTrusted" + chain + " implements=X509TrustManager body=empty",
			"Lcom/example/insecure/HttpSetup;->configure(Lorg/apache/http/conn/ssl/SSLSocketFactory;)V uses=ALLOW_ALL_HOSTNAME_VERIFIER",
			"Lcom/example/insecure/HttpSetup;->insecureFactory()Ljavax/net/SocketFactory; uses=SSLCertificateSocketFactory.getInsecure",
			"Lcom/example/insecure/HttpSetup;->noop()Ljavax/net/ssl/HostnameVerifier; uses=NoopHostnameVerifier",
			"Lcom/example/insecure/Net$$ExternalSyntheticLambda0;->verify" + verify + " implements=HostnameVerifier body=return-true via=Lcom/example/insecure/Net;->lambda$client$0",
			"Lcom/example/insecure/KotlinTrustAll;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;Ljava/net/Socket;)V implements=X509ExtendedTrustManager body=empty",
			"Lcom/example/insecure/ProceedClient;->onReceivedSslError" + sslErr + proceed,
			"Lcom/example/insecure/TrustAll;->checkServerTrusted" + chain + " implements=X509TrustManager body=empty",
			"Lorg/apache/cordova/engine/SystemWebViewClient;->onReceivedSslError" + sslErr + proceed + " gated=debuggable severity=low",
		}},
		{"secure.dex", []string{
			"Lcom/example/secure/CancelClient;->onReceivedSslError" + sslErr + " extends=WebViewClient calls=SslErrorHandler.cancel",
			"Lcom/example/secure/DenyVerifier;->verify" + verify + " implements=HostnameVerifier body=return-false",
			"Lcom/example/secure/Net$$ExternalSyntheticLambda0;->verify" + verify + " implements=HostnameVerifier body=code",
			"Lcom/example/secure/PinningTrust;->checkServerTrusted" + chain + " implements=X509TrustManager body=code",
			"Lcom/example/secure/RejectingTrust;->checkServerTrusted" + chain + " implements=X509TrustManager body=code",
			"Lcom/example/secure/StrictVerifier;->verify" + verify + " implements=HostnameVerifier body=code",
		}},
	} {
		s := extractBinary(t, tc.fixture, readFixture(t, "dex", tc.fixture))
		if len(s.warnings) > 0 {
			t.Errorf("%s: warnings for a valid file: %v", tc.fixture, s.warnings)
		}
		got := shapeLines(s.text("dex"))
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: method lines\n got %q\nwant %q", tc.fixture, got, tc.want)
		}
	}
}

// smali.dex comes from Debian's smali assembler rather than our writer: the
// same shapes as compilers emit them, with try blocks, p-registers and
// switch and array payloads in the middle of the code.
func TestDEXSmaliAssembled(t *testing.T) {
	const sslErr = "->onReceivedSslError(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V extends=WebViewClient"
	want := []string{
		"Lcom/example/smali/Net$$ExternalSyntheticLambda0;->verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z implements=HostnameVerifier body=return-true via=Lcom/example/smali/Net;->lambda$client$0",
		"Lcom/example/smali/Net;->apache(ILorg/apache/http/conn/ssl/SSLSocketFactory;)V uses=ALLOW_ALL_HOSTNAME_VERIFIER",
		"Lcom/example/smali/TrustAllKt;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V implements=X509TrustManager body=empty",
		"Lcom/example/smali/UnsafeClient;" + sslErr + " calls=SslErrorHandler.cancel,SslErrorHandler.proceed",
		"Lorg/apache/cordova/engine/SystemWebViewClient;" + sslErr + " calls=SslErrorHandler.proceed gated=debuggable severity=low",
	}
	s := extractBinary(t, "smali.dex", readFixture(t, "dex", "smali.dex"))
	if len(s.warnings) > 0 {
		t.Errorf("warnings: %v", s.warnings)
	}
	got := shapeLines(s.text("dex"))
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("method lines\n got %q\nwant %q", got, want)
	}
}

// Hostile files end in a warning and whatever could still be read; the
// planted key is found either in the string table or in the fallback.
func TestDEXHostile(t *testing.T) {
	for _, tc := range []struct {
		fixture, warning, format string
		key                      bool // the AWS key survives
	}{
		{"truncated.dex", "malformed DEX file", "strings", false},
		{"string-past-end.dex", "1 of ", "strings", true},
		{"huge-counts.dex", "runs past the end of the file", "strings", true},
		{"endless-uleb.dex", "malformed DEX class data", "dex", true},
	} {
		s := extractBinary(t, tc.fixture, readFixture(t, "dex", tc.fixture))
		if len(s.warnings) == 0 || !strings.Contains(s.warnings[0].Err.Error(), tc.warning) {
			t.Errorf("%s: warnings %v, want one saying %q", tc.fixture, s.warnings, tc.warning)
		}
		if text := s.text(tc.format); tc.key && !strings.Contains(text, "AKIAQ3EGRB5TCWLUW4NX") {
			t.Errorf("%s: %s rendering lacks the planted key:\n%s", tc.fixture, tc.format, text)
		}
		for _, w := range s.warnings {
			if strings.Contains(w.Err.Error(), "AKIA") {
				t.Errorf("%s: a warning carries content: %v", tc.fixture, w)
			}
		}
	}
}

// A table whose ids all point at one long string would render to the
// count times its length, or, without a terminating NUL, be searched that
// many times; the work budget stops both near the file's size.
func TestDEXSharedStringBudget(t *testing.T) {
	for _, nul := range []bool{true, false} {
		const ids, length = 4000, 64 << 10
		data := make([]byte, 0x70+4*ids)
		copy(data, "dex\n035\x00")
		binary.LittleEndian.PutUint32(data[0x28:], 0x12345678)
		binary.LittleEndian.PutUint32(data[0x38:], ids)
		binary.LittleEndian.PutUint32(data[0x3c:], 0x70)
		str := uint32(len(data))
		for i := range ids {
			binary.LittleEndian.PutUint32(data[0x70+4*i:], str)
		}
		data = append(data, 0x80, 0x80, 0x04) // uleb128 65536
		data = append(data, bytes.Repeat([]byte("a"), length)...)
		if nul {
			data = append(data, 0)
		}
		d, err := parseDex(data)
		if err != nil {
			t.Fatal(err)
		}
		text, bad := d.renderStrings(&dexRefs{})
		if bad == 0 || d.budget >= 0 {
			t.Errorf("nul=%v: %d bad strings, budget %d: the budget did not stop the table", nul, bad, d.budget)
		}
		if len(text) > 4*len(data)+1<<16 {
			t.Errorf("nul=%v: rendered %d bytes from a %d-byte file", nul, len(text), len(data))
		}
	}
}

func TestMUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("plain"), "plain"},
		{[]byte{0xc0, 0x80}, "\x00"},                           // two-byte NUL
		{[]byte{0xc3, 0xa9}, "é"},                              // two bytes
		{[]byte{0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}, "😀"},      // surrogate pair
		{[]byte{0xed, 0xa0, 0xbd, 'x'}, "\uFFFDx"},             // lone high surrogate
		{[]byte{0xff, 'a', 0xe0, 0x80}, "\uFFFDa\uFFFD\uFFFD"}, // junk and a cut sequence
	} {
		if got := string(appendMUTF8(nil, tc.in)); got != tc.want {
			t.Errorf("appendMUTF8(% x) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every payload pseudo-instruction is stepped over whole, so what follows
// it is still decoded.
func TestDalvikWalkPayloads(t *testing.T) {
	insns := []uint16{
		0x0100, 2, 0, 0, 1, 0, 2, 0, // packed-switch-payload, 2 targets: 8 units
		0x0200, 1, 5, 0, 7, 0, // sparse-switch-payload, 1 entry: 6 units
		0x0300, 1, 3, 0, 0x4142, 0x0043, // fill-array-data-payload, 3 bytes: 6 units
		0x0e, // return-void
	}
	var pcs []int
	if !dalvikWalk(insns, func(pc int, in []uint16) { pcs = append(pcs, pc) }) {
		t.Fatal("walk failed")
	}
	if want := []int{0, 8, 14, 20}; !slices.Equal(pcs, want) {
		t.Errorf("instructions at %v, want %v", pcs, want)
	}
	if dalvikWalk([]uint16{0x0300, 4, 0xffff, 0xffff}, func(int, []uint16) {}) {
		t.Error("a payload larger than the code was walked")
	}
}
