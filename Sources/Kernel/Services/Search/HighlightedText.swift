import Foundation

/// A snippet: text in pieces, some marked as matching the query. Rendered by escaping each piece
/// (``html``), so member text never reaches a page raw; the markers the index puts around
/// matches are private-use characters stripped from everything indexed, so nobody can forge one.
///
/// ```swift
/// let snippet = HighlightedText(marked: "the \u{E000}phonics\u{E001} scheme")
/// snippet.html   // the <mark>phonics</mark> scheme
/// ```
public struct HighlightedText: Sendable, Equatable {
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var isMatch: Bool
    }

    public var pieces: [Piece]

    static let open: Character = "\u{E000}"
    static let close: Character = "\u{E001}"

    /// Removes the marker characters from text about to be indexed.
    static func clean(_ text: String) -> String {
        text.contains(where: { $0 == open || $0 == close })
            ? String(text.filter { $0 != open && $0 != close }) : text
    }

    public init(marked text: String) {
        // Cut at the markers' UTF-8 bytes (U+E000 is EE 80 80, U+E001 EE 80 81; neither byte
        // sequence can stand inside another character's), found on the contiguous bytes: by
        // scalars this was 4,000 instructions a snippet.
        var text = text
        self.pieces = text.withUTF8 { bytes in
            var pieces: [Piece] = []
            var start = 0
            var inside = false
            func cut(at end: Int) {
                guard start < end else { return }
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                pieces.append(Piece(text: String(decoding: piece, as: UTF8.self), isMatch: inside))
            }
            var index = 0
            while index + 2 < bytes.count {
                guard bytes[index] == 0xEE, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0x80 else {
                    index += 1
                    continue
                }
                cut(at: index)
                inside = bytes[index + 2] == 0x80
                index += 3
                start = index
            }
            cut(at: bytes.count)
            return pieces
        }
    }

    /// The text without marks.
    public var plain: String { pieces.map(\.text).joined() }

    /// The matched words, as they are written in the text.
    public var matches: [String] { pieces.filter(\.isMatch).map(\.text) }

    /// Escaped HTML with the matches in `<mark>`: each piece escaped into one string (through
    /// interpolation and a join, 10,000 instructions a snippet).
    public var html: HTML {
        var out = ""
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.text.utf8.count + 16 })
        for piece in pieces {
            if piece.isMatch { out += "<mark>" }
            HTML.escape(piece.text, into: &out)
            if piece.isMatch { out += "</mark>" }
        }
        return HTML(trustedRenderer: out)
    }
}
