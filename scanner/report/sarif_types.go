package report

// The subset of SARIF 2.1.0 keyhole writes. Own types rather than
// go-sarif's: those marshal every optional array as [] and sentinels such
// as "index": -1, tripling the document; the tests check these against
// the schema through go-sarif.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"` // GitHub wants it even when empty
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifHelp      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleLevel `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleLevel struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string            `json:"level"`
	Message    sarifText         `json:"message"`
	Locations  []sarifLocation   `json:"locations,omitempty"`
	Properties sarifWarningProps `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
}

// sarifLogical names an archive member: the physical location is the
// archive on disk, the member is only a name inside it.
type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// Property bags are structs, not maps: cheaper to encode, and the keys
// keep a reading order.

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	Kind             string   `json:"kind,omitempty"`
	Severity         string   `json:"severity,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"` // GitHub's 0-10 score
}

type sarifResultProps struct {
	Severity     string  `json:"severity"`
	Kind         string  `json:"kind,omitempty"`
	Description  string  `json:"description,omitempty"` // with the rule's ${name} filled: for keyhole merge
	Secret       string  `json:"secret,omitempty"`      // as in the message: redacted unless asked otherwise
	SecretHash   string  `json:"secretHash,omitempty"`
	Target       string  `json:"target"`
	Path         string  `json:"path,omitempty"`
	Member       string  `json:"member,omitempty"`
	MemberLine   int     `json:"memberLine,omitempty"`
	MemberColumn int     `json:"memberColumn,omitempty"`
	Format       string  `json:"format,omitempty"`
	Entropy      float64 `json:"entropy,omitempty"`
	Commit       string  `json:"commit,omitempty"`
	Author       string  `json:"author,omitempty"`
	Email        string  `json:"email,omitempty"`
	Date         string  `json:"date,omitempty"`
}

type sarifWarningProps struct {
	Target string `json:"target"`
	Path   string `json:"path,omitempty"`
	Limit  string `json:"limit,omitempty"`
}
