import Foundation
import HTTP
import Kernel
import Markdown

/// An Atom 1.0 document (RFC 4287) for a list of posts. Every text is XML-escaped and
/// characters XML 1.0 forbids are dropped, so member text cannot break the document.
///
/// ```swift
/// let xml = AtomFeed(title: "Blog", id: base + "/blog", selfURL: base + "/blog/feed.atom",
///     pageURL: base + "/blog", base: base, updated: now, posts: posts).xml
/// ```
public struct AtomFeed: Sendable {
    public var title: String
    public var id: String
    public var selfURL: String
    public var pageURL: String
    public var base: String
    public var updated: Date
    public var posts: [BlogPost]

    public init(
        title: String, id: String, selfURL: String, pageURL: String, base: String, updated: Date,
        posts: [BlogPost]
    ) {
        self.title = title
        self.id = id
        self.selfURL = selfURL
        self.pageURL = pageURL
        self.base = base
        self.updated = updated
        self.posts = posts
    }

    public var xml: String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        out += "<id>\(Self.escape(id))</id>\n"
        out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(Self.escape(selfURL))\"/>\n"
        out += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(pageURL))\"/>\n"
        let newest = posts.map { $0.editedAt ?? $0.publishedAt ?? $0.updatedAt }.max() ?? updated
        out += "<updated>\(JSONValue.timestamp(newest))</updated>\n"
        out += "<generator>PLN</generator>\n"
        for post in posts {
            let link = base + post.path
            out += "<entry>\n"
            out += "<title>\(Self.escape(post.title))</title>\n"
            out += "<id>\(Self.escape(link))</id>\n"
            out += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.escape(link))\"/>\n"
            out += "<published>\(JSONValue.timestamp(post.publishedAt ?? post.createdAt))</published>\n"
            out +=
                "<updated>\(JSONValue.timestamp(post.editedAt ?? post.publishedAt ?? post.updatedAt))</updated>\n"
            out += "<author><name>\(Self.escape(post.authorName))</name>"
            out += "<uri>\(Self.escape(base + "/members/" + post.authorHandle))</uri></author>\n"
            for tag in post.tags {
                out += "<category term=\"\(Self.escape(tag))\"/>\n"
            }
            out += "<summary type=\"text\">\(Self.escape(post.excerpt))</summary>\n"
            var content = ""
            if let video = post.video {
                content +=
                    "<p><a href=\"\(HTML.escape(video.watchURL))\">Watch the video on \(video.provider.displayName)</a></p>"
            }
            content += MarkdownCache.html(post.body)
            out += "<content type=\"html\">\(Self.escape(content))</content>\n"
            out += "</entry>\n"
        }
        out += "</feed>\n"
        return out
    }

    /// Escapes for XML text and attribute values and drops characters XML 1.0 does not allow.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let value = scalar.value
                let allowed =
                    value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
