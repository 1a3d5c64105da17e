package gateway

import "golang.org/x/time/rate"

// The account-level limits, used for the member that a route's (HTTP
// APIs) or method's (REST APIs) throttling settings leave unset.
const (
	accountRateLimit  = 10000
	accountBurstLimit = 5000
)

// newLimiter returns the token bucket of a route or REST method: the
// stage's default settings overridden member by member by the route's;
// nil when neither sets a limit. A bucket of burst 0 refuses every request, as AWS does.
func newLimiter(def, route Throttle) *rate.Limiter {
	burst, perSecond := def.Burst, def.Rate
	if route.Burst != nil {
		burst = route.Burst
	}
	if route.Rate != nil {
		perSecond = route.Rate
	}
	if burst == nil && perSecond == nil {
		return nil
	}
	b, r := accountBurstLimit, float64(accountRateLimit)
	if burst != nil {
		b = max(*burst, 0)
	}
	if perSecond != nil {
		r = max(*perSecond, 0)
	}
	return rate.NewLimiter(rate.Limit(r), b)
}
