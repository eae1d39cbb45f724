#!/bin/sh
# Assembles smali/*.smali with Debian's smali (package libsmali-java), an
# assembler independent of internal/dexgen, into smali.dex (run from this
# directory). The sources mirror what javac/kotlinc and d8 emit.
set -eu
smali assemble --api 26 -o smali.dex smali/*.smali
