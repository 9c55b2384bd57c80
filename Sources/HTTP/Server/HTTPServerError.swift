import Glibc

/// Why the server could not start.
///
/// ```swift
/// do { try server.start() } catch {
///     print(error)  // "bind 127.0.0.1:80 failed: Permission denied (errno 13)"
/// }
/// ```
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyStarted
    case addressResolutionFailed(host: String, port: Int, message: String)
    case bindFailed(host: String, port: Int, errno: Int32)
    case systemCallFailed(call: String, errno: Int32)
    case epollUnavailable

    public var description: String {
        switch self {
        case .alreadyStarted: "the server was already started"
        case .addressResolutionFailed(let host, let port, let message):
            "cannot resolve \(host):\(port): \(message)"
        case .bindFailed(let host, let port, let code):
            "bind \(host):\(port) failed: \(Self.message(code)) (errno \(code))"
        case .systemCallFailed(let call, let code): "\(call) failed: \(Self.message(code)) (errno \(code))"
        case .epollUnavailable: "epoll is not available on this system"
        }
    }

    private static func message(_ code: Int32) -> String { String(cString: strerror(code)) }
}
