import Foundation

/// Releases deeply nested values without deep recursion. Swift frees a list of lists of lists…
/// recursively, several native frames per level, so a script that builds a million-level chain
/// (`l = [l]` in a loop) would overflow the stack when the chain is dropped.
///
/// Containers and variable cells hand their contents to a per-thread queue instead. The
/// outermost release drains the queue in a loop; a container freed while draining only adds its
/// own contents to the queue and returns, so every deinit is shallow.
enum Teardown {
    /// Per-thread queue; a class so that nested releases on the same thread share it.
    private final class Queue {
        var pending: [Value] = []
        var draining = false
    }

    private static let key = "org.pln.starlark.teardown"

    private static var queue: Queue {
        let dictionary = Thread.current.threadDictionary
        if let queue = dictionary[key] as? Queue { return queue }
        let queue = Queue()
        dictionary[key] = queue
        return queue
    }

    static func release(_ values: inout [Value]) {
        guard values.contains(where: \.isNestedContainer) else { return }
        let queue = self.queue
        queue.pending.append(contentsOf: values)
        values = []
        if queue.draining { return }
        queue.draining = true
        while let value = queue.pending.popLast() {
            if case .tuple(let items) = value {
                // a tuple has no deinit of its own: take its items before its array goes
                queue.pending.append(contentsOf: items)
            }
        }
        queue.draining = false
    }
}

extension Teardown {
    /// How deeply tuples may nest directly inside tuples in a value handed to the host: such a
    /// chain is freed by Swift's own recursive destruction wherever the host drops it.
    static let maxTupleChain = 10_000

    /// Whether `value` contains a chain of directly nested tuples longer than `maxTupleChain`.
    static func hasDeepTupleChain(_ value: Value) -> Bool {
        guard case .tuple = value else { return false }
        var pending: [(Value, Int)] = [(value, 1)]
        while let (current, depth) = pending.popLast() {
            guard case .tuple(let items) = current else { continue }
            if depth > maxTupleChain { return true }
            for item in items {
                if case .tuple = item { pending.append((item, depth + 1)) }
            }
        }
        return false
    }
}

extension Value {
    fileprivate var isNestedContainer: Bool {
        switch self {
        case .list, .dict, .tuple: return true
        default: return false
        }
    }
}
