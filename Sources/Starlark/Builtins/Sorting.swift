import Foundation

/// sorted(): a stable merge sort whose comparisons are charged to the meter.
extension Universe {
    static func sorted(_ call: inout Call) throws -> Value {
        let args = try call.parse("iterable", "key?", "reverse?")
        let x = args[0] ?? .none
        var items: [Value]
        guard isIterable(x) else {
            throw EvalError("for parameter iterable: got \(x.typeName), want iterable")
        }
        var reverse = false
        if let r = args[2] {
            guard case .bool(let b) = r else {
                throw EvalError("for parameter reverse: got \(r.typeName), want bool")
            }
            reverse = b
        }
        let meter = call.interpreter.meter
        items = try elements(x, meter: meter)
        try meter.allocate(elements: 2 * items.count)
        // about n log n comparisons
        try meter.charge(
            elements: items.count * Swift.max(1, Swift.Int.bitWidth - items.count.leadingZeroBitCount))
        var keys = items
        if let key = args[1] {
            guard key.isCallable else {
                throw EvalError("for parameter key: got \(key.typeName), want callable")
            }
            keys = []
            for item in items { keys.append(try call.interpreter.call(key, args: [item])) }
        }
        var order = Array(0..<items.count)
        var failure: Error?
        // stable merge sort via indices; comparison errors are reported after sorting
        order = mergeSort(order) { a, b in
            if failure != nil { return false }
            do {
                return reverse
                    ? try Ops.less(keys[b], keys[a], meter: meter)
                    : try Ops.less(keys[a], keys[b], meter: meter)
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        items = order.map { items[$0] }
        return .list(StarlarkList(items))
    }

    static func mergeSort(_ a: [Swift.Int], _ less: (Swift.Int, Swift.Int) -> Bool) -> [Swift.Int] {
        if a.count <= 1 { return a }
        let mid = a.count / 2
        let left = mergeSort(Array(a[..<mid]), less)
        let right = mergeSort(Array(a[mid...]), less)
        var result: [Swift.Int] = []
        result.reserveCapacity(a.count)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if less(right[j], left[i]) {
                result.append(right[j])
                j += 1
            } else {
                result.append(left[i])
                i += 1
            }
        }
        result.append(contentsOf: left[i...])
        result.append(contentsOf: right[j...])
        return result
    }
}
