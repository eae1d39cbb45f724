// Package extract turns targets (files, directories, archives, app builds,
// git objects) into chunks of text with provenance. It knows nothing of rules.
package extract

import (
	"fmt"
	"strings"
	"time"
)

// Origin says where a chunk came from.
type Origin struct {
	Target string // the target as the user named it
	// Dir says Target is a directory, so Path starts with a file inside it
	// (joined by "/") rather than an archive member (joined by "!").
	Dir bool
	// Path is the file inside the target (slash-separated, relative to a
	// directory target) followed by container members joined by "!",
	// e.g. "app.apk!lib/arm64-v8a/libfoo.so". Empty for a lone file or stdin.
	Path string
	// Git provenance; empty outside history mode.
	Commit string
	Author string
	Email  string
	Date   time.Time
	// Seq orders commits parents first (from 1): of two with one date,
	// the lower introduced a secret first.
	Seq int
}

// Member returns the origin of a member of this origin's container.
func (o Origin) Member(name string) Origin {
	if o.Path == "" {
		o.Path = name
	} else {
		o.Path += "!" + name
	}
	return o
}

// String renders the origin for people: "src/app/build/app.apk!classes.dex".
func (o Origin) String() string {
	switch {
	case o.Path == "":
		return o.Target
	case o.Target == "":
		return o.Path
	case o.Dir:
		return strings.TrimSuffix(o.Target, "/") + "/" + o.Path
	default:
		return o.Target + "!" + o.Path
	}
}

// Chunk is text to scan. Data is only valid during the Sink call that
// receives it: sinks must not retain it.
type Chunk struct {
	Origin Origin
	// Aliases are further origins whose content is identical (a git blob
	// seen at several paths); findings are reported for each.
	Aliases []Origin
	Data    []byte
	// Rendered says Data is text rendered from a binary format (DEX,
	// binary XML, Mach-O strings …): line numbers refer to that text.
	Rendered bool
	// Format names what Data was rendered or decoded from, e.g. "dex",
	// "axml", "strings", "base64"; empty for plain text.
	Format string
	// LineOffset is added to line numbers found in Data: a decoded chunk
	// reports the line of the encoded text it came from.
	LineOffset int
	// Encoded marks a chunk decoded from base64, hex, … inside its parent.
	Encoded bool
}

// Warning is a problem with one target or member that did not stop the scan:
// a limit hit, a malformed file, an unreadable path. Messages never carry
// the content that was being read.
type Warning struct {
	Origin Origin
	// Limit names the limit that was hit ("max-file-size", …); empty for
	// other problems.
	Limit string
	Err   error
	// Fatal marks a target that could not be scanned at all (the run then
	// exits 2 after reporting everything else).
	Fatal bool
}

func (w Warning) Error() string {
	if w.Limit != "" {
		return fmt.Sprintf("%s: %v (limit %s)", w.Origin, w.Err, w.Limit)
	}
	return fmt.Sprintf("%s: %v", w.Origin, w.Err)
}

// Sink receives what an extraction produces. Calls may come from several
// goroutines at once.
type Sink interface {
	Chunk(Chunk)
	Warn(Warning)
}
