package portfolio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keyholesec/keyhole/scanner"
)

// maxReport bounds one report read back.
const maxReport = 1 << 30

// ReadResult reads a keyhole report back: JSON (an array of findings, or
// an object with "findings"), JSONL, or SARIF as keyhole writes it.
// Warnings come back from SARIF only (JSON reports leave them to standard
// error).
func ReadResult(r io.Reader) (*scanner.Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReport+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxReport {
		return nil, fmt.Errorf("report larger than %d bytes", maxReport)
	}
	data = bytes.TrimSpace(data)
	res := &scanner.Result{}
	switch {
	case len(data) == 0:
		return res, nil
	case data[0] == '[':
		err = json.Unmarshal(data, &res.Findings)
	case !isObject(data): // JSONL: objects one after another
		res.Findings, err = readJSONL(data)
	default:
		var probe struct{ Runs, Findings json.RawMessage }
		json.Unmarshal(data, &probe)
		switch {
		case probe.Runs != nil:
			res, err = readSARIF(data)
		case probe.Findings != nil:
			err = json.Unmarshal(data, res)
		default: // JSONL of one finding
			res.Findings, err = readJSONL(data)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("not a keyhole JSON, JSONL or SARIF report: %v", err)
	}
	return res, nil
}

// isObject says whether data is one JSON object (not JSONL's many).
func isObject(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	if dec.Decode(&v) != nil || len(v) == 0 || v[0] != '{' {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

func readJSONL(data []byte) ([]scanner.Finding, error) {
	var out []scanner.Finding
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxReport)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var f scanner.Finding
		if err := json.Unmarshal(line, &f); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		out = append(out, f)
	}
	return out, sc.Err()
}

// The parts of keyhole's SARIF that findings are rebuilt from.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID         string `json:"id"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			Notifications []struct {
				Level      string                `json:"level"`
				Message    struct{ Text string } `json:"message"`
				Properties struct {
					Target, Path, Limit string
				} `json:"properties"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
				PhysicalLocation struct {
					Region struct {
						StartLine, StartColumn, EndLine int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          struct {
				Severity, Kind, Description, Secret, SecretHash, Target, Path, Member, Format string
				MemberLine, MemberColumn                                                      int
				Entropy                                                                       float64
				Commit, Author, Email, Date                                                   string
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

// fingerprintKey is the partialFingerprints entry keyhole writes.
const fingerprintKey = "keyhole/v1"

func readSARIF(data []byte) (*scanner.Result, error) {
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		return nil, err
	}
	res := &scanner.Result{}
	for _, run := range log.Runs {
		tags := map[string][]string{}
		for _, r := range run.Tool.Driver.Rules {
			tags[r.ID] = ruleTags(r.Properties.Tags)
		}
		for _, r := range run.Results {
			p := r.Properties
			f := scanner.Finding{
				Rule: r.RuleID, Kind: p.Kind, Severity: p.Severity, Description: p.Description, Tags: tags[r.RuleID],
				Target: p.Target, Path: p.Path, Format: p.Format, Secret: p.Secret, Entropy: p.Entropy,
				Commit: p.Commit, Author: p.Author, Email: p.Email,
				Fingerprint: r.PartialFingerprints[fingerprintKey], SecretHash: p.SecretHash,
			}
			switch {
			case p.Member != "":
				f.Line, f.Column, f.EndLine = p.MemberLine, p.MemberColumn, p.MemberLine
				if loc := r.Locations; len(loc) > 0 && len(loc[0].LogicalLocations) > 0 {
					f.Location = loc[0].LogicalLocations[0].FullyQualifiedName // "app.apk!res/…"
				}
			case len(r.Locations) > 0:
				reg := r.Locations[0].PhysicalLocation.Region
				f.Line, f.Column, f.EndLine = reg.StartLine, reg.StartColumn, reg.EndLine
			}
			if d, err := time.Parse(time.RFC3339, p.Date); err == nil {
				f.Date = &d
			}
			res.Findings = append(res.Findings, f)
		}
		for _, inv := range run.Invocations {
			for _, n := range inv.Notifications {
				res.Warnings = append(res.Warnings, warningOf(n.Level, n.Message.Text, n.Properties.Target, n.Properties.Path, n.Properties.Limit))
			}
		}
	}
	return res, nil
}

// ruleTags are a SARIF rule's tags less those the writer adds to every
// rule of a kind.
func ruleTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		switch t {
		case "security", "secret", "misconfig", "external/cwe/cwe-798":
		default:
			out = append(out, t)
		}
	}
	return out
}

// warningOf rebuilds a warning from a notification, whose text starts
// with where it happened ("target: path: limit name: message").
func warningOf(level, text, target, path, limit string) scanner.Warning {
	w := scanner.Warning{Target: target, Path: path, Limit: limit, Fatal: level == "error"}
	prefix := target + ": "
	if path != "" {
		prefix += path + ": "
	}
	if limit != "" {
		prefix += "limit " + limit + ": "
	}
	w.Message = strings.TrimPrefix(text, prefix)
	return w
}
