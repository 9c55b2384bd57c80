/// What a running program has spent against its `Limits`: execution steps and bytes allocated.
///
/// A step is a statement, a loop iteration, a call, or a unit of work inside an operator or a
/// builtin (one element compared, copied or visited; 64 bytes of a string scanned or written).
/// Memory is counted approximately and cumulatively as values are made: a string's bytes,
/// 16 bytes per list or tuple element, 64 per dict entry. Nothing is refunded when a value is
/// dropped, so the budget also bounds the work of repeatedly copying large values.
///
/// ```swift
/// try meter.charge(elements: list.count)     // a builtin scanning a list
/// try meter.allocate(bytes: result.utf8.count)
/// ```
final class Meter {
    var limits: Limits
    private(set) var steps = 0
    private(set) var allocated = 0

    init(limits: Limits) { self.limits = limits }

    static let bytesPerElement = 16
    static let bytesPerEntry = 64
    /// String bytes that count as one step of work.
    static let bytesPerStep = 64

    /// One step: a statement, an iteration or a call.
    @inline(__always)
    func step() throws(EvalError) {
        steps &+= 1
        if steps > limits.maxSteps { throw stepLimitExceeded() }
    }

    /// `count` steps of work, e.g. one per element an operation visits.
    func charge(steps count: Int) throws(EvalError) {
        steps = steps.addingReportingOverflow(count).partialValue
        if steps > limits.maxSteps || steps < 0 { throw stepLimitExceeded() }
    }

    /// Work over `count` elements.
    func charge(elements count: Int) throws(EvalError) { try charge(steps: count) }

    /// Work over `count` bytes of string.
    func charge(bytes count: Int) throws(EvalError) { try charge(steps: count / Self.bytesPerStep) }

    private func stepLimitExceeded() -> EvalError {
        Self.limitError(
            "exceeded the step limit of \(limits.maxSteps) (statements, iterations, calls and elements processed): "
                + "the program runs too long")
    }

    /// A limit error reads the same wherever it strikes: no builtin's name is put before it.
    private static func limitError(_ message: String) -> EvalError {
        var error = EvalError(message)
        error.isUnprefixed = true
        return error
    }

    /// A new value of `count` bytes; also the work of writing them.
    func allocate(bytes count: Int) throws(EvalError) {
        allocated = allocated.addingReportingOverflow(count).partialValue
        if allocated > limits.maxAllocatedBytes || allocated < 0 {
            throw Self.limitError(
                "exceeded the memory budget of \(Self.describe(limits.maxAllocatedBytes)) "
                    + "(strings, lists and dicts made, counted as they are made)")
        }
        try charge(bytes: count)
    }

    /// A new list or tuple of `count` elements.
    func allocate(elements count: Int) throws(EvalError) {
        try allocate(bytes: count.multipliedReportingOverflow(by: Self.bytesPerElement).partialValue)
    }

    /// A new dict of `count` entries.
    func allocate(entries count: Int) throws(EvalError) {
        try allocate(bytes: count.multipliedReportingOverflow(by: Self.bytesPerEntry).partialValue)
    }

    /// Fails before making a collection (or string) of `count` elements (or bytes) that is
    /// larger than one operation may make.
    func checkSize(_ count: Int, _ what: String = "result", unit: String = "elements") throws(EvalError) {
        if count > limits.maxCollectionSize {
            throw EvalError(
                "\(what) would have \(count) \(unit), more than the limit of \(limits.maxCollectionSize) for one value"
            )
        }
    }

    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
