/// What a feature module is, as data: its identity, what it depends on, and the settings it
/// accepts from the deployment's config script.
///
/// ```swift
/// static let manifest = ModuleManifest(
///     id: "blog", title: "Blog", summary: "Members' blogs with comments and view counts.",
///     dependencies: ["membership"],
///     settings: [.init(name: "comments_enabled", type: .bool, default: .bool(true), doc: "Members may comment.")])
/// ```
public struct ModuleManifest: Sendable, Equatable {
    public var id: String
    public var title: String
    public var summary: String
    public var dependencies: [String]
    public var settings: [SettingSpec]

    public init(
        id: String, title: String, summary: String, dependencies: [String] = [],
        settings: [SettingSpec] = []
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.dependencies = dependencies
        self.settings = settings
    }
}

/// One setting a module (or the kernel) accepts: its name, type, default, documentation, and
/// what its value must mean beyond its type (`constraint`, checked by the config loader).
public struct SettingSpec: Sendable, Equatable {
    public var name: String
    public var type: SettingType
    /// nil means the setting is required: the config script must give it.
    public var `default`: SettingValue?
    public var doc: String
    /// Secrets are masked by `pln config show`.
    public var isSecret: Bool
    /// What a value must mean (a time zone that exists, a port, a mail address…); nil when
    /// the type says it all.
    public var constraint: SettingConstraint?

    public init(
        name: String, type: SettingType, default: SettingValue?, doc: String, isSecret: Bool = false,
        constraint: SettingConstraint? = nil
    ) {
        self.name = name
        self.type = type
        self.default = `default`
        self.doc = doc
        self.isSecret = isSecret
        self.constraint = constraint
    }
}

/// The type of a setting. Values from the config script are checked against it.
public indirect enum SettingType: Sendable, Equatable, CustomStringConvertible {
    case string
    case int(min: Int64?, max: Int64?)
    case float
    case bool
    /// One of a fixed set of strings.
    case choice([String])
    case list(SettingType)
    /// A record with named fields (e.g. one profile question).
    case record([SettingSpec])

    public static var int: SettingType { .int(min: nil, max: nil) }

    public var description: String {
        switch self {
        case .string: return "string"
        case .int(let min, let max):
            switch (min, max) {
            case (nil, nil): return "int"
            case (let lo?, nil): return "int ≥ \(lo)"
            case (nil, let hi?): return "int ≤ \(hi)"
            case (let lo?, let hi?): return "int in \(lo)…\(hi)"
            }
        case .float: return "float"
        case .bool: return "bool"
        case .choice(let options): return "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .list(let element): return "list of \(element)"
        case .record(let fields): return "record(" + fields.map(\.name).joined(separator: ", ") + ")"
        }
    }
}

/// A setting's value after the config script ran and validation passed.
public indirect enum SettingValue: Sendable, Codable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case list([SettingValue])
    case record([String: SettingValue])

    public var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
    public var intValue: Int64? { if case .int(let v) = self { return v } else { return nil } }
    public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    public var floatValue: Double? {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }
    public var listValue: [SettingValue]? { if case .list(let v) = self { return v } else { return nil } }
    public var recordValue: [String: SettingValue]? {
        if case .record(let v) = self { return v } else { return nil }
    }

    public var description: String {
        switch self {
        case .string(let v): return "\"\(v)\""
        case .int(let v): return String(v)
        case .float(let v): return String(v)
        case .bool(let v): return v ? "True" : "False"
        case .list(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .record(let v):
            let fields = v.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    /// A plain JSON-compatible value, for `--json` output.
    public var jsonObject: Any {
        switch self {
        case .string(let v): return v
        case .int(let v): return v
        case .float(let v): return v
        case .bool(let v): return v
        case .list(let v): return v.map(\.jsonObject)
        case .record(let v): return v.mapValues(\.jsonObject)
        }
    }
}
