package heartbeat_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if ep := os.Getenv(clientEnv); ep != "" {
		os.Exit(peerMain(ep))
	}
	goleak.VerifyTestMain(m)
}
