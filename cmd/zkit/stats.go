package main

import (
	"math"
	"slices"
	"time"
)

// latStats summarises round-trip times.
type latStats struct {
	n        int           // samples
	min, max time.Duration // extremes
	median   time.Duration // 50th percentile (mean of the middle two for even n)
	p99      time.Duration // 99th percentile, nearest rank
}

// summarize computes latStats; samples is not modified. An empty slice
// gives zero values.
func summarize(samples []time.Duration) latStats {
	n := len(samples)
	if n == 0 {
		return latStats{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	median := s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return latStats{n: n, min: s[0], max: s[n-1], median: median, p99: nearestRank(s, 99)}
}

// nearestRank returns the p-th percentile (0 < p <= 100) of sorted, a
// non-empty ascending slice: the smallest value at or above which p percent
// of the samples lie.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
