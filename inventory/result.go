package inventory

import (
	"sort"

	"github.com/keyholesec/keyhole/scanner"
)

// transports by scheme; other schemes are "unknown".
var transports = map[string]string{
	"https": "tls", "wss": "tls", "ftps": "tls", "sftp": "tls", "ssh": "tls", "ldaps": "tls",
	"mqtts": "tls", "rediss": "tls", "amqps": "tls", "grpcs": "tls", "imaps": "tls", "smtps": "tls",
	"pop3s": "tls", "rtmps": "tls",
	"http": "cleartext", "ws": "cleartext", "ftp": "cleartext", "telnet": "cleartext", "ldap": "cleartext",
	"mqtt": "cleartext", "rtmp": "cleartext", "rtsp": "cleartext", "imap": "cleartext", "pop3": "cleartext",
}

// resourceServices name the service of each resource type.
var resourceServices = map[string]string{
	"s3-bucket": "AWS S3", "gcs-bucket": "Google Cloud Storage", "azure-storage-account": "Azure Storage",
	"firebase-database": "Firebase", "firestore-project": "Firebase", "supabase-project": "Supabase",
}

// Result returns the inventory: endpoints classified and in deterministic
// order. firstParty adds to the domains inferred as the app's own.
func (col *Collector) Result(targets, firstParty []string) *Inventory {
	col.mu.Lock()
	defer col.mu.Unlock()
	eps := make([]*Endpoint, 0, len(col.entries))
	for _, e := range col.entries {
		ep := e.ep
		ep.Seen = append([]Place(nil), ep.Seen...)
		ep.Count = len(e.places)
		ep.Address = e.address
		ep.Query = sortedKeys(e.query)
		ep.Transport = transports[ep.Scheme]
		if ep.Transport == "" {
			ep.Transport = "unknown"
		}
		if ep.Resource != nil {
			ep.Service = resourceServices[ep.Resource.Type]
		} else if ep.Host != "" && ep.Address != AddrUnknown {
			ep.Service = serviceOf(ep.Host)
		}
		for l := range e.links {
			ep.Links = append(ep.Links, l)
		}
		sort.Slice(ep.Links, func(i, j int) bool {
			a, b := ep.Links[i], ep.Links[j]
			return a.Rule < b.Rule || a.Rule == b.Rule && a.Fingerprint < b.Fingerprint
		})
		eps = append(eps, &ep)
	}
	ids := sortedKeys(col.appIDs)
	inv := &Inventory{
		Version:    SchemaVersion,
		Targets:    append([]string{}, targets...),
		FirstParty: inferFirstParty(ids, firstParty, eps),
		Endpoints:  make([]Endpoint, 0, len(eps)),
		Warnings:   append([]scanner.Warning(nil), col.warnings...),
	}
	for _, ep := range eps {
		ep.Party = partyOf(ep, inv.FirstParty)
		inv.Endpoints = append(inv.Endpoints, *ep)
	}
	sortEndpoints(inv.Endpoints)
	sort.SliceStable(inv.Warnings, func(i, j int) bool {
		a, b := inv.Warnings[i], inv.Warnings[j]
		return a.Target < b.Target || a.Target == b.Target && a.Path < b.Path
	})
	return inv
}

// sortEndpoints orders by host (host-less API paths last), then key.
func sortEndpoints(eps []Endpoint) {
	sort.Slice(eps, func(i, j int) bool {
		a, b := &eps[i], &eps[j]
		switch {
		case (a.Host == "") != (b.Host == ""):
			return a.Host != ""
		case a.Host != b.Host:
			return a.Host < b.Host
		}
		return a.Key < b.Key
	})
}

func sortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
