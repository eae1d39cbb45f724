package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds hostile configs to the loader: it must return a ruleset
// or an error, never panic, and every rule it accepts must compile and
// run (regexes compile on first use, so a bad one would surface there).
func FuzzLoad(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/configs/*.toml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[extend]\nuseDefault = true\n[[rules]]\nid = \"a\"\nregex = '''(?P<severity>high|low)-(\\d+)'''\nkeywords = [\"high\"]\n"))
	f.Add([]byte("[[rules]]\nid = \"a\"\nregex = '''x{1000}{1000}'''\nkeywords = [\"x\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Load(Source{Name: "fuzz.toml", Data: data}, nil)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("an empty error")
			}
			return
		}
		for _, r := range rs.Rules {
			rs.Test(r, "token=ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3 "+strings.Join(r.Keywords, " "))
		}
	})
}
