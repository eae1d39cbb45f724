package portfolio

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
)

// Shard is one of Count parts of a target list: --shard Index/Count.
type Shard struct{ Index, Count int }

// IndexEnv is where --shard auto/N finds its index: a Kubernetes Indexed
// Job sets it in each pod, from 0 to completions-1.
const IndexEnv = "JOB_COMPLETION_INDEX"

// ParseShard reads "K/N" (0 <= K < N) or "auto/N", which takes K from
// IndexEnv through getenv.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want K/N, e.g. 0/4, or auto/N", s)
	}
	if k == "auto" {
		k = getenv(IndexEnv)
		if k == "" {
			return Shard{}, fmt.Errorf("--shard %q: %s is not set", s, IndexEnv)
		}
	}
	var sh Shard
	var err error
	if sh.Count, err = strconv.Atoi(n); err != nil || sh.Count < 1 {
		return Shard{}, fmt.Errorf("--shard %q: N must be a whole number of at least 1", s)
	}
	if sh.Index, err = strconv.Atoi(k); err != nil || sh.Index < 0 || sh.Index >= sh.Count {
		return Shard{}, fmt.Errorf("--shard %q: K must be from 0 to %d", s, sh.Count-1)
	}
	return sh, nil
}

// Select keeps the targets that belong to the shard. A target's shard
// depends on its own name only (a hash of the path relative to base, the
// working directory), not on its place in the list, so machines whose
// lists differ (a file one of them lacks, another order, a checkout at
// another absolute path) still never scan a shared target twice or skip
// it. The price is some imbalance on short lists.
func (s Shard) Select(targets []string, base string) []string {
	var out []string
	for _, t := range targets {
		if s.Of(t, base) == s.Index {
			out = append(out, t)
		}
	}
	return out
}

// Of is the shard index of target.
func (s Shard) Of(target, base string) int {
	h := fnv.New64a()
	h.Write([]byte(shardKey(target, base)))
	return int(h.Sum64() % uint64(s.Count))
}

// shardKey is target cleaned, relative to base when inside it, with
// forward slashes.
func shardKey(target, base string) string {
	t := filepath.Clean(target)
	if filepath.IsAbs(t) && base != "" {
		if rel, err := filepath.Rel(base, t); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			t = rel
		}
	}
	return filepath.ToSlash(t)
}
