// Package sarifcheck validates SARIF documents against the 2.1.0 schema
// that go-sarif embeds. Only tests import it.
package sarifcheck

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// Validate checks doc against the SARIF 2.1.0 schema. go-sarif validates
// its own types, not raw bytes, so doc is first decoded into them with
// unknown fields refused: a misspelt or invented property would otherwise
// be dropped silently instead of failing.
func Validate(doc []byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sarif.Report{}); err != nil {
		return fmt.Errorf("not SARIF 2.1.0: %v", err)
	}
	rep, err := sarif.FromBytes(doc)
	if err != nil {
		return err
	}
	// go-sarif re-marshals optional fields it cannot omit ("language": "",
	// "newlineSequences": []) in forms the schema rejects; absent from doc,
	// they take the spec's defaults.
	for _, run := range rep.Runs {
		if run.Language == "" {
			run.Language = "en-US"
		}
		if len(run.NewlineSequences) == 0 {
			run.NewlineSequences = []string{"\r\n", "\n"}
		}
		if run.Tool != nil && run.Tool.Driver != nil && run.Tool.Driver.Language == "" {
			run.Tool.Driver.Language = "en-US"
		}
	}
	if err := rep.Validate(); err != nil {
		return fmt.Errorf("schema: %v", err)
	}
	return nil
}
