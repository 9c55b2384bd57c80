import Foundation

/// The kernel's own config sections, declared like a module's settings so that validation,
/// `pln config reference` and "did you mean" treat them the same way.
public enum KernelSettings {
    public static let sections: [ModuleManifest] = [
        ModuleManifest(
            id: "network", title: "Network", summary: "Who this network is.",
            settings: [
                .init(
                    name: "name", type: .string, default: .string("PLN"),
                    doc: "The network's name, shown in the header.", constraint: .label),
                .init(
                    name: "tagline", type: .string,
                    default: .string("A personal learning network for educators"),
                    doc: "One line under the name.", constraint: .singleLine),
                .init(
                    name: "creator", type: .string, default: .string("the administrators"),
                    doc: "Shown as \"About: <creator> created this network\".", constraint: .label),
                .init(
                    name: "about", type: .string, default: .string(""),
                    doc: "A paragraph about the network for the sidebar."),
                .init(
                    name: "base_url", type: .string, default: .string("http://localhost:8080"),
                    doc: "The public address, used in links in mail and feeds.", constraint: .baseURL),
                .init(
                    name: "terms_of_service", type: .string,
                    default: .string(
                        "Be kind. Share what you know. Keep pupils' details out of the network."),
                    doc: "Terms of Service text (Markdown) members accept when joining.",
                    constraint: .nonEmpty),
                .init(
                    name: "terms_version", type: .string, default: .string("1"),
                    doc: "Changing it asks members to accept the terms again.", constraint: .label),
                .init(
                    name: "time_zone", type: .string, default: .string("Europe/London"),
                    doc: "Default time zone for dates and CPD sessions.", constraint: .timeZone),
                .init(
                    name: "primary_colour", type: .string, default: .string("#1f5f8b"),
                    doc: "Header and link colour (#rrggbb).",
                    constraint: .colour(minimumContrastWithWhite: 4.5)),
                .init(
                    name: "accent_colour", type: .string, default: .string("#f0a500"),
                    doc: "Accent colour (#rrggbb).", constraint: .colour()),
                .init(
                    name: "logo_url", type: .string, default: .string(""),
                    doc: "Path or URL of a logo shown beside the name.", constraint: .siteLinkOrURL),
            ]),
        ModuleManifest(
            id: "server", title: "Server", summary: "The HTTP front.",
            settings: [
                .init(
                    name: "host", type: .string, default: .string("127.0.0.1"), doc: "Address to listen on.",
                    constraint: .listenAddress),
                .init(name: "port", type: .int(min: 1, max: 65535), default: .int(8080), doc: "TCP port."),
                .init(
                    name: "max_connections", type: .int(min: 1, max: 1_000_000), default: .int(10_000),
                    doc: "Open connections beyond this get 503."),
                .init(
                    name: "max_header_bytes", type: .int(min: 1024, max: 1_048_576), default: .int(16_384),
                    doc: "Largest request header section."),
                .init(
                    name: "max_body_bytes", type: .int(min: 1024, max: 104_857_600), default: .int(1_048_576),
                    doc: "Largest request body, unless a route allows more."),
                .init(
                    name: "workers", type: .int(min: 0, max: 256), default: .int(0),
                    doc:
                        "Threads for handlers (database, rendering, password hashing); 0 = two per CPU core, at least 4. More threads than cores only lengthen the slowest answers."
                ),
                .init(
                    name: "trusted_proxies", type: .list(.string), default: .list([]),
                    doc:
                        "Addresses and CIDR ranges (10.0.0.0/8, fd00::/8) of proxies whose X-Forwarded-* headers are believed.",
                    constraint: .all(.ipAddressRanges, .distinct)),
                .init(
                    name: "request_log", type: .bool, default: .bool(true), doc: "One log line per request."),
            ]),
        ModuleManifest(
            id: "storage", title: "Storage", summary: "Where data lives.",
            settings: [
                .init(
                    name: "path", type: .string, default: .string("data/pln.sqlite"),
                    doc: "SQLite database file, relative to the working directory.", constraint: .filePath),
                .init(
                    name: "readers", type: .int(min: 0, max: 64), default: .int(0),
                    doc:
                        "Read-only connections in the pool; 0 = one per worker thread and two for background jobs. A request holds one from its first read to its end, so fewer than the workers make requests wait for a reader."
                ),
                .init(
                    name: "url", type: .string, default: .string(""),
                    doc:
                        "PostgreSQL instead of the SQLite file: postgres://user:password@host:5432/pln (e.g. env(\"DATABASE_URL\", \"\")). Empty keeps SQLite at path. Several servers may share one database.",
                    constraint: .postgresURL),
            ]),
        ModuleManifest(
            id: "mail", title: "Mail", summary: "Outgoing mail.",
            settings: [
                .init(
                    name: "sendmail", type: .list(.string), default: .list([]),
                    doc:
                        "Command that reads a message on stdin, e.g. [\"/usr/sbin/sendmail\", \"-t\", \"-i\"]. Empty keeps mail in the outbox.",
                    constraint: .command),
                .init(
                    name: "from", type: .string, default: .string("pln@localhost"), doc: "From address.",
                    constraint: .emailAddress),
            ]),
    ]
}

/// The deployment's configuration after the config script ran and validation passed.
///
/// ```swift
/// let config = DeploymentConfig.defaults(enabling: ["membership", "blog"])
/// config.string("network", "name")  // "PLN"
/// ```
public struct DeploymentConfig: Sendable {
    /// Resolved values by section (kernel sections and module ids), defaults filled in.
    public var sections: [String: [String: SettingValue]]
    public var enabledModules: [String]
    /// Environment variables the script read, with the value it got (nil when unset).
    public var environmentReads: [(name: String, value: String?)]
    /// The script's path, when it came from a file.
    public var sourcePath: String?
    /// Things worth fixing that do not stop the network (settings of a module that is not
    /// enabled, …), each rendered as `file:line:col: warning: …` with the source line.
    public var warnings: [String]

    public init(
        sections: [String: [String: SettingValue]], enabledModules: [String],
        environmentReads: [(name: String, value: String?)] = [], sourcePath: String? = nil,
        warnings: [String] = []
    ) {
        self.sections = sections
        self.enabledModules = enabledModules
        self.environmentReads = environmentReads
        self.sourcePath = sourcePath
        self.warnings = warnings
    }

    /// Every section's defaults, with the given modules enabled.
    public static func defaults(enabling modules: [String], manifests: [ModuleManifest] = [])
        -> DeploymentConfig
    {
        var sections: [String: [String: SettingValue]] = [:]
        for manifest in KernelSettings.sections + manifests {
            var values: [String: SettingValue] = [:]
            for setting in manifest.settings {
                if let value = setting.default { values[setting.name] = value }
            }
            sections[manifest.id] = values
        }
        return DeploymentConfig(sections: sections, enabledModules: modules)
    }

    public func value(_ section: String, _ name: String) -> SettingValue? { sections[section]?[name] }
    public func string(_ section: String, _ name: String) -> String {
        value(section, name)?.stringValue ?? ""
    }
    public func int(_ section: String, _ name: String) -> Int { Int(value(section, name)?.intValue ?? 0) }
    public func bool(_ section: String, _ name: String) -> Bool { value(section, name)?.boolValue ?? false }
    public func strings(_ section: String, _ name: String) -> [String] {
        value(section, name)?.listValue?.compactMap(\.stringValue) ?? []
    }

    public var networkName: String { string("network", "name") }
}

extension DeploymentConfig {
    /// `server.workers`, with 0 resolved: two threads per core (at least 4). Page handlers are
    /// CPU-bound, so threads beyond the cores share them and stretch every answer: at 64
    /// connections on 2 cores, 16 threads gave the home page a p99 of 27 ms, 4 threads 14 ms.
    public var workerThreads: Int {
        let configured = int("server", "workers")
        return configured > 0 ? configured : max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Where the data lives: `storage.url` when set (PostgreSQL), else `storage.path` (SQLite).
    public var storageLocation: String {
        let url = string("storage", "url").trimmingCharacters(in: .whitespaces)
        return url.isEmpty ? string("storage", "path") : url
    }

    /// `storage.readers`, with 0 resolved: one read connection per worker thread (a request
    /// holds one reader from its first read to its end, see Storage's `ReadScope`), and two
    /// for the background jobs, so that a job's long read never makes a request wait.
    public var readerConnections: Int {
        let configured = int("storage", "readers")
        return configured > 0 ? configured : workerThreads + 2
    }
}
