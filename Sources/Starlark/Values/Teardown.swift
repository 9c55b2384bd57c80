/// Releases deeply nested values without deep recursion. Swift frees a list of lists of lists…
/// recursively, one native frame set per level, so a script that builds a million-level chain
/// (`l = [l]` in a loop) would overflow the stack when the chain is dropped. Containers and
/// variable cells hand their contents to this loop instead: children that nothing else
/// references are emptied here, so each deinit is shallow.
enum Teardown {
    static func release(_ values: inout [Value]) {
        guard values.contains(where: \.isNestedContainer) else { return }
        var pending: [Value] = []
        swap(&pending, &values)
        while var value = pending.popLast() {
            value.moveUniqueChildren(into: &pending)
        }
    }
}

extension Value {
    fileprivate var isNestedContainer: Bool {
        switch self {
        case .list, .dict, .tuple: return true
        default: return false
        }
    }

    /// Drops this value; if it held the last reference to a container, its elements move to
    /// `pending` first so that the container's own deinit has nothing left to recurse into.
    fileprivate mutating func moveUniqueChildren(into pending: inout [Value]) {
        switch self {
        case .list(var list):
            self = .none
            if isKnownUniquelyReferenced(&list) {
                pending.append(contentsOf: list.elements)
                list.elements = []
            }
        case .dict(var dict):
            self = .none
            if isKnownUniquelyReferenced(&dict) {
                pending.append(contentsOf: dict.takeAll())
            }
        case .tuple(let items):
            self = .none
            // the tuple's array is released after its elements are retained by `pending`
            pending.append(contentsOf: items)
        default:
            self = .none
        }
    }
}
