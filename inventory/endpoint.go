// Package inventory lists every network endpoint an app or a repository
// talks to: URLs, hosts in network configuration, IP addresses, cloud
// storage and database locations and API paths, normalised, classified
// and traced to where each was seen. It reads the chunks that extract
// produces and runs the scanner on the same chunks to link endpoints to
// findings.
package inventory

import "github.com/keyholesec/keyhole/scanner"

// SchemaVersion is the version of the JSON form below; it changes only
// when a field changes meaning or goes away.
const SchemaVersion = 1

// Inventory is the JSON form of a run (`keyhole inventory --format json`).
// JSONL writes the same Endpoint objects, one a line, without the header.
//
//	version      SchemaVersion
//	targets      the targets as named on the command line
//	firstParty   registrable domains taken as the app's own (see inferFirstParty)
//	endpoints    sorted: hosts in name order (host-less API paths last), then key
//	warnings     problems with targets that did not stop the run
type Inventory struct {
	Version    int               `json:"version"`
	Targets    []string          `json:"targets"`
	FirstParty []string          `json:"firstParty"`
	Endpoints  []Endpoint        `json:"endpoints"`
	Warnings   []scanner.Warning `json:"warnings,omitempty"`
}

// Endpoint is one normalised endpoint. Field names are stable:
//
//	key          identity: "scheme://host[:port]/path", "host[:port]" (a bare
//	             host), "host/path" (a cloud URL written without scheme) or
//	             "/path" (an API path without host)
//	kind         "url", "host" or "path"
//	scheme       lower-case, "" when none was written
//	host         lower-case, IPv6 in brackets; "" for paths
//	port         only when not the scheme's default
//	path         template: ids and placeholders are "{id}"; "/" for a root
//	query        names of query parameters seen, sorted (values are dropped)
//	transport    "tls", "cleartext" or "unknown" (no scheme, or a custom one)
//	address      "public", "private", "loopback", "link-local", "metadata",
//	             "documentation" or "unknown" (paths); all but "public" are
//	             set apart in the text report
//	party        "first" (under a firstParty domain), "third" (a named service
//	             or another public host) or "unknown" (paths, addresses)
//	service      the named service or SDK, e.g. "Firebase", "Sentry"
//	resource     a cloud storage or database location: {type, name, region}
//	credentials  true when some sighting carried user:password@
//	count        distinct places (target, path, line, commit) it was seen
//	seen         the first of those places (at most MaxSeen), in order
//	findings     scanner findings on the same text: {rule, fingerprint}
type Endpoint struct {
	Key         string    `json:"key"`
	Kind        string    `json:"kind"`
	Scheme      string    `json:"scheme,omitempty"`
	Host        string    `json:"host,omitempty"`
	Port        int       `json:"port,omitempty"`
	Path        string    `json:"path,omitempty"`
	Query       []string  `json:"query,omitempty"`
	Transport   string    `json:"transport"`
	Address     string    `json:"address"`
	Party       string    `json:"party"`
	Service     string    `json:"service,omitempty"`
	Resource    *Resource `json:"resource,omitempty"`
	Credentials bool      `json:"credentials,omitempty"`
	Count       int       `json:"count"`
	Seen        []Place   `json:"seen"`
	Links       []Link    `json:"findings,omitempty"`
}

// Resource is a cloud storage or database location named by an endpoint.
//
//	type    "s3-bucket", "gcs-bucket", "azure-storage-account",
//	        "firebase-database", "firestore-project", "supabase-project"
//	name    the bucket, account, database or project
//	region  when the host names one
type Resource struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
}

// Place is where an endpoint was seen.
type Place struct {
	Target string `json:"target"`
	Path   string `json:"path,omitempty"`
	Line   int    `json:"line"`
	Commit string `json:"commit,omitempty"`
}

// Link ties an endpoint to a scanner finding on the same text.
type Link struct {
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
}

// MaxSeen caps the places kept per endpoint; Count still counts them all.
const MaxSeen = 10

// Endpoint kinds.
const (
	KindURL  = "url"
	KindHost = "host"
	KindPath = "path"
)

// Address classes.
const (
	AddrPublic        = "public"
	AddrPrivate       = "private"
	AddrLoopback      = "loopback"
	AddrLinkLocal     = "link-local"
	AddrMetadata      = "metadata"
	AddrDocumentation = "documentation"
	AddrUnknown       = "unknown"
	// addrReference marks XML namespaces, DTDs, schema ids and licences:
	// identifiers written as URLs. They are left out of inventories.
	addrReference = "reference"
)
