#!/bin/sh
# Compiles app.js with real Hermes compilers from npm, one per bytecode
# version the reader is checked against (run from this directory; needs npm):
#   hermesc-v76.hbc  hermes-engine 0.7.2   (React Native 0.64)
#   hermesc-v84.hbc  hermes-engine 0.11.0  (React Native 0.68)
#   hermesc-v96.hbc  hermes-compiler 0.14.0 (React Native 0.73 onwards)
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # package version bytecode-version hermesc-path
	mkdir -p "$tmp/$2"
	(cd "$tmp/$2" && npm install --no-save --ignore-scripts --silent "$1@$2" >/dev/null)
	"$tmp/$2/node_modules/$1/$4" -emit-binary -out "hermesc-v$3.hbc" app.js
}
build hermes-engine 0.7.2 76 linux64-bin/hermesc
build hermes-engine 0.11.0 84 linux64-bin/hermesc
build hermes-compiler 0.14.0 96 hermesc/linux64-bin/hermesc
