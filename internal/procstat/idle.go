//go:build linux

package procstat

import (
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// IdleCost is what n idle things (actors, loops) cost a process.
type IdleCost struct {
	Start, Close  time.Duration // to start and to close all of them
	KiBEach       float64       // resident memory per item
	ThreadsBefore int64         // OS threads before starting
	ThreadsAfter  int64         // OS threads with all of them running
	CPUPercent    float64       // of one core, over the idle window
}

// MeasureIdle starts n items with start, measures memory and threads,
// watches CPU time over the idle window, then closes them all.
func MeasureIdle(n int, window time.Duration, start func() (io.Closer, error)) (IdleCost, error) {
	var c IdleCost
	runtime.GC()
	debug.FreeOSMemory()
	rss0, err := Status("VmRSS")
	if err != nil {
		return c, err
	}
	if c.ThreadsBefore, err = Status("Threads"); err != nil {
		return c, err
	}
	items := make([]io.Closer, 0, n)
	closeAll := func() error {
		var errs []error
		for _, it := range items {
			errs = append(errs, it.Close())
		}
		return errors.Join(errs...)
	}
	t0 := time.Now()
	for range n {
		it, err := start()
		if err != nil {
			return c, errors.Join(err, closeAll())
		}
		items = append(items, it)
	}
	c.Start = time.Since(t0)
	runtime.GC()
	debug.FreeOSMemory()
	rss1, err := Status("VmRSS")
	if err != nil {
		return c, errors.Join(err, closeAll())
	}
	c.KiBEach = float64(rss1-rss0) / float64(n)
	if c.ThreadsAfter, err = Status("Threads"); err != nil {
		return c, errors.Join(err, closeAll())
	}
	cpu0, err := CPUTime()
	if err != nil {
		return c, errors.Join(err, closeAll())
	}
	time.Sleep(window) // the measurement window, not synchronisation
	cpu1, err := CPUTime()
	if err != nil {
		return c, errors.Join(err, closeAll())
	}
	c.CPUPercent = 100 * (cpu1 - cpu0).Seconds() / window.Seconds()
	t1 := time.Now()
	err = closeAll()
	c.Close = time.Since(t1)
	return c, err
}

// Report adds the figures to a benchmark's output.
func (c IdleCost) Report(b *testing.B) {
	b.ReportMetric(c.Start.Seconds(), "start-s")
	b.ReportMetric(c.Close.Seconds(), "close-s")
	b.ReportMetric(c.KiBEach, "KiB/each")
	b.ReportMetric(float64(c.ThreadsBefore), "threads-before")
	b.ReportMetric(float64(c.ThreadsAfter), "threads-after")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "gomaxprocs")
	b.ReportMetric(c.CPUPercent, "idle-cpu-%")
}
