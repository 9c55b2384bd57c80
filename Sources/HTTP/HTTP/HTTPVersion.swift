/// An HTTP protocol version as it appears in a request line.
///
/// ```swift
/// let version = HTTPVersion.http1_1
/// version.major  // 1
/// "\(HTTPVersion.http1_0)"  // "HTTP/1.0"
/// ```
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    // The names follow SwiftNIO's `HTTPVersion.http1_1`, which Swift server developers know.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}
