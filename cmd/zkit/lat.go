package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zsock"
)

// perfLat runs the latency test: both ends, or one with --bind or
// --connect.
func perfLat(ctx context.Context, cfg perfConfig, std stdio) error {
	zctx, err := zsock.NewContext()
	if err != nil {
		return err
	}
	if cfg.bind != "" {
		err := latEcho(ctx, zctx, cfg.bind, cfg, func(ep string) {
			if isWildcard(cfg.bind) {
				fmt.Fprintf(std.err, "zkit: bound %s\n", ep)
			}
		}, flushLinger, nil)
		if err == nil {
			err = closeRemote(ctx, zctx)
		} else {
			zctx.Close()
		}
		if err = perfAbort(ctx, err); err != nil || ctx.Err() != nil {
			return err
		}
		return report(std.out, [][2]string{
			{"round trips", strconv.Itoa(cfg.count)},
			{"size", fmt.Sprintf("%d B", cfg.size)},
		})
	}
	var samples []time.Duration
	if cfg.connect != "" {
		samples, err = latMeasure(ctx, zctx, cfg.connect, cfg)
	} else {
		samples, err = latLocal(ctx, zctx, cfg)
	}
	err = errors.Join(err, zctx.Close())
	if err = perfAbort(ctx, err); err != nil || ctx.Err() != nil {
		return err
	}
	return latReport(std.out, cfg, summarize(samples))
}

// latLocal runs both ends in this process and returns the round trips
// measured.
func latLocal(ctx context.Context, zctx *zsock.Context, cfg perfConfig) ([]time.Duration, error) {
	ep, cleanup, err := localEndpoint(cfg.transport, "lat")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var samples []time.Duration
	err = pair(ctx,
		func(ctx context.Context, bound func(string), measurerDone <-chan struct{}) error {
			return latEcho(ctx, zctx, ep, cfg, bound, 0, measurerDone)
		},
		func(ctx context.Context, ep string, _ <-chan struct{}) error {
			var err error
			samples, err = latMeasure(ctx, zctx, ep, cfg)
			return err
		})
	return samples, err
}

// latEcho is the echoing end (local_lat): a REP socket bound to ep answers
// cfg.count requests with themselves. bound is called with the endpoint
// once bound. It closes its socket with the given linger once peerDone (if
// not nil) is closed.
func latEcho(ctx context.Context, zctx *zsock.Context, ep string, cfg perfConfig, bound func(string), linger time.Duration, peerDone <-chan struct{}) error {
	sock, err := zsock.New(zsock.Rep, zsock.WithContext(zctx), zsock.WithLinger(linger))
	if err != nil {
		return err
	}
	defer sock.Close()
	got, err := bindResolved(sock, ep)
	if err != nil {
		return err
	}
	bound(got)
	for i := range cfg.count {
		f, err := sock.RecvFrameContext(ctx)
		if err == nil {
			err = checkPerfFrame(f, i, cfg.size)
		}
		if err == nil {
			err = sock.SendContext(ctx, f.Data(), 0)
		}
		if err != nil {
			sock.SetLinger(0)
			return err
		}
	}
	holdUntil(ctx, peerDone)
	return sock.Close()
}

// latMeasure is the measuring end (remote_lat): a REQ socket connected to
// ep makes cfg.count round trips of cfg.size bytes and returns their
// durations.
func latMeasure(ctx context.Context, zctx *zsock.Context, ep string, cfg perfConfig) ([]time.Duration, error) {
	sock, err := zsock.New(zsock.Req, zsock.WithContext(zctx))
	if err != nil {
		return nil, err
	}
	defer sock.Close()
	if err := sock.Connect(ep); err != nil {
		return nil, err
	}
	buf := make([]byte, cfg.size)
	samples := make([]time.Duration, 0, cfg.count)
	for i := range cfg.count {
		start := time.Now()
		if err := sock.SendContext(ctx, buf, 0); err != nil {
			return nil, err
		}
		f, err := sock.RecvFrameContext(ctx)
		if err != nil {
			return nil, err
		}
		samples = append(samples, time.Since(start))
		if err := checkPerfFrame(f, i, cfg.size); err != nil {
			return nil, err
		}
	}
	return samples, sock.Close()
}

// checkPerfFrame checks that message i is one frame of size bytes.
func checkPerfFrame(f zframe.Frame, i, size int) error {
	switch {
	case f.More():
		return fmt.Errorf("message %d has more than one frame", i+1)
	case f.Size() != size:
		return fmt.Errorf("message %d has %d bytes, want %d", i+1, f.Size(), size)
	}
	return nil
}

// latReport prints the latency figures.
func latReport(w io.Writer, cfg perfConfig, st latStats) error {
	d := func(d time.Duration) string { return d.Round(100 * time.Nanosecond).String() }
	return report(w, [][2]string{
		{"round trips", strconv.Itoa(st.n)},
		{"size", fmt.Sprintf("%d B", cfg.size)},
		{"median", d(st.median)},
		{"p99", d(st.p99)},
		{"min", d(st.min)},
		{"max", d(st.max)},
		{"one-way", d(st.median / 2)},
	})
}
