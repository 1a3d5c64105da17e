package lambda

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// latest is the version name of the unpublished function.
const latest = "$LATEST"

var (
	// functionNameRE is the modeled FunctionName pattern: a name, a
	// partial ARN or a full ARN, with an optional qualifier.
	functionNameRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$`)
	})
	nameRE      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`) })
	aliasNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9-_]{1,128}$`) })
	versionRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+$`) })
	roleRE      = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
	})
	envKeyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z]([a-zA-Z0-9_])+$`) })
)

// parsedNames remembers what parseFunctionName made of valid labels, at
// most maxParsedNames of them: the same few names and ARNs are invoked
// over and over, and the pattern is costly to match.
var parsedNames struct {
	sync.Map // label → [2]string{name, qualifier}
	n        atomic.Int32
}

const maxParsedNames = 4096

// parseFunctionName splits a FunctionName path label (name, name:qualifier,
// partial or full ARN) into the name and the qualifier.
func parseFunctionName(label string) (name, qualifier string, err error) {
	if parsed, ok := parsedNames.Load(label); ok {
		p := parsed.([2]string)
		return p[0], p[1], nil
	}
	name, qualifier, err = matchFunctionName(label)
	if err == nil && parsedNames.n.Load() < maxParsedNames {
		if _, loaded := parsedNames.LoadOrStore(label, [2]string{name, qualifier}); !loaded {
			parsedNames.n.Add(1)
		}
	}
	return name, qualifier, err
}

// matchFunctionName is parseFunctionName without the memory.
func matchFunctionName(label string) (name, qualifier string, err error) {
	m := functionNameRE().FindStringSubmatch(label)
	if m == nil || len(label) > 256 {
		return "", "", validationError(label, "functionName",
			`Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`)
	}
	name, qualifier = m[10], m[12]
	if !nameRE().MatchString(name) {
		return "", "", validationError(label, "functionName", "Member must have length less than or equal to 64")
	}
	return name, qualifier, nil
}

// validationError is AWS's "1 validation error detected" for one member.
func validationError(value, member, constraint string) error {
	return errValidation.Newf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

// functionARN returns the ARN of a function, qualified when qualifier is set.
func (s *Service) functionARN(name, qualifier string) string {
	arn := "arn:aws:lambda:" + s.opts.Region + ":" + s.opts.AccountID + ":function:" + name
	if qualifier != "" {
		arn += ":" + qualifier
	}
	return arn
}

// qualifierOf merges the qualifier of the path label with the Qualifier
// query parameter, which must agree when both are set.
func qualifierOf(fromName, fromQuery string) (string, error) {
	switch {
	case fromQuery == "":
		return fromName, nil
	case fromName == "" || fromName == fromQuery:
		return fromQuery, nil
	default:
		return "", errInvalidParameter.New("The derived qualifier from the function name does not match the specified qualifier.")
	}
}

// isVersion reports whether q names a version rather than an alias.
func isVersion(q string) bool { return q == latest || versionRE().MatchString(q) }

// runtimeKind groups the supported runtimes by how they are started.
type runtimeKind int

const (
	kindProvided runtimeKind = iota + 1
	kindPython
	kindNode
)

// runtimes are the runtimes Fogbank runs, by kind.
var runtimes = map[string]runtimeKind{
	"provided.al2023": kindProvided, "provided.al2": kindProvided, "provided": kindProvided,
	"python3.11": kindPython, "python3.12": kindPython, "python3.13": kindPython,
	"nodejs18.x": kindNode, "nodejs20.x": kindNode, "nodejs22.x": kindNode,
}

// logGroup returns the log group of a function.
func logGroup(name string) string { return "/aws/lambda/" + strings.TrimSpace(name) }
