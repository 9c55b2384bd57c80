import Foundation
import Synchronization

/// One-line log records to standard error (or a capture, in tests).
///
/// ```swift
/// services.log.info("started", ["port": "8080"])
/// ```
public final class Logger: Sendable {
    public enum Level: String, Sendable, Comparable {
        case debug, info, warning, error
        private var rank: Int { [.debug: 0, .info: 1, .warning: 2, .error: 3][self] ?? 0 }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    private let minimum: Level
    private let sink: @Sendable (String) -> Void

    public init(minimum: Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
        self.minimum = minimum
        self.sink = sink ?? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// A logger that keeps nothing.
    public static let silent = Logger(minimum: .error, sink: { _ in })

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard level >= minimum else { return }
        var line = "\(level.rawValue.uppercased()) \(message)"
        for (key, value) in fields {
            line += " \(key)=" + (value.contains(" ") ? "\"\(value)\"" : value)
        }
        sink(line)
    }

    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.info, message, fields)
    }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.warning, message, fields)
    }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.error, message, fields)
    }
}
