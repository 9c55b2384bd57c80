import Foundation
import Kernel

/// A video from an allow-listed provider, kept as provider and ID only: the page builds the
/// privacy-enhanced embed itself, so no HTML from the member ever reaches the page.
///
/// ```swift
/// let video = try VideoEmbed.parse("https://youtu.be/dQw4w9WgXcQ", allowed: [.youtube, .vimeo])
/// video.embedURL   // "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
/// ```
public struct VideoEmbed: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        case youtube, vimeo

        public var displayName: String { self == .youtube ? "YouTube" : "Vimeo" }
    }

    public var provider: Provider
    public var videoID: String

    public init(provider: Provider, videoID: String) {
        self.provider = provider
        self.videoID = videoID
    }

    /// The address of the embedded player (the CSP's frame-src allows exactly these hosts).
    public var embedURL: String {
        switch provider {
        case .youtube: return "https://www.youtube-nocookie.com/embed/\(videoID)"
        case .vimeo: return "https://player.vimeo.com/video/\(videoID)?dnt=1"
        }
    }

    /// The video's own page, for feeds and the API.
    public var watchURL: String {
        switch provider {
        case .youtube: return "https://www.youtube.com/watch?v=\(videoID)"
        case .vimeo: return "https://vimeo.com/\(videoID)"
        }
    }

    /// The iframe for a post page.
    public func iframe(title: String) -> HTML {
        """
        <div class="video-embed"><iframe src="\(url: embedURL)" title="\(title)" width="640" height="360" \
        loading="lazy" referrerpolicy="strict-origin-when-cross-origin" \
        allow="encrypted-media; picture-in-picture; fullscreen" allowfullscreen \
        sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"></iframe></div>
        """
    }

    /// Why a pasted address was refused.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAURL
        case providerNotAllowed(host: String, allowed: [Provider])
        case noVideoID(Provider)

        public var description: String {
            switch self {
            case .notAURL:
                return "Paste the address of the video's page, starting with https://."
            case .providerNotAllowed(let host, let allowed):
                let names = allowed.map(\.displayName)
                let list = names.isEmpty ? "no provider" : names.joined(separator: " or ")
                return "Videos from \(host.isEmpty ? "that address" : host) cannot be embedded; use a link to \(list)."
            case .noVideoID(let provider):
                return "That \(provider.displayName) address does not name a video. Copy the address of the video's page."
            }
        }
    }

    private static let youtubeHosts: Set<String> = [
        "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    ]
    private static let vimeoHosts: Set<String> = ["vimeo.com", "www.vimeo.com", "player.vimeo.com"]

    /// Parses what an author pasted: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed/ID,
    /// youtube.com/shorts/ID, vimeo.com/ID, vimeo.com/channels/NAME/ID, player.vimeo.com/video/ID.
    public static func parse(_ text: String, allowed: [Provider]) throws(ParseError) -> VideoEmbed {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host?.lowercased(), !host.isEmpty
        else { throw .notAURL }
        let segments = components.path.split(separator: "/").map(String.init)
        let provider: Provider
        var candidate: String?
        if youtubeHosts.contains(host) || host == "youtu.be" {
            provider = .youtube
            if host == "youtu.be" {
                candidate = segments.first
            } else if segments.first == "watch" {
                candidate = components.queryItems?.first { $0.name == "v" }?.value
            } else if segments.count >= 2, ["embed", "shorts", "live", "v"].contains(segments[0]) {
                candidate = segments[1]
            }
            guard let id = candidate, isYouTubeID(id) else {
                try checkAllowed(provider, host: host, allowed: allowed)
                throw .noVideoID(provider)
            }
            candidate = id
        } else if vimeoHosts.contains(host) {
            provider = .vimeo
            if host == "player.vimeo.com" {
                candidate = segments.count >= 2 && segments[0] == "video" ? segments[1] : nil
            } else {
                candidate = segments.last
            }
            guard let id = candidate, isVimeoID(id) else {
                try checkAllowed(provider, host: host, allowed: allowed)
                throw .noVideoID(provider)
            }
            candidate = id
        } else {
            throw .providerNotAllowed(host: host, allowed: allowed)
        }
        try checkAllowed(provider, host: host, allowed: allowed)
        guard let videoID = candidate else { throw .noVideoID(provider) }
        return VideoEmbed(provider: provider, videoID: videoID)
    }

    private static func checkAllowed(_ provider: Provider, host: String, allowed: [Provider]) throws(ParseError) {
        if !allowed.contains(provider) { throw .providerNotAllowed(host: host, allowed: allowed) }
    }

    /// YouTube IDs are 11 characters of [A-Za-z0-9_-].
    static func isYouTubeID(_ id: String) -> Bool {
        id.utf8.count == 11
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }

    /// Vimeo IDs are numbers.
    static func isVimeoID(_ id: String) -> Bool {
        (1...12).contains(id.count) && id.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether a stored provider/ID pair is still well formed (rows are checked again on read).
    var isWellFormed: Bool {
        provider == .youtube ? Self.isYouTubeID(videoID) : Self.isVimeoID(videoID)
    }
}
