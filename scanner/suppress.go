package scanner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// ReadIgnoreFile reads a .keyholeignore: one fingerprint a line, with
// blank lines and # comments allowed. A missing file is no error.
func ReadIgnoreFile(path string, into map[string]bool) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line != "" {
			into[line] = true
		}
	}
	return sc.Err()
}

// ReadBaseline reads the fingerprints of a baseline: a previous JSON
// report (an array of findings) or an object with a "findings" array.
func ReadBaseline(r io.Reader) (map[string]bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, err
	}
	var findings []struct {
		Fingerprint string `json:"fingerprint"`
	}
	data = bytes.TrimSpace(data)
	if bytes.HasPrefix(data, []byte("{")) {
		var doc struct {
			Findings *json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("not a keyhole JSON report or baseline: %v", err)
		}
		if doc.Findings == nil {
			return nil, fmt.Errorf("not a keyhole JSON report or baseline: no \"findings\"")
		}
		data = *doc.Findings
	}
	if err := json.Unmarshal(data, &findings); err != nil {
		return nil, fmt.Errorf("not a keyhole JSON report or baseline: %v", err)
	}
	out := make(map[string]bool, len(findings))
	for _, f := range findings {
		if f.Fingerprint != "" {
			out[f.Fingerprint] = true
		}
	}
	return out, nil
}
