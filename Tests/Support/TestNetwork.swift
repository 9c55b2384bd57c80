import Foundation
import HTTP
import Kernel
import Storage

/// A whole network for end-to-end tests: a kernel booted on a temporary database with the
/// chosen modules and settings, served by the real HTTP engine on an ephemeral port.
///
/// ```swift
/// let network = try TestNetwork(modules: allModules)
/// defer { network.stop() }
/// let client = network.client()
/// ```
public final class TestNetwork: @unchecked Sendable {
    // @unchecked: immutable after init apart from the server, which is itself thread-safe.
    public let kernel: Kernel
    public let web: WebApplication
    public let server: HTTPServer
    public let clock: FixedClock
    public let folder: String

    public var services: Services { kernel.services }
    public var port: Int { server.port }

    /// `settings` overrides defaults: ["membership": ["signup": .string("approval")]].
    public init(
        modules: [any FeatureModule.Type], enabled: [String]? = nil, settings: [String: [String: SettingValue]] = [:],
        clock: FixedClock = FixedClock(Date()), folder: String? = nil
    ) throws {
        let registry = ModuleRegistry(modules)
        self.folder = folder ?? Self.temporaryFolder()
        var config = DeploymentConfig.defaults(enabling: enabled ?? registry.manifests.map(\.id), manifests: registry.manifests)
        config.sections["storage"]?["path"] = .string(self.folder + "/pln.sqlite")
        if TestDatabase.isPostgres {
            config.sections["storage"]?["url"] = .string(try TestDatabase.location(in: self.folder))
        }
        config.sections["server"]?["port"] = .int(0)
        for (section, values) in settings {
            for (name, value) in values { config.sections[section, default: [:]][name] = value }
        }
        self.clock = clock
        kernel = try Kernel.boot(config: config, registry: registry, clock: clock, log: .silent)
        web = WebApplication(kernel: kernel)
        var configuration = web.serverConfiguration(host: "127.0.0.1", port: 0)
        configuration.eventLoopCount = 1
        configuration.workerCount = 4
        server = HTTPServer(configuration: configuration, responder: web)
        try server.start()
    }

    public static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pln-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    public func client() -> TestClient {
        let client = TestClient(port: port)
        let outbox = services.outbox
        client.mailbox = { address, prefix in Self.newestLink(in: outbox, to: address, startingWith: prefix) }
        return client
    }

    /// The path of the newest link starting with `prefix` in mail to `address`.
    public static func newestLink(in outbox: Outbox, to address: String, startingWith prefix: String) -> String? {
        let messages = (try? outbox.list(limit: 1000)) ?? []
        for message in messages where message.to == address.lowercased() {
            guard let range = message.body.range(of: prefix) else { continue }
            let path = message.body[range.lowerBound...].prefix { !$0.isWhitespace }
            return String(path)
        }
        return nil
    }

    /// The newest link starting with `prefix` mailed to `address`.
    public func mailedLink(to address: String, startingWith prefix: String) -> String? {
        Self.newestLink(in: services.outbox, to: address, startingWith: prefix)
    }

    public func stop() { server.shutdown(deadline: .seconds(2)) }

    /// Runs an admin command in-process; returns exit code and captured output.
    public func admin(_ arguments: [String], answers: [String] = []) -> (code: Int32, out: String, err: String) {
        let console = Console.capturing(answers: answers)
        let commands = kernel.context.commands
        let root = CommandSpec(
            name: "pln", abstract: "test",
            subcommands: [CommandSpec(name: "admin", abstract: "admin", subcommands: commands)])
        let code = console.run(["admin"] + arguments, root: root)
        return (code, console.capturedOutput, console.capturedErrors)
    }
}

extension TestClient {
    /// Joins through the form, opens the link mailed to the address and finishes joining, so the
    /// client ends signed in; returns the last answer (a redirect to the new profile). When the
    /// form is refused, returns that answer.
    @discardableResult
    public func join(name: String, email: String, password: String = "a long enough password", extra: [String: String] = [:]) throws -> Response {
        let page = try get("/join")
        guard let csrf = page.csrf else { throw ClientError(description: "no CSRF token on /join: \(page)") }
        var form = ["_csrf": csrf, "name": name, "email": email, "password": password, "terms": "1"]
        for (key, value) in extra { form[key] = value }
        let requested = try post("/join", form: form)
        guard requested.status == 303, requested.location == "/join/sent" else { return requested }
        guard let link = mailbox?(email, "/join/confirm/") else {
            throw ClientError(description: "no confirmation link was mailed to \(email)")
        }
        return try confirmJoining(link)
    }

    /// Opens a mailed `/join/confirm/…` link and presses "Finish joining".
    @discardableResult
    public func confirmJoining(_ link: String) throws -> Response {
        let path = link.range(of: "/join/confirm/").map { String(link[$0.lowerBound...]) } ?? link
        let page = try get(path)
        guard page.status == 200, let csrf = page.csrf else { return page }
        return try post(path, form: ["_csrf": csrf])
    }

    @discardableResult
    public func signIn(_ login: String, password: String = "a long enough password") throws -> Response {
        let page = try get("/sign-in")
        return try post("/sign-in", form: ["_csrf": page.csrf ?? "", "login": login, "password": password])
    }

    /// Posts a form to `path` with the CSRF token taken from `pagePath`.
    @discardableResult
    public func submit(_ path: String, from pagePath: String, _ form: [String: String] = [:]) throws -> Response {
        let page = try get(pagePath)
        guard let csrf = page.csrf else { throw ClientError(description: "no CSRF token on \(pagePath): \(page)") }
        var fields = form
        fields["_csrf"] = csrf
        return try post(path, form: fields)
    }
}
