package report

import (
	"time"

	"github.com/keyholesec/keyhole/scanner"
)

// fixture is a Result with one of everything a writer must handle: a
// directory, an app and a git history target, a finding inside an archive
// member, a git-attributed one, text rendered from binary formats, a path
// and a match carrying a newline, an escape sequence and invalid UTF-8, the
// same secret in two targets, and a fatal and a non-fatal warning.
func fixture() *scanner.Result {
	date := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	finding := func(f scanner.Finding) scanner.Finding {
		inTarget := f.Path
		if inTarget == "" {
			inTarget = f.Target
		}
		f.Fingerprint = scanner.Fingerprint(f.Rule, inTarget, f.Secret)
		if f.EndLine == 0 {
			f.EndLine = f.Line
		}
		return f
	}
	return &scanner.Result{
		Findings: []scanner.Finding{
			finding(scanner.Finding{
				Rule: "aws-access-token", Kind: "secret", Severity: "critical", Description: "AWS access key ID", Tags: []string{"aws", "key"},
				Target: "src", Path: "config/app.env", Location: "src/config/app.env",
				Line: 3, Column: 19, Secret: "AKIA…REDACTED", Match: "aws_access_key_id = AKIA…REDACTED", Entropy: 3.65,
			}),
			finding(scanner.Finding{
				Rule: "cleartext-endpoint", Kind: "misconfig", Severity: "medium", Description: "Cleartext URL to api.example.net",
				Target: "src", Path: "config/app.env", Location: "src/config/app.env",
				Line: 7, Column: 10, Match: "BASE_URL=http://api.example.net/v1",
			}),
			finding(scanner.Finding{
				Rule: "github-pat", Kind: "secret", Severity: "critical", Description: "GitHub personal access token",
				Target: "src", Path: "deploy/ci.sh", Location: "src/deploy/ci.sh",
				Line: 12, Column: 14, Secret: "ghp_…REDACTED", Match: "export TOKEN=ghp_…REDACTED", Entropy: 5.1,
			}),
			finding(scanner.Finding{
				Rule: "generic-api-key", Kind: "secret", Severity: "high", Description: "Generic API key",
				Target: "src", Path: "evil\nname\xff.txt", Location: "src/evil\nname\xff.txt",
				Line: 1, Column: 1, Secret: "REDACTED",
				Match: "api_key = REDACTED\nsrc/forged.go\n  1:1  critical  \x1b[2Jfake", Entropy: 4.2,
			}),
			finding(scanner.Finding{
				Rule: "gcp-api-key", Kind: "secret", Severity: "low", Description: "Google API key (public by design in Firebase apps)",
				Target: "build/app.apk", Path: "res/values/strings.xml", Location: "build/app.apk!res/values/strings.xml",
				Line: 12, Column: 5, Format: "arsc", Secret: "AIza…REDACTED",
				Match: "google_api_key = AIza…REDACTED", Entropy: 4.8,
			}),
			finding(scanner.Finding{
				Rule: "android-trust-all-certs", Kind: "misconfig", Severity: "high", Description: "X509TrustManager accepts every certificate (checkServerTrusted is empty)",
				Target: "build/app.apk", Path: "classes.dex", Location: "build/app.apk!classes.dex",
				Line: 40, Column: 1, Format: "dex",
				Match: "Lcom/a/B;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V implements=X509TrustManager body=empty",
			}),
			finding(scanner.Finding{
				Rule: "cleartext-endpoint", Kind: "misconfig", Severity: "info", Description: "Cleartext URL to private host 10.0.0.7",
				Target: "build/app.apk", Path: "assets/config.json", Location: "build/app.apk!assets/config.json",
				Line: 2, Column: 0, Format: "base64", Match: "http://10.0.0.7:8080/",
			}),
			finding(scanner.Finding{
				Rule: "github-pat", Kind: "secret", Severity: "critical", Description: "GitHub personal access token",
				Target: "repo", Path: "deploy/ci.sh", Location: "repo/deploy/ci.sh",
				Line: 12, Column: 14, Secret: "ghp_…REDACTED", Match: "export TOKEN=ghp_…REDACTED", Entropy: 5.1,
				Commit: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", Author: "Alice Example", Email: "alice@example.com", Date: &date,
			}),
		},
		Warnings: []scanner.Warning{
			{Target: "build/app.apk", Path: "lib/arm64-v8a/libbig.so", Limit: "max-file-size", Message: "member is 300 MB, over the 100 MB limit"},
			{Target: "broken.ipa", Message: "not a zip archive: zip: not a valid zip file", Fatal: true},
		},
		Targets: []scanner.TargetResult{
			{Target: "src", Kind: "directory", Files: 214, Bytes: 1_843_200, Duration: 84 * time.Millisecond,
				Counts: map[string]int{"critical": 2, "high": 1, "medium": 1}},
			{Target: "build/app.apk", Kind: "apk", Files: 1312, Bytes: 48_234_496, Duration: 1_420 * time.Millisecond,
				Counts: map[string]int{"high": 1, "low": 1, "info": 1}},
			{Target: "repo", Kind: "git", Files: 5210, Bytes: 96_468_992, Duration: 3_150 * time.Millisecond,
				Counts: map[string]int{"critical": 1}},
			{Target: "broken.ipa", Kind: "file", Error: "not a zip archive", Counts: map[string]int{}},
		},
		Suppressed: 2,
	}
}
