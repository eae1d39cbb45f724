//go:build ignore

// Generates the DEX fixtures in this directory: run from the repository
// root with `go run testdata/dex/generate.go`.
//
//	insecure.dex  every TLS-disabling method shape the DEX reader renders,
//	              plus planted strings (an AWS key id, a cleartext URL)
//	secure.dex    the same methods done properly: the rules' negatives
//	truncated.dex, string-past-end.dex, huge-counts.dex, endless-uleb.dex
//	              hostile variants of insecure.dex
package main

import (
	"bytes"
	"encoding/binary"
	"log"
	"os"
	"path/filepath"

	. "github.com/keyholesec/keyhole/internal/dexgen"
)

const (
	trustManager     = "Ljavax/net/ssl/X509TrustManager;"
	hostnameVerifier = "Ljavax/net/ssl/HostnameVerifier;"
	webViewClient    = "Landroid/webkit/WebViewClient;"
	certChain        = "([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V"
	verifyProto      = "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"
	sslErrorProto    = "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"
	proceed          = "Landroid/webkit/SslErrorHandler;->proceed()V"
	cancel           = "Landroid/webkit/SslErrorHandler;->cancel()V"
	kotlinNullCheck  = "Lkotlin/jvm/internal/Intrinsics;->checkNotNullParameter(Ljava/lang/Object;Ljava/lang/String;)V"
)

func main() {
	dir := "testdata/dex"
	insecure := build(&File{
		Strings: []string{
			"AKIAQ3EGRB5TCWLUW4NX",
			"http://api.insecure-backend.net/v1/login",
			"multi\nline ünïcødé 😀",
		},
		Classes: []Class{
			{Name: "Lcom/example/insecure/TrustAll;", Interfaces: []string{trustManager}, Methods: []Method{
				{Name: "checkServerTrusted", Proto: certChain, Code: []Insn{ReturnVoid()}},
				{Name: "checkClientTrusted", Proto: certChain, Code: []Insn{ReturnVoid()}},
				{Name: "getAcceptedIssuers", Proto: "()[Ljava/security/cert/X509Certificate;", Locals: 1,
					Code: []Insn{Const4(0, 0), ReturnObject(0)}},
			}},
			// Kotlin checks its parameters for null first; the body is still empty.
			{Name: "Lcom/example/insecure/KotlinTrustAll;", Super: "Ljavax/net/ssl/X509ExtendedTrustManager;", Methods: []Method{
				{Name: "checkServerTrusted", Proto: "([Ljava/security/cert/X509Certificate;Ljava/lang/String;Ljava/net/Socket;)V", Locals: 1,
					Code: []Insn{ConstString(0, "chain"), InvokeStatic(kotlinNullCheck, 1, 0),
						ConstString(0, "authType"), InvokeStatic(kotlinNullCheck, 2, 0), ReturnVoid()}},
			}},
			// Implemented through a superclass defined in the same file.
			{Name: "Lcom/example/insecure/BaseTrust;", Interfaces: []string{trustManager}},
			{Name: "Lcom/example/insecure/DerivedTrust;", Super: "Lcom/example/insecure/BaseTrust;", Methods: []Method{
				{Name: "checkServerTrusted", Proto: certChain, Code: []Insn{ReturnVoid()}},
			}},
			{Name: "Lcom/example/insecure/AllowAllVerifier;", Interfaces: []string{hostnameVerifier}, Methods: []Method{
				{Name: "verify", Proto: verifyProto, Locals: 1, Code: []Insn{Const4(0, 1), Return(0)}},
			}},
			// D8 compiles `(host, session) -> true` to a class whose verify
			// forwards to the lambda's body.
			{Name: "Lcom/example/insecure/Net;", Methods: []Method{
				{Name: "lambda$client$0", Proto: verifyProto, Static: true, Locals: 1, Code: []Insn{Const4(0, 1), Return(0)}},
			}},
			{Name: "Lcom/example/insecure/Net$$ExternalSyntheticLambda0;", Interfaces: []string{hostnameVerifier}, Methods: []Method{
				{Name: "verify", Proto: verifyProto, Locals: 1, Code: []Insn{
					InvokeStatic("Lcom/example/insecure/Net;->lambda$client$0"+verifyProto, 1, 2), MoveResult(0), Return(0)}},
			}},
			{Name: "Lcom/example/insecure/HttpSetup;", Methods: []Method{
				{Name: "configure", Proto: "(Lorg/apache/http/conn/ssl/SSLSocketFactory;)V", Static: true, Locals: 1, Code: []Insn{
					SgetObject(0, "Lorg/apache/http/conn/ssl/SSLSocketFactory;->ALLOW_ALL_HOSTNAME_VERIFIER:Lorg/apache/http/conn/ssl/X509HostnameVerifier;"),
					InvokeVirtual("Lorg/apache/http/conn/ssl/SSLSocketFactory;->setHostnameVerifier(Lorg/apache/http/conn/ssl/X509HostnameVerifier;)V", 1, 0),
					ReturnVoid()}},
				{Name: "insecureFactory", Proto: "()Ljavax/net/SocketFactory;", Static: true, Locals: 2, Code: []Insn{
					Const4(0, 0), Const4(1, 0),
					InvokeStatic("Landroid/net/SSLCertificateSocketFactory;->getInsecure(ILandroid/net/SSLSessionCache;)Ljavax/net/SocketFactory;", 0, 1),
					MoveResultObject(0),
					ReturnObject(0)}},
				{Name: "noop", Proto: "()Ljavax/net/ssl/HostnameVerifier;", Static: true, Locals: 1, Code: []Insn{
					NewInstance(0, "Lorg/apache/http/conn/ssl/NoopHostnameVerifier;"),
					InvokeDirect("Lorg/apache/http/conn/ssl/NoopHostnameVerifier;-><init>()V", 0),
					ReturnObject(0)}},
			}},
			{Name: "Lcom/example/insecure/ProceedClient;", Super: webViewClient, Methods: []Method{
				{Name: "onReceivedSslError", Proto: sslErrorProto, Code: []Insn{InvokeVirtual(proceed, 2), ReturnVoid()}},
			}},
			// Cordova proceeds only when the app is debuggable:
			// if ((appInfo.flags & ApplicationInfo.FLAG_DEBUGGABLE) != 0) handler.proceed();
			{Name: "Lorg/apache/cordova/engine/SystemWebViewClient;", Super: webViewClient, Methods: []Method{
				{Name: "onReceivedSslError", Proto: sslErrorProto, Locals: 2, Code: []Insn{
					InvokeVirtual("Landroid/webkit/WebView;->getContext()Landroid/content/Context;", 3),
					MoveResultObject(0),
					InvokeVirtual("Landroid/content/Context;->getApplicationInfo()Landroid/content/pm/ApplicationInfo;", 0),
					MoveResultObject(0),
					Iget(1, 0, "Landroid/content/pm/ApplicationInfo;->flags:I"),
					AndIntLit8(1, 1, 2),
					IfEqz(1, "release"),
					InvokeVirtual(proceed, 4),
					ReturnVoid(),
					Label("release"),
					InvokeSuper("Landroid/webkit/WebViewClient;->onReceivedSslError"+sslErrorProto, 2, 3, 4, 5),
					ReturnVoid()}},
			}},
			// The library's own initialisation of its constant is not a use.
			{Name: "Lorg/apache/http/conn/ssl/SSLSocketFactory;", Methods: []Method{
				{Name: "<clinit>", Proto: "()V", Static: true, Locals: 1, Code: []Insn{
					NewInstance(0, "Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier;"),
					InvokeDirect("Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier;-><init>()V", 0),
					ReturnVoid()}},
			}},
		},
	})
	secure := build(&File{Classes: []Class{
		{Name: "Lcom/example/secure/PinningTrust;", Interfaces: []string{trustManager}, Methods: []Method{
			{Name: "checkServerTrusted", Proto: certChain, Code: []Insn{
				InvokeVirtual("Lcom/example/secure/PinningTrust;->checkPins"+certChain, 0, 1, 2), ReturnVoid()}},
		}},
		{Name: "Lcom/example/secure/RejectingTrust;", Interfaces: []string{trustManager}, Methods: []Method{
			{Name: "checkServerTrusted", Proto: certChain, Locals: 1, Code: []Insn{
				NewInstance(0, "Ljava/security/cert/CertificateException;"),
				InvokeDirect("Ljava/security/cert/CertificateException;-><init>()V", 0),
				Throw(0)}},
		}},
		{Name: "Lcom/example/secure/StrictVerifier;", Interfaces: []string{hostnameVerifier}, Methods: []Method{
			{Name: "verify", Proto: verifyProto, Locals: 1, Code: []Insn{
				InvokeStatic("Ljavax/net/ssl/HttpsURLConnection;->getDefaultHostnameVerifier()Ljavax/net/ssl/HostnameVerifier;"),
				MoveResultObject(0),
				InvokeInterface("Ljavax/net/ssl/HostnameVerifier;->verify"+verifyProto, 0, 2, 3),
				MoveResult(0),
				Return(0)}},
		}},
		{Name: "Lcom/example/secure/Net;", Methods: []Method{
			{Name: "lambda$client$0", Proto: verifyProto, Static: true, Locals: 1, Code: []Insn{
				InvokeStatic("Ljavax/net/ssl/HttpsURLConnection;->getDefaultHostnameVerifier()Ljavax/net/ssl/HostnameVerifier;"),
				MoveResultObject(0),
				InvokeInterface("Ljavax/net/ssl/HostnameVerifier;->verify"+verifyProto, 0, 1, 2),
				MoveResult(0),
				Return(0)}},
		}},
		{Name: "Lcom/example/secure/Net$$ExternalSyntheticLambda0;", Interfaces: []string{hostnameVerifier}, Methods: []Method{
			{Name: "verify", Proto: verifyProto, Locals: 1, Code: []Insn{
				InvokeStatic("Lcom/example/secure/Net;->lambda$client$0"+verifyProto, 1, 2), MoveResult(0), Return(0)}},
		}},
		{Name: "Lcom/example/secure/DenyVerifier;", Interfaces: []string{hostnameVerifier}, Methods: []Method{
			{Name: "verify", Proto: verifyProto, Locals: 1, Code: []Insn{Const4(0, 0), Return(0)}},
		}},
		{Name: "Lcom/example/secure/CancelClient;", Super: webViewClient, Methods: []Method{
			{Name: "onReceivedSslError", Proto: sslErrorProto, Code: []Insn{InvokeVirtual(cancel, 2), ReturnVoid()}},
		}},
	}})
	write(dir, "insecure.dex", insecure)
	write(dir, "secure.dex", secure)
	write(dir, "truncated.dex", insecure[:len(insecure)/2])
	write(dir, "string-past-end.dex", patch(insecure, func(b []byte) {
		at := le32(b, 0x3c) // the first string_id points far past the end
		binary.LittleEndian.PutUint32(b[at:], 0x7ffffff0)
	}))
	write(dir, "huge-counts.dex", patch(insecure, func(b []byte) {
		binary.LittleEndian.PutUint32(b[0x38:], 0x3fffffff) // string_ids_size
		binary.LittleEndian.PutUint32(b[0x60:], 0x7fffffff) // class_defs_size
	}))
	write(dir, "endless-uleb.dex", patch(insecure, func(b []byte) {
		// Every class's class_data starts with bytes that all have the
		// continuation bit set.
		for i := range le32(b, 0x60) {
			off := le32(b, 0x64) + 32*i + 24
			if cd := le32(b, off); cd != 0 {
				copy(b[cd:], bytes.Repeat([]byte{0xff}, 6))
			}
		}
	}))
}

func build(f *File) []byte {
	b, err := f.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func patch(b []byte, fn func([]byte)) []byte {
	out := bytes.Clone(b)
	fn(out)
	return out
}

func le32(b []byte, at uint32) uint32 { return binary.LittleEndian.Uint32(b[at:]) }

func write(dir, name string, b []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
