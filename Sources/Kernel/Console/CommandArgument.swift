/// A type a command-line value converts to, like swift-argument-parser's `ExpressibleByArgument`.
/// A `String`-backed `CaseIterable` enum conforms by declaring it: its cases are the allowed
/// values, listed in help and offered as "did you mean" after a typo.
///
/// ```swift
/// enum Order: String, CaseIterable, CommandArgument { case newest, views, featured }
/// @Option(help: "newest, views or featured.", valueName: "ORDER") var sort = Order.newest
/// ```
public protocol CommandArgument: Sendable {
    /// The value for `argument`, or nil when it is not one.
    init?(argument: String)
    /// Every value accepted, in the order help lists them; nil when any text of the right shape goes.
    static var allowedValues: [String]? { get }
    /// What errors say is expected: "a whole number", "newest, views or featured".
    static var expectation: String { get }
    /// The value as it is typed on the command line (help shows defaults this way).
    var argumentText: String { get }
    /// The value of a left-out argument: nil (required) except for `Optional`, whose is `.none`.
    static var absent: Self? { get }
}

extension CommandArgument {
    public static var allowedValues: [String]? { nil }
    public static var absent: Self? { nil }
    /// Whether the value may be left out.
    static var isOptional: Bool { absent != nil }
}

extension CommandArgument where Self: CaseIterable & RawRepresentable, RawValue == String {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allowedValues: [String]? { allCases.map(\.rawValue) }
    public static var expectation: String {
        let values = allCases.map(\.rawValue)
        return values.count < 2
            ? values.joined() : values.dropLast().joined(separator: ", ") + " or " + (values.last ?? "")
    }
    public var argumentText: String { rawValue }
}

extension String: CommandArgument {
    public init?(argument: String) { self = argument }
    public static var expectation: String { "text" }
    public var argumentText: String { self }
}

extension Int: CommandArgument {
    public init?(argument: String) { self.init(argument) }
    public static var expectation: String { "a whole number" }
    public var argumentText: String { String(self) }
}

extension Int64: CommandArgument {
    public init?(argument: String) { self.init(argument) }
    public static var expectation: String { "a whole number" }
    public var argumentText: String { String(self) }
}

extension UInt64: CommandArgument {
    public init?(argument: String) { self.init(argument) }
    public static var expectation: String { "a whole number" }
    public var argumentText: String { String(self) }
}

extension Optional: CommandArgument where Wrapped: CommandArgument {
    public init?(argument: String) {
        guard let value = Wrapped(argument: argument) else { return nil }
        self = .some(value)
    }
    public static var allowedValues: [String]? { Wrapped.allowedValues }
    public static var expectation: String { Wrapped.expectation }
    public var argumentText: String { map(\.argumentText) ?? "" }
    public static var absent: Self? { .some(.none) }
}
