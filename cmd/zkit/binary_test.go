package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinary builds zkit and checks, as a real process, that SIGINT and
// SIGTERM end a listening cat with status 0 and that a bad command fails
// with status 2 and one line on stderr.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "zkit")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "cat", "pull", "@tcp://127.0.0.1:*")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string)
			exited := make(chan error, 1)
			go func() {
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
				exited <- cmd.Wait() // after stderr is drained, as Wait requires
			}()
			timeout := time.NewTimer(waitLimit)
			defer timeout.Stop()
			// The bound line comes after main has installed its signal
			// handler, so the signal cannot kill the process by default.
			select {
			case line := <-lines:
				if !strings.HasPrefix(line, "zkit: bound tcp://127.0.0.1:") {
					t.Errorf("first stderr line %q", line)
				}
			case <-timeout.C:
				cmd.Process.Kill()
				t.Fatal("no bound line")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var rest []string
			for line := range lines {
				rest = append(rest, line)
			}
			select {
			case err := <-exited:
				if err != nil || len(rest) > 0 {
					t.Errorf("after %v: %v, stderr %q", sig, err, rest)
				}
			case <-timeout.C:
				cmd.Process.Kill()
				<-exited
				t.Fatalf("still running after %v", sig)
			}
		})
	}

	t.Run("bad command", func(t *testing.T) {
		for _, args := range [][]string{{"frobnicate"}, {"cat", "pull"}, {"perf", "thr", "--count", "x"}} {
			cmd := exec.Command(bin, args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("%q: %v, want exit status 2", args, err)
			}
			if s := stderr.String(); !strings.HasPrefix(s, "zkit: ") || strings.Count(s, "\n") != 1 || stdout.Len() > 0 {
				t.Errorf("%q: stderr %q, stdout %q", args, s, stdout.String())
			}
		}
	})
}
