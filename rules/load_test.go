package rules

import (
	"errors"
	"testing"
)

// Problems name the line of the key at fault, also under a rules header
// written with spaces or followed by a comment.
func TestProblemLines(t *testing.T) {
	for _, header := range []string{"[[rules]]", "[[ rules ]]", "[[rules]]  # the first rule"} {
		src := "# custom rules\n" + header + "\nid = \"broken\"\ndescription = \"x\"\nregex = '''ab(c'''\nkeywords = [\"ab\"]\n"
		_, err := Load(Source{Name: "custom.toml", Data: []byte(src)}, nil)
		var le *LoadError
		if !errors.As(err, &le) || len(le.Problems) == 0 {
			t.Fatalf("%q: want a load error, got %v", header, err)
		}
		if p := le.Problems[0]; p.Line != 5 {
			t.Errorf("%q: problem on line %d, want 5 (the regex): %v", header, p.Line, p)
		}
	}
}
