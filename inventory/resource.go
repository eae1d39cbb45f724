package inventory

import (
	"regexp"
	"strings"
)

// s3Host matches the S3 endpoint hosts: s3.amazonaws.com, s3.REGION…,
// s3-REGION…, s3.dualstack.REGION…, s3-website… — with the bucket in
// front (virtual-hosted) or not (path-style).
var s3Host = regexp.MustCompile(`^(?:(.+)\.)?s3(?:[.-](?:dualstack|website|accelerate)\b)?(?:[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d))?\.amazonaws\.com(?:\.cn)?$`)

// firebaseDB: PROJECT.firebaseio.com, PROJECT.REGION.firebasedatabase.app.
var firebaseDB = regexp.MustCompile(`^([a-z0-9-]+)\.(?:firebaseio\.com|([a-z0-9-]+)\.firebasedatabase\.app)$`)

// resourceOf names the cloud storage or database location an endpoint
// points at, or nil. path is the raw (untemplated) path, since bucket
// names may look like ids.
func resourceOf(p *parsed, rawPath string) *Resource {
	first := firstSegment(rawPath)
	switch {
	case p.scheme == "s3" && p.host != "":
		return &Resource{Type: "s3-bucket", Name: p.host}
	case p.scheme == "gs" && p.host != "":
		return &Resource{Type: "gcs-bucket", Name: p.host}
	case strings.HasSuffix(p.host, ".amazonaws.com") || strings.HasSuffix(p.host, ".amazonaws.com.cn"):
		m := s3Host.FindStringSubmatch(p.host)
		if m == nil {
			return nil
		}
		bucket := m[1]
		if bucket == "" {
			bucket = first
		}
		if bucket == "" {
			return nil
		}
		return &Resource{Type: "s3-bucket", Name: bucket, Region: m[2]}
	case p.host == "storage.googleapis.com" || p.host == "storage.cloud.google.com":
		if first == "" {
			return nil
		}
		if first == "storage" { // JSON API: /storage/v1/b/BUCKET/o
			if b := segmentAfter(rawPath, "b"); b != "" {
				return &Resource{Type: "gcs-bucket", Name: b}
			}
			return nil
		}
		return &Resource{Type: "gcs-bucket", Name: first}
	case strings.HasSuffix(p.host, ".storage.googleapis.com"):
		return &Resource{Type: "gcs-bucket", Name: strings.TrimSuffix(p.host, ".storage.googleapis.com")}
	case p.host == "firebasestorage.googleapis.com":
		if b := segmentAfter(rawPath, "b"); b != "" {
			return &Resource{Type: "gcs-bucket", Name: b}
		}
	case p.host == "firestore.googleapis.com":
		if proj := segmentAfter(rawPath, "projects"); proj != "" {
			return &Resource{Type: "firestore-project", Name: proj}
		}
	case strings.HasSuffix(p.host, ".blob.core.windows.net"):
		return &Resource{Type: "azure-storage-account", Name: strings.TrimSuffix(p.host, ".blob.core.windows.net")}
	case strings.HasSuffix(p.host, ".supabase.co"):
		ref := strings.TrimSuffix(p.host, ".supabase.co")
		if !strings.Contains(ref, ".") {
			return &Resource{Type: "supabase-project", Name: ref}
		}
	default:
		if m := firebaseDB.FindStringSubmatch(p.host); m != nil {
			return &Resource{Type: "firebase-database", Name: m[1], Region: m[2]}
		}
	}
	return nil
}

func firstSegment(path string) string {
	path = strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[:i]
	}
	if isTemplated(path) {
		return ""
	}
	return path
}

// segmentAfter returns the path segment after the segment named name.
func segmentAfter(path, name string) string {
	segs := strings.Split(path, "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == name && segs[i+1] != "" && !isTemplated(segs[i+1]) {
			return segs[i+1]
		}
	}
	return ""
}
