package expr

// TopLevelNames returns the distinct top-level attributes the condition
// reads, in source order, so the service can reject a Query filter on key
// attributes.
func (c *Condition) TopLevelNames() []string {
	var names []string
	seen := make(map[string]bool)
	_ = c.root.walkOperands(func(o *operand, _ bool) *Error {
		if o.kind == opPath && len(o.path) > 0 && !seen[o.path[0].Name] {
			seen[o.path[0].Name] = true
			names = append(names, o.path[0].Name)
		}
		return nil
	})
	return names
}
