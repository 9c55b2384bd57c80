import Foundation
import Synchronization

/// Serves files under a root directory with strong ETags, Last-Modified, Cache-Control and
/// 304 answers to If-None-Match / If-Modified-Since (RFC 9110 §13). Blocking (it reads files),
/// so mount it on a `.blocking` route.
///
/// ```swift
/// let assets = StaticFiles(root: "/srv/pln/public", cacheControl: "public, max-age=3600")
/// router.add("GET", "/static/*path", .blocking { request in
///     assets.response(for: request, path: request.routeParameters["path"] ?? "")
/// })
/// ```
public final class StaticFiles: Sendable {
    private struct Entry: Sendable {
        var modified: Int
        var size: Int
        var etag: String
        var bytes: [UInt8]
    }

    public let root: String
    public let cacheControl: String
    /// Files up to this size are kept in memory after the first read.
    public let maxCachedFileSize: Int
    // Several worker threads serve files at once; the cache is shared between them.
    private let cache = Mutex<[String: Entry]>([:])

    public init(root: String, cacheControl: String = "public, max-age=3600", maxCachedFileSize: Int = 1 << 20)
    {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        self.cacheControl = cacheControl
        self.maxCachedFileSize = maxCachedFileSize
    }

    /// The response for `path` (relative to the root, already percent-decoded, `/`-separated).
    /// Dot segments, hidden files, backslashes and NUL are refused with 404 so nothing outside
    /// the root (or private inside it) is reachable.
    public func response(for request: HTTPRequest, path: String) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text("Method Not Allowed\n", status: .methodNotAllowed)
            response.headers.add("Allow", "GET, HEAD")
            return response
        }
        guard let relative = Self.safeRelativePath(path), let entry = load(relative) else {
            return .text("Not Found\n", status: .notFound)
        }
        var headers: HTTPHeaders = [
            "ETag": entry.etag, "Last-Modified": HTTPDate.format(epochSeconds: entry.modified),
            "Cache-Control": cacheControl,
        ]
        if Self.notModified(request.headers, etag: entry.etag, modified: entry.modified) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.add("Content-Type", MediaTypes.type(forPath: relative))
        headers.add("X-Content-Type-Options", "nosniff")
        return HTTPResponse(status: .ok, headers: headers, body: entry.bytes)
    }

    /// If-None-Match takes precedence; If-Modified-Since is only consulted without it (RFC 9110 §13.2.2).
    static func notModified(_ headers: HTTPHeaders, etag: String, modified: Int) -> Bool {
        let candidates = headers.listValues(for: "If-None-Match")
        if !candidates.isEmpty {
            let opaque = Self.opaqueTag(etag)
            return candidates.contains { $0 == "*" || Self.opaqueTag($0) == opaque }
        }
        if let since = headers["If-Modified-Since"], let date = HTTPDate.parse(since) {
            return modified <= date
        }
        return false
    }

    /// Weak comparison for If-None-Match: W/"x" matches "x".
    private static func opaqueTag(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }

    static func safeRelativePath(_ path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty else { return nil }
        for segment in segments {
            if segment.isEmpty || segment.hasPrefix(".") || segment.contains("\\") || segment.contains("\0") {
                return nil
            }
        }
        return segments.joined(separator: "/")
    }

    private func load(_ relative: String) -> Entry? {
        let fullPath = root + "/" + relative
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: fullPath),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue,
            let modifiedDate = attributes[.modificationDate] as? Date
        else { return nil }
        let modified = Int(modifiedDate.timeIntervalSince1970)
        if let cached = cache.withLock({ $0[relative] }), cached.modified == modified, cached.size == size {
            return cached
        }
        guard let data = FileManager.default.contents(atPath: fullPath) else { return nil }
        let bytes = Array(data)
        let entry = Entry(modified: modified, size: bytes.count, etag: Self.etag(for: bytes), bytes: bytes)
        if bytes.count <= maxCachedFileSize { cache.withLock { $0[relative] = entry } }
        return entry
    }

    /// A strong validator from the content itself (FNV-1a 64 plus length), so it changes exactly
    /// when the bytes do, whatever the file's timestamps say.
    static func etag(for bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))-\(String(bytes.count, radix: 16))\""
    }
}
