/// A module's settings read as typed values. A value the config script did not give is the
/// default the manifest declares, so a setting's default lives in one place: its declaration.
///
/// ```swift
/// let settings = services.settings(of: BlogModule.manifest)
/// postsPerPage = settings.int("posts_per_page")          // 10 unless the config says otherwise
/// providers = settings.strings("video_providers")
/// ```
///
/// Naming a setting the manifest does not declare, or reading it as another type, is a
/// programming error and stops the program with a message naming the module and the setting
/// (`ModuleSettingsTests` also checks every module's source for such names).
public struct ModuleSettings: Sendable {
    /// The module id (or `module.record_setting` for one record of a list of records).
    public let section: String
    private let declarations: [String: SettingSpec]
    private let values: [String: SettingValue]

    public init(_ manifest: ModuleManifest, values: [String: SettingValue]) {
        self.init(section: manifest.id, declarations: manifest.settings, values: values)
    }

    init(section: String, declarations: [SettingSpec], values: [String: SettingValue]) {
        self.section = section
        self.declarations = Dictionary(
            declarations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.values = values
    }

    public func int(_ name: String) -> Int {
        Int(
            value(name, kind: "int") { if case .int = $0 { return true } else { return false } }?.intValue
                ?? 0)
    }

    public func bool(_ name: String) -> Bool {
        value(name, kind: "bool") { $0 == .bool }?.boolValue ?? false
    }

    /// A `.string` or `.choice` setting.
    public func string(_ name: String) -> String {
        value(name, kind: "string") {
            if case .choice = $0 { return true }
            return $0 == .string
        }?.stringValue ?? ""
    }

    /// A list of strings (or of choices).
    public func strings(_ name: String) -> [String] {
        let found = value(name, kind: "list of strings") {
            guard case .list(let element) = $0 else { return false }
            if case .choice = element { return true }
            return element == .string
        }
        return found?.listValue?.compactMap(\.stringValue) ?? []
    }

    /// A list of records, each read like settings of its own (its fields' defaults apply).
    public func records(_ name: String) -> [ModuleSettings] {
        guard let spec = declarations[name], case .list(.record(let fields)) = spec.type else {
            undeclared(name, kind: "list of records")
        }
        let list = (values[name] ?? spec.default)?.listValue ?? []
        return list.map {
            ModuleSettings(section: "\(section).\(name)", declarations: fields, values: $0.recordValue ?? [:])
        }
    }

    /// The configured value, else the declared default; nil only for a required setting the
    /// config did not give (validation refuses such a config, so only hand-built ones lack it).
    private func value(_ name: String, kind: String, typeMatches: (SettingType) -> Bool) -> SettingValue? {
        guard let spec = declarations[name], typeMatches(spec.type) else { undeclared(name, kind: kind) }
        return values[name] ?? spec.default
    }

    private func undeclared(_ name: String, kind: String) -> Never {
        let declared =
            declarations[name].map { "is declared as \($0.type)" } ?? "is not declared by its manifest"
        preconditionFailure("\(section) reads the setting \"\(name)\" as \(kind), but it \(declared)")
    }
}

extension Services {
    /// The module's settings from the deployment's config, with its manifest's defaults.
    public func settings(of manifest: ModuleManifest) -> ModuleSettings {
        ModuleSettings(manifest, values: config.sections[manifest.id] ?? [:])
    }
}
