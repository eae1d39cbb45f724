package portfolio

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

func TestParseShard(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == IndexEnv {
				return v
			}
			return ""
		}
	}
	good := []struct {
		in, env string
		want    Shard
	}{
		{"0/4", "", Shard{0, 4}}, {"3/4", "", Shard{3, 4}}, {"0/1", "", Shard{0, 1}}, {"auto/5", "2", Shard{2, 5}},
	}
	for _, c := range good {
		if got, err := ParseShard(c.in, env(c.env)); err != nil || got != c.want {
			t.Errorf("ParseShard(%q, %s=%q) = %v, %v; want %v", c.in, IndexEnv, c.env, got, err, c.want)
		}
	}
	for _, bad := range []struct{ in, env string }{
		{"4/4", ""}, {"-1/4", ""}, {"1/0", ""}, {"1", ""}, {"a/4", ""}, {"auto/4", ""}, {"auto/4", "4"}, {"1/4/2", ""},
	} {
		if got, err := ParseShard(bad.in, env(bad.env)); err == nil {
			t.Errorf("ParseShard(%q, %s=%q) = %v, want an error", bad.in, IndexEnv, bad.env, got)
		}
	}
}

func targets(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("apps/app-%03d.apk", i)
	}
	return out
}

// The shards of a list are disjoint and together the whole list.
func TestShardsPartitionTheTargets(t *testing.T) {
	all := targets(200)
	const n = 4
	var union []string
	for k := range n {
		part := Shard{k, n}.Select(all, "/src")
		if len(part) < 200/n/2 {
			t.Errorf("shard %d/%d has %d of 200 targets", k, n, len(part))
		}
		union = append(union, part...)
	}
	slices.Sort(union)
	if !slices.Equal(union, all) {
		t.Errorf("the shards' union is %d targets, not the 200 given (or has repeats)", len(union))
	}
}

// A target's shard depends on its name, not on the rest of the list or on
// where the checkout is.
func TestShardOfATargetIsStable(t *testing.T) {
	all := targets(50)
	sh := Shard{1, 3}
	want := sh.Select(all, "/src")

	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	fewer := append([]string{"apps/only-on-this-machine.apk"}, all[10:]...)
	elsewhere := make([]string, len(all))
	for i, tg := range all {
		elsewhere[i] = filepath.Join("/home/runner/work", tg)
	}
	for name, v := range map[string]struct {
		list []string
		base string
	}{
		"reversed list":          {reversed, "/src"},
		"list lacking some":      {fewer, "/src"},
		"absolute, another root": {elsewhere, "/home/runner/work"},
		"spelt ./apps/…":         {prefixed("./", all), "/src"},
	} {
		got := sh.Select(v.list, v.base)
		for _, tg := range v.list {
			key := shardKey(tg, v.base)
			if slices.Contains(all, key) && slices.Contains(got, tg) != slices.Contains(want, key) {
				t.Errorf("%s: %s changed shards", name, tg)
			}
		}
	}
	// The hash is part of the contract: shards started by different
	// keyhole versions must still agree.
	if got := (Shard{0, 1000}).Of("apps/app-007.apk", ""); got != 185 /* FNV-1a 64 mod 1000, computed independently */ {
		t.Errorf("shard of apps/app-007.apk among 1000 = %d; the shard hash changed", got)
	}
}

func prefixed(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}
