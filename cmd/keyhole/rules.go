package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newRulesCmd) }

func newRulesCmd() *cobra.Command {
	var config, format string
	cmd := &cobra.Command{Use: "rules", Short: "List the rules or check their examples"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List rules: id, kind, severity, description",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs, err := loadRules(config)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				type row struct {
					ID          string   `json:"id"`
					Kind        string   `json:"kind"`
					Severity    string   `json:"severity"`
					Description string   `json:"description"`
					Keywords    []string `json:"keywords,omitempty"`
					Tags        []string `json:"tags,omitempty"`
					References  []string `json:"references,omitempty"`
				}
				rows := make([]row, 0, len(rs.Rules))
				for _, r := range rs.Rules {
					rows = append(rows, row{r.ID, r.Kind, r.Severity, r.Description, r.Keywords, r.Tags, r.References})
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			if format != "text" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSEVERITY\tDESCRIPTION")
			for _, r := range rs.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Severity, r.Description)
			}
			return tw.Flush()
		},
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Run every rule's examples and negatives",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs, err := loadRules(config)
			if err != nil {
				return err
			}
			failures := rs.Check()
			for _, f := range failures {
				fmt.Fprintln(cmd.OutOrStdout(), "FAIL", f)
			}
			examples := 0
			for _, r := range rs.Rules {
				examples += len(r.Examples) + len(r.Negatives)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d rules, %d examples and negatives, %d failures\n", len(rs.Rules), examples, len(failures))
			if len(failures) > 0 {
				return exitStatus{exitFindings}
			}
			return nil
		},
	}
	cmd.PersistentFlags().StringVarP(&config, "config", "c", "", "rules file (gitleaks TOML format) instead of the default rules")
	list.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	cmd.AddCommand(list, check)
	return cmd
}
