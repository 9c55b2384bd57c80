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
        // Cut at the markers' scalars (comparing Characters would segment graphemes one by one).
        let open = Self.open.unicodeScalars.first!
        let close = Self.close.unicodeScalars.first!
        var pieces: [Piece] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var inside = false
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == open || scalar == close {
                if start < index {
                    pieces.append(Piece(text: String(scalars[start..<index]), isMatch: inside))
                }
                inside = scalar == open
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        if start < scalars.endIndex {
            pieces.append(Piece(text: String(scalars[start...]), isMatch: inside))
        }
        self.pieces = pieces
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
