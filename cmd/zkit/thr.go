package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/zkit-go/zkit/zsock"
)

// perfThr runs the throughput test: both ends, or one with --bind or
// --connect.
func perfThr(ctx context.Context, cfg perfConfig, std stdio) error {
	zctx, err := zsock.NewContext()
	if err != nil {
		return err
	}
	if cfg.connect != "" {
		sent, err := thrSend(ctx, zctx, cfg.connect, cfg, flushLinger, nil)
		if err == nil {
			err = closeRemote(ctx, zctx)
		} else {
			zctx.Close()
		}
		if err = perfAbort(ctx, err); err != nil || ctx.Err() != nil {
			return err
		}
		return report(std.out, [][2]string{
			{"messages", strconv.Itoa(cfg.count)},
			{"size", fmt.Sprintf("%d B", cfg.size)},
			{"send time", sent.Round(time.Microsecond).String()},
		})
	}
	var elapsed time.Duration
	if cfg.bind != "" {
		elapsed, err = thrReceive(ctx, zctx, cfg.bind, cfg, func(ep string) {
			if isWildcard(cfg.bind) {
				fmt.Fprintf(std.err, "zkit: bound %s\n", ep)
			}
		})
	} else {
		elapsed, err = thrLocal(ctx, zctx, cfg)
	}
	err = errors.Join(err, zctx.Close())
	if err = perfAbort(ctx, err); err != nil || ctx.Err() != nil {
		return err
	}
	return thrReport(std.out, cfg, elapsed)
}

// thrLocal runs both ends in this process and returns the receiver's time
// from the first message to the last.
func thrLocal(ctx context.Context, zctx *zsock.Context, cfg perfConfig) (time.Duration, error) {
	ep, cleanup, err := localEndpoint(cfg.transport, "thr")
	if err != nil {
		return 0, err
	}
	defer cleanup()
	var elapsed time.Duration
	err = pair(ctx,
		func(ctx context.Context, bound func(string), _ <-chan struct{}) error {
			var err error
			elapsed, err = thrReceive(ctx, zctx, ep, cfg, bound)
			return err
		},
		func(ctx context.Context, ep string, receiverDone <-chan struct{}) error {
			_, err := thrSend(ctx, zctx, ep, cfg, 0, receiverDone)
			return err
		})
	return elapsed, err
}

// thrReceive is the receiving end (local_thr): a PULL socket bound to ep
// receives cfg.count messages of cfg.size bytes and returns the time from
// the first to the last. bound is called with the endpoint once bound.
func thrReceive(ctx context.Context, zctx *zsock.Context, ep string, cfg perfConfig, bound func(string)) (time.Duration, error) {
	sock, err := zsock.New(zsock.Pull, zsock.WithContext(zctx))
	if err != nil {
		return 0, err
	}
	defer sock.Close()
	got, err := bindResolved(sock, ep)
	if err != nil {
		return 0, err
	}
	bound(got)
	var start time.Time
	for i := range cfg.count {
		f, err := sock.RecvFrameContext(ctx)
		if err != nil {
			return 0, err
		}
		if i == 0 {
			start = time.Now()
		}
		if err := checkPerfFrame(f, i, cfg.size); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// thrSend is the sending end (remote_thr): a PUSH socket connected to ep
// sends cfg.count messages of cfg.size bytes and returns how long queuing
// them took. It closes its socket with the given linger once peerDone (if
// not nil) is closed.
func thrSend(ctx context.Context, zctx *zsock.Context, ep string, cfg perfConfig, linger time.Duration, peerDone <-chan struct{}) (time.Duration, error) {
	sock, err := zsock.New(zsock.Push, zsock.WithContext(zctx), zsock.WithLinger(linger))
	if err != nil {
		return 0, err
	}
	defer sock.Close()
	if err := sock.Connect(ep); err != nil {
		return 0, err
	}
	buf := make([]byte, cfg.size)
	start := time.Now()
	for range cfg.count {
		if err := sock.SendContext(ctx, buf, 0); err != nil {
			sock.SetLinger(0)
			return 0, err
		}
	}
	elapsed := time.Since(start)
	holdUntil(ctx, peerDone)
	return elapsed, sock.Close()
}

// thrReport prints the throughput figures, computed as libzmq's local_thr
// does: all messages over the time from the first to the last.
func thrReport(w io.Writer, cfg perfConfig, elapsed time.Duration) error {
	secs := max(elapsed.Seconds(), 1e-9)
	rate := float64(cfg.count) / secs
	mbytes := rate * float64(cfg.size) / 1e6
	return report(w, [][2]string{
		{"messages", strconv.Itoa(cfg.count)},
		{"size", fmt.Sprintf("%d B", cfg.size)},
		{"elapsed", elapsed.Round(time.Microsecond).String()},
		{"msg/s", fmt.Sprintf("%.0f", rate)},
		{"MB/s", fmt.Sprintf("%.3f", mbytes)},
		{"Mb/s", fmt.Sprintf("%.3f", mbytes*8)},
	})
}
