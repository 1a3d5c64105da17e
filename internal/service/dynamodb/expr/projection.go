package expr

import (
	"maps"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Projection is a parsed ProjectionExpression with its placeholders
// substituted. It is immutable and safe for concurrent use.
type Projection struct {
	paths []Path
}

// String renders the paths comma-separated.
func (p *Projection) String() string {
	parts := make([]string, len(p.paths))
	for i, path := range p.paths {
		parts[i] = path.String()
	}
	return strings.Join(parts, ", ")
}

// Paths returns the projected document paths in source order.
func (p *Projection) Paths() []Path { return p.paths }

// ParseProjection parses a ProjectionExpression, reporting syntax errors,
// then reserved words, undefined names, and overlapping paths.
func ParseProjection(s string, a *Attrs) (*Projection, error) {
	proj, err := parseProjection(s, a)
	if err != nil {
		return nil, err
	}
	return proj, nil
}

func parseProjection(s string, a *Attrs) (*Projection, *Error) {
	p, err := newParser(s, kindProjection)
	if err != nil {
		return nil, err
	}
	if err := p.checkUnknownTokens(); err != nil {
		return nil, err
	}
	proj := &Projection{}
	for {
		path, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		proj.paths = append(proj.paths, path)
		if !p.isPunct(",") {
			break
		}
		p.advance()
	}
	if err := p.expectEOF(); err != nil {
		return nil, err
	}
	for _, path := range proj.paths {
		if err := checkReservedPath(kindProjection, path); err != nil {
			return nil, err
		}
	}
	for _, path := range proj.paths {
		if err := resolveNames(kindProjection, path, a); err != nil {
			return nil, err
		}
	}
	if err := checkPathSet(kindProjection, proj.paths); err != nil {
		return nil, err
	}
	return proj, nil
}

// Apply returns the parts of item the projection names: nested paths yield
// nested partial maps and lists (list elements keep their relative order);
// paths missing from item are skipped. item is not modified.
func (p *Projection) Apply(item attr.Item) attr.Item {
	return projectPaths(item, p.paths)
}

// projectPaths copies the values at paths out of item into a new item.
func projectPaths(item attr.Item, paths []Path) attr.Item {
	root := newPathTrie(paths)
	out := attr.Item{}
	for name, child := range root.names {
		v, ok := item[name]
		if !ok {
			continue
		}
		if sub, ok := child.project(v); ok {
			out[name] = sub
		}
	}
	return out
}

// pathTrie is a set of non-overlapping paths sharing prefixes.
type pathTrie struct {
	leaf    bool
	names   map[string]*pathTrie
	indexes map[int]*pathTrie
}

func newPathTrie(paths []Path) *pathTrie {
	root := &pathTrie{}
	for _, path := range paths {
		node := root
		for _, e := range path {
			node = node.child(e)
		}
		node.leaf = true
	}
	return root
}

func (t *pathTrie) child(e PathElem) *pathTrie {
	if e.IsIndex {
		if t.indexes == nil {
			t.indexes = make(map[int]*pathTrie)
		}
		if t.indexes[e.Index] == nil {
			t.indexes[e.Index] = &pathTrie{}
		}
		return t.indexes[e.Index]
	}
	if t.names == nil {
		t.names = make(map[string]*pathTrie)
	}
	if t.names[e.Name] == nil {
		t.names[e.Name] = &pathTrie{}
	}
	return t.names[e.Name]
}

// project returns v restricted to the trie's paths; false when none of
// them exists in v. Selected list elements keep their relative order.
func (t *pathTrie) project(v attr.Value) (attr.Value, bool) {
	if t.leaf {
		return v.Clone(), true
	}
	switch v.Kind {
	case attr.M:
		out := make(map[string]attr.Value)
		for name, child := range t.names {
			if sub, ok := v.Map[name]; ok {
				if p, ok := child.project(sub); ok {
					out[name] = p
				}
			}
		}
		return attr.Value{Kind: attr.M, Map: out}, len(out) > 0
	case attr.L:
		var out []attr.Value
		for _, i := range slices.Sorted(maps.Keys(t.indexes)) {
			if i < len(v.List) {
				if p, ok := t.indexes[i].project(v.List[i]); ok {
					out = append(out, p)
				}
			}
		}
		return attr.Value{Kind: attr.L, List: out}, len(out) > 0
	}
	return attr.Value{}, false
}
