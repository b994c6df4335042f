package cert

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// benchCerts is the number of certificates in the benchmark store.
const benchCerts = 10_000

// benchFixture is a directory of benchCerts public certificates, made
// once per test binary and removed by TestMain.
var benchFixture struct {
	once sync.Once
	dir  string
	keys []string // the certificates' public keys
	err  error
}

func removeBenchDir() {
	if benchFixture.dir != "" {
		_ = os.RemoveAll(benchFixture.dir)
	}
}

// benchDir returns the fixture, making it on first use. Files are written
// directly (no fsync per file) so the fixture takes seconds, not minutes.
func benchDir(b *testing.B) (string, []string) {
	b.Helper()
	f := &benchFixture
	f.once.Do(func() {
		if f.dir, f.err = os.MkdirTemp("", "zkit-cert-bench-"); f.err != nil {
			return
		}
		cfg, _ := newSaveConfig(nil)
		old := time.Now().Add(-time.Hour)
		for i := range benchCerts {
			c, err := New()
			if err != nil {
				f.err = err
				return
			}
			_ = c.SetMeta("name", "client-"+strconv.Itoa(i))
			data, err := c.encode(false, cfg)
			if err != nil {
				f.err = err
				return
			}
			// 100 subdirectories of 100 files, as a large deployment might.
			sub := filepath.Join(f.dir, "group"+strconv.Itoa(i/100))
			if err := os.MkdirAll(sub, 0o755); err != nil {
				f.err = err
				return
			}
			name := filepath.Join(sub, "client-"+strconv.Itoa(i))
			if err := os.WriteFile(name, data, 0o644); err != nil {
				f.err = err
				return
			}
			// Files as a long-running deployment has them: not modified
			// in the last seconds, so walks trust their stamps.
			if err := os.Chtimes(name, old, old); err != nil {
				f.err = err
				return
			}
			f.keys = append(f.keys, c.PublicText())
		}
		for i := range benchCerts / 100 {
			sub := filepath.Join(f.dir, "group"+strconv.Itoa(i))
			if f.err = os.Chtimes(sub, old, old); f.err != nil {
				return
			}
		}
		f.err = os.Chtimes(f.dir, old, old)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f.dir, f.keys
}

// BenchmarkStoreLookup looks up keys in a store of 10,000 certificates:
// a directory store with the default check interval (so each Lookup
// includes its directory checks, and the periodic walk is amortised over
// the lookups), a directory store that is never rewalked in the timed
// part, and a memory store. "miss" looks up unknown keys, as a flood of
// handshakes with wrong keys would.
func BenchmarkStoreLookup(b *testing.B) {
	dir, keys := benchDir(b)
	mem := NewMemStore()
	for _, k := range keys {
		c, _ := NewFromText(k, "")
		if err := mem.Insert(c); err != nil {
			b.Fatal(err)
		}
	}
	unknown := make([]string, 1000)
	for i := range unknown {
		c, err := New()
		if err != nil {
			b.Fatal(err)
		}
		unknown[i] = c.PublicText()
	}
	run := func(b *testing.B, s *Store, keys []string, found bool) {
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			c, err := s.Lookup(keys[i%len(keys)])
			if (err == nil) != found || found && c == nil {
				b.Fatalf("lookup %s: %v", keys[i%len(keys)], err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	}
	b.Run("dir", func(b *testing.B) {
		s, err := NewStore(dir)
		if err != nil {
			b.Fatal(err)
		}
		run(b, s, keys, true)
	})
	b.Run("dir-nowalk", func(b *testing.B) {
		s, err := NewStore(dir, WithCheckInterval(1<<62))
		if err != nil {
			b.Fatal(err)
		}
		run(b, s, keys, true)
	})
	b.Run("dir-miss", func(b *testing.B) {
		s, err := NewStore(dir)
		if err != nil {
			b.Fatal(err)
		}
		run(b, s, unknown, false)
	})
	b.Run("mem", func(b *testing.B) { run(b, mem, keys, true) })
	b.Run("dir-parallel", func(b *testing.B) {
		s, err := NewStore(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.Lookup(keys[i%len(keys)]); err != nil {
					b.Error(err)
					return
				}
				i += 7
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
}

// BenchmarkStoreLoad measures NewStore reading 10,000 certificates in 100
// subdirectories, and a full walk that finds nothing changed.
func BenchmarkStoreLoad(b *testing.B) {
	dir, _ := benchDir(b)
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			s, err := NewStore(dir)
			if err != nil {
				b.Fatal(err)
			}
			if s.Len() != benchCerts {
				b.Fatalf("%d certificates", s.Len())
			}
		}
		b.ReportMetric(float64(b.N*benchCerts)/b.Elapsed().Seconds(), "certs/s")
	})
	b.Run("walk-unchanged", func(b *testing.B) {
		s, err := NewStore(dir, WithCheckInterval(0))
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := s.check(false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "walks/s")
	})
}
