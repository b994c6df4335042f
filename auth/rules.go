package auth

import (
	"errors"
	"log/slog"

	"github.com/zkit-go/zkit/cert"
)

// CertLookup finds CURVE client certificates by public key. *cert.Store
// satisfies it; so does any type that can answer from elsewhere.
type CertLookup interface {
	// Lookup returns the certificate whose public key is publicKey (40
	// characters of Z85), or an error matching cert.ErrNotFound when there
	// is none. Other errors are answered with StatusInternal. Lookup is
	// called from the authenticator's goroutine, one call at a time.
	Lookup(publicKey string) (*cert.Cert, error)
}

// rules is the policy of one ZAP domain (or the default policy), owned by
// the handler's goroutine.
type rules struct {
	allow    map[string]struct{} // allowed addresses; when not empty, the only ones
	deny     map[string]struct{} // refused addresses; ignored while allow is not empty
	plain    *passwords          // PLAIN users; nil refuses PLAIN
	curveAny bool                // CURVE accepts every key
	curve    CertLookup          // CURVE certificates; nil (and !curveAny) refuses CURVE
	gssapi   bool                // GSSAPI accepts every principal
	checker  Checker             // custom decisions; nil for none
}

func newRules() *rules {
	return &rules{allow: make(map[string]struct{}), deny: make(map[string]struct{})}
}

// verdict is the outcome of the built-in rules for one request.
type verdict struct {
	Decision
	addressRefused bool // the address rules refused: final, no Checker
}

// decide applies the rules to req, as CZMQ's zauth does: with a non-empty
// allow list only listed addresses pass and the deny list is ignored;
// otherwise denied addresses are refused. An address that passes must
// still pass the mechanism's own check, except NULL, which needs none.
func (r *rules) decide(req *Request, log *slog.Logger) verdict {
	if len(r.allow) > 0 {
		if _, ok := r.allow[req.Address]; !ok {
			return verdict{Decision{Status: StatusDenied, Text: "address not in allow list"}, true}
		}
	} else if _, ok := r.deny[req.Address]; ok {
		return verdict{Decision{Status: StatusDenied, Text: "address denied"}, true}
	}
	switch req.Mechanism {
	case MechanismNull:
		return verdict{Decision: Decision{Status: StatusOK}}
	case MechanismPlain:
		return verdict{Decision: r.decidePlain(req, log)}
	case MechanismCurve:
		return verdict{Decision: r.decideCurve(req, log)}
	case MechanismGSSAPI:
		if !r.gssapi {
			return verdict{Decision: Decision{Status: StatusDenied, Text: "GSSAPI not enabled"}}
		}
		return verdict{Decision: Decision{Status: StatusOK, UserID: req.Principal}}
	}
	// parseRequest lets no other mechanism through.
	return verdict{Decision: Decision{Status: StatusInternal, Text: "unknown mechanism"}}
}

func (r *rules) decidePlain(req *Request, log *slog.Logger) Decision {
	if r.plain == nil {
		return Decision{Status: StatusDenied, Text: "PLAIN not configured"}
	}
	r.plain.refresh(log)
	known, ok := r.plain.check(req.Username, req.Password)
	switch {
	case !known:
		return Decision{Status: StatusDenied, Text: "unknown user"}
	case !ok:
		return Decision{Status: StatusDenied, Text: "wrong password"}
	}
	return Decision{Status: StatusOK, UserID: req.Username}
}

func (r *rules) decideCurve(req *Request, log *slog.Logger) Decision {
	key := req.ClientKeyText()
	switch {
	case r.curveAny:
		return Decision{Status: StatusOK, UserID: key}
	case r.curve == nil:
		return Decision{Status: StatusDenied, Text: "CURVE not configured"}
	}
	c, err := r.curve.Lookup(key)
	switch {
	case errors.Is(err, cert.ErrNotFound):
		return Decision{Status: StatusDenied, Text: "unknown key"}
	case err != nil:
		log.Error("auth: certificate lookup failed", "key", key, "err", err)
		return Decision{Status: StatusInternal, Text: "certificate lookup failed"}
	case c == nil:
		return Decision{Status: StatusDenied, Text: "unknown key"}
	}
	return Decision{Status: StatusOK, UserID: key, Metadata: c.Metadata()}
}
