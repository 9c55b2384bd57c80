/// What a setting's value must mean, beyond its type: a time zone that exists, a colour that
/// reads well behind white text, an address that mail can come from. Declared with the setting
/// in its manifest, and checked by the config loader after the type.
///
/// ```swift
/// .init(name: "time_zone", type: .string, default: .string("Europe/London"),
///       doc: "Default time zone.", constraint: .timeZone)
/// SettingConstraint.timeZone.problems(in: .string("Europe/Londn"), context: .init())
/// // [SettingProblem(message: "unknown time zone \"Europe/Londn\"", suggestion: "Europe/London", …)]
/// ```
public struct SettingConstraint: Sendable, Equatable, CustomStringConvertible {
    /// What a valid value is, as `pln config reference` shows it ("an IANA time zone name").
    public let summary: String
    private let check: @Sendable (SettingValue, SettingContext) -> [SettingProblem]

    public init(
        _ summary: String, check: @escaping @Sendable (SettingValue, SettingContext) -> [SettingProblem]
    ) {
        self.summary = summary
        self.check = check
    }

    /// Every problem of a value that already has the setting's type. Problems of list items
    /// and record fields carry the path to them, so that errors point at the item itself.
    public func problems(in value: SettingValue, context: SettingContext) -> [SettingProblem] {
        check(value, context)
    }

    public var description: String { summary }

    /// Constraints compare by what they promise; two with the same summary check the same thing.
    public static func == (lhs: SettingConstraint, rhs: SettingConstraint) -> Bool {
        lhs.summary == rhs.summary
    }
}

/// What a constraint may need to know about the deployment beyond the value itself.
public struct SettingContext: Sendable {
    /// Every module compiled into this binary.
    public var knownModules: [String]
    /// The modules the config script enables.
    public var enabledModules: [String]

    public init(knownModules: [String] = [], enabledModules: [String] = []) {
        self.knownModules = knownModules
        self.enabledModules = enabledModules
    }
}

/// One thing wrong with a setting's value (or, as a warning, worth knowing about it).
public struct SettingProblem: Error, Sendable, Equatable {
    /// A step from a value to a part of it.
    public enum Step: Sendable, Hashable, CustomStringConvertible {
        case index(Int)
        case field(String)

        public var description: String {
            switch self {
            case .index(let index): return "[\(index)]"
            case .field(let name): return "." + name
            }
        }
    }

    /// Where in the value the problem is; empty for the value as a whole.
    public var path: [Step]
    /// One sentence, without the setting's name.
    public var message: String
    /// A corrected value to offer as "did you mean …", when the constraint knows one.
    public var suggestion: String?
    /// Valid values to pick a "did you mean" from by spelling, when there is no suggestion…
    public var candidates: [String]
    /// … for what was written.
    public var written: String?
    /// Warnings do not stop the config from loading.
    public var isWarning: Bool

    public init(
        _ message: String, at path: [Step] = [], suggestion: String? = nil, candidates: [String] = [],
        written: String? = nil, isWarning: Bool = false
    ) {
        self.path = path
        self.message = message
        self.suggestion = suggestion
        self.candidates = candidates
        self.written = written
        self.isWarning = isWarning
    }

    /// The same problem, one level further down (for a problem of a list item or a field).
    public func inside(_ step: Step) -> SettingProblem {
        var copy = self
        copy.path.insert(step, at: 0)
        return copy
    }
}

extension SettingConstraint {
    /// Every one of the constraints, in order (all their problems together).
    public static func all(_ constraints: SettingConstraint...) -> SettingConstraint {
        SettingConstraint(constraints.map(\.summary).joined(separator: "; ")) { value, context in
            constraints.flatMap { $0.problems(in: value, context: context) }
        }
    }

    /// The constraint on every item of a list, each problem pointing at its item.
    public static func each(_ constraint: SettingConstraint) -> SettingConstraint {
        SettingConstraint("each: " + constraint.summary) { value, context in
            let items = value.listValue ?? []
            return items.enumerated().flatMap { index, item in
                constraint.problems(in: item, context: context).map { $0.inside(.index(index)) }
            }
        }
    }

    /// A check of a string value; `problem` returns nil when the string is fine.
    public static func text(_ summary: String, _ problem: @escaping @Sendable (String) -> SettingProblem?)
        -> SettingConstraint
    {
        SettingConstraint(summary) { value, _ in
            guard let text = value.stringValue else { return [] }
            return problem(text).map { [$0] } ?? []
        }
    }
}
