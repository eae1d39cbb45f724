// A tiny program with a planted string, cross-compiled by
// extract/elf_test.go for linux/arm64.
package main

import "os"

var planted = "http://metrics.insecure-backend.net/v2/push?token=AKIAQ3EGRB5TCWLUW4NX"

func main() { os.Stdout.WriteString(planted) }
