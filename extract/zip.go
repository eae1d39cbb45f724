package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/klauspost/compress/zip"
)

// zip walks the members of a zip archive (and so of APK, AAB, XAPK, APKS,
// IPA and JAR files), extracting each by its content. Members are read one
// at a time, never written to disk, and every read is bounded.
func (x *job) zip(sc scope, in input) {
	if sc.depth+1 > x.limits().MaxDepth {
		x.warn(Warning{Origin: sc.origin, Limit: "max-depth",
			Err: fmt.Errorf("archive nested deeper than %d levels; not opened", x.limits().MaxDepth)})
		return
	}
	r := in.r
	if in.data != nil {
		r = bytes.NewReader(in.data)
	}
	zr, err := zip.NewReader(r, in.size)
	if err != nil {
		if data, ok := x.bytes(sc, in); ok {
			x.malformed(sc, "zip archive", err, data)
		}
		return
	}
	sc.depth++
	sc = x.appScope(sc, zr)
	// Members are extracted on spare workers when there are any, so one
	// big app uses every core; the resource tables go first, alone,
	// because the members after them read them.
	shared := overlapping(zr.File)
	if len(shared) > 0 {
		x.warn(Warning{Origin: sc.origin,
			Err: fmt.Errorf("%d members share compressed data with others (an overlapping zip bomb?); skipped", len(shared))})
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, f := range orderMembers(zr.File) {
		if !x.alive(sc) {
			return
		}
		if f.FileInfo().IsDir() || shared[f] {
			continue
		}
		msc := sc.member(f.Name)
		if isTableMember(f.Name) || !x.e.spareWorker() {
			x.member(msc, f)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer x.e.releaseWorker()
			defer x.recover(msc.origin)
			x.member(msc, f)
		}()
	}
}

// member reads one zip member within the size, ratio and total limits.
func (x *job) member(sc scope, f *zip.File) {
	lim := x.limits()
	declared := int64(f.UncompressedSize64)
	if declared < 0 || f.UncompressedSize64 > 1<<62 {
		declared = 1 << 62
	}
	compressed := int64(f.CompressedSize64)
	if compressed > 0 && declared/compressed > lim.MaxRatio {
		x.warn(Warning{Origin: sc.origin, Limit: "max-ratio",
			Err: fmt.Errorf("compression ratio %d:1 exceeds %d:1 (a zip bomb?); skipped", declared/compressed, lim.MaxRatio)})
		return
	}
	// Declared sizes can lie: bound the actual read as well.
	limit := lim.MaxFileSize
	if f.Method != zip.Store && compressed > 0 && compressed*lim.MaxRatio < limit {
		limit = compressed * lim.MaxRatio
	}
	if remaining := lim.MaxTotalBytes - x.inflated.Load(); remaining < limit {
		limit = max(remaining, 0)
	}
	if limit == 0 {
		x.warn(Warning{Origin: sc.origin, Limit: "max-total-bytes",
			Err: fmt.Errorf("the target already decompressed %d bytes; member skipped", lim.MaxTotalBytes)})
		return
	}
	rc, err := f.Open()
	if err != nil {
		x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("cannot open archive member: %v", err)})
		return
	}
	defer rc.Close()
	// Size the buffer from the declared size (bounded): growing it by
	// doubling would hold twice a big member in memory at the peak.
	buf := bytes.NewBuffer(make([]byte, 0, min(declared, limit)+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(rc, limit+1))
	data := buf.Bytes()
	x.inflated.Add(int64(len(data)))
	if int64(len(data)) > limit {
		data = data[:limit]
		name, why := "max-file-size", "over the size limit"
		if limit < lim.MaxFileSize {
			name, why = "max-ratio", "over its compression-ratio or total-bytes limit"
		}
		x.warn(Warning{Origin: sc.origin, Limit: name,
			Err: fmt.Errorf("member decompresses %s; only the first %d bytes scanned", why, limit)})
	} else if err != nil && !errors.Is(err, zip.ErrChecksum) {
		x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("archive member is damaged: %v; scanned what could be read", err)})
	} else if errors.Is(err, zip.ErrChecksum) {
		x.warn(Warning{Origin: sc.origin, Err: errors.New("archive member fails its checksum; scanned anyway")})
	}
	x.content(sc, input{data: data, size: int64(len(data))})
}

// orderMembers puts the members that give context first: an APK's
// resources.arsc (an AAB's resources.pb) must be read before the XML that
// refers to it.
func orderMembers(files []*zip.File) []*zip.File {
	out := make([]*zip.File, 0, len(files))
	for _, f := range files {
		if isTableMember(f.Name) {
			out = append(out, f)
		}
	}
	for _, f := range files {
		if !isTableMember(f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// overlapping returns the members whose data starts inside an earlier
// member's. Honest archives never share bytes; non-recursive zip bombs
// point thousands of entries at one compressed stream, so that each read
// is within the ratio limit while the total is not.
func overlapping(files []*zip.File) map[*zip.File]bool {
	type span struct {
		start, end int64
		f          *zip.File
	}
	spans := make([]span, 0, len(files))
	for _, f := range files {
		if off, err := f.DataOffset(); err == nil {
			spans = append(spans, span{off, off + int64(min(f.CompressedSize64, 1<<62)), f})
		}
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	shared := map[*zip.File]bool{}
	end := int64(-1)
	for _, s := range spans {
		if s.start < end {
			shared[s.f] = true
		}
		end = max(end, s.end)
	}
	return shared
}
