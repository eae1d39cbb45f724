// Package portfolio is keyhole over many targets: expanding target lists,
// sharding them across machines, and baselining, comparing and merging the
// results of runs.
package portfolio
