import Kernel

/// The post page, built with PLN's escaping HTML builder; its bytes equal PeerCore's
/// `PeerHTML.postPage` for the same row (same markup, same five escaped characters).
///
/// ```swift
/// let html = PeerPage.render(post: post, comments: comments)
/// return .html(html.text)
/// ```
enum PeerPage {
    static func render(post: PeerPost, comments: [PeerComment]) -> HTML {
        var page: HTML = """
            <!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n\
            <title>\(post.title) | Peer Blog</title>\n\
            <meta name="viewport" content="width=device-width, initial-scale=1">\n\
            <link rel="stylesheet" href="/static/site.css">\n</head>\n<body>\n\
            <header class="site"><a href="/">Peer Blog</a></header>\n<main>\n\
            <article class="post" id="post-\(post.id)">\n<h1>\(post.title)</h1>\n\
            <p class="byline">by <a href="/users/\(post.author)">\(post.author)</a> &middot; \
            \(post.views) views</p>\n<div class="body"><p>\(post.body)</p></div>\n</article>\n\
            <section class="comments">\n<h2>Latest comments (\(comments.count))</h2>\n<ol>\n
            """
        for comment in comments {
            page += """
                <li class="comment" id="c\(comment.id)"><p class="meta"><b>\(comment.author)</b> \
                <time>\(comment.createdAt)</time></p><p>\(comment.body)</p></li>\n
                """
        }
        page += "</ol>\n</section>\n</main>\n<footer>Peer Blog</footer>\n</body>\n</html>\n"
        return page
    }
}

/// JSON for the two API routes, written by hand: fixed key order, RFC 8259 string escaping
/// (quote, backslash and control characters escaped; other characters as UTF-8), so a post
/// reads back exactly as stored.
///
/// ```swift
/// PeerJSON.post(post)          // {"id":42,"title":"…","body":"…","author":"author42","views":0}
/// PeerJSON.views(7)            // {"views":7}
/// ```
enum PeerJSON {
    static func post(_ post: PeerPost) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(post.title.utf8.count + post.body.utf8.count + post.author.utf8.count + 96)
        out.append(contentsOf: #"{"id":"#.utf8)
        appendInteger(post.id, to: &out)
        out.append(contentsOf: #","title":"#.utf8)
        appendString(post.title, to: &out)
        out.append(contentsOf: #","body":"#.utf8)
        appendString(post.body, to: &out)
        out.append(contentsOf: #","author":"#.utf8)
        appendString(post.author, to: &out)
        out.append(contentsOf: #","views":"#.utf8)
        appendInteger(post.views, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func views(_ views: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        out.append(contentsOf: #"{"views":"#.utf8)
        appendInteger(views, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
