package extract

import "time"

// Limits bound what one target may cost. Hitting one produces a Warning
// naming the target, the member and the limit; the rest is still scanned.
type Limits struct {
	MaxFileSize     int64         // bytes read from one file or archive member
	MaxTotalBytes   int64         // bytes decompressed from one target's archives
	MaxRatio        int64         // compressed-to-uncompressed ratio of one zip member
	MaxDepth        int           // archive nesting (an APK in an XAPK is depth 2)
	MaxDecodeDepth  int           // layers of base64/hex/… decoded inside one another
	MaxDecodedBytes int64         // bytes produced by decoding, per chunk
	TargetTimeout   time.Duration // wall time for one target; 0 means none
}

// DefaultLimits are sized so that real apps and repositories pass untouched
// while bombs and pathological files stop early.
var DefaultLimits = Limits{
	MaxFileSize:     256 << 20,
	MaxTotalBytes:   4 << 30,
	MaxRatio:        200,
	MaxDepth:        4,
	MaxDecodeDepth:  2,
	MaxDecodedBytes: 4 << 20,
	TargetTimeout:   10 * time.Minute,
}

// Options control an extraction.
type Options struct {
	Limits Limits
	// NoDecode turns off decoding of base64/hex/percent/unicode escapes.
	NoDecode bool
	// WholeBlobs scans every version of a file in a history whole, not
	// only where it differs from the version before: for rules that
	// judge a match by the rest of the file (composite rules).
	WholeBlobs bool
}
