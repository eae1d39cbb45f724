package inventory

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/keyholesec/keyhole/extract"
)

// TestGitHistoryInventory: an endpoint that a later commit replaced is
// still in the history's inventory, attributed to the commit that added it.
func TestGitHistoryInventory(t *testing.T) {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	commit := func(content string) string {
		if err := os.WriteFile(filepath.Join(dir, "api.py"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add("api.py"); err != nil {
			t.Fatal(err)
		}
		sig := &object.Signature{Name: "dev", Email: "dev@shopfast.com", When: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		h, err := wt.Commit("change the API", &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	first := commit("API = 'http://api.shopfast.com/v1/users/1'\n")
	second := commit("API = 'https://api.shopfast.com/v2/users/1'\n")

	inv, err := RunGit(context.Background(), defaultRules(t), dir, extract.GitOptions{}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"http://api.shopfast.com/v1/users/{id}":  first,
		"https://api.shopfast.com/v2/users/{id}": second,
	} {
		e := endpointByKey(inv, key)
		switch {
		case e == nil:
			t.Errorf("%s missing from %q", key, keys(inv.Endpoints))
		case len(e.Seen) != 1 || e.Seen[0].Commit != want || e.Seen[0].Path != "api.py" || e.Seen[0].Line != 1:
			t.Errorf("%s seen at %+v, want api.py:1 in %s", key, e.Seen, want)
		}
	}
	if e := endpointByKey(inv, "http://api.shopfast.com/v1/users/{id}"); e != nil && len(e.Links) != 1 {
		t.Errorf("the cleartext URL in history is not linked to its finding: %+v", e.Links)
	}
}
