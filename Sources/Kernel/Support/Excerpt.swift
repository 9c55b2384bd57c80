import Foundation
import Markdown

/// The short plain text that stands for a longer piece of writing in lists, activity lines,
/// moderation cases and mail: the first paragraph only, cut at a word with an ellipsis.
///
/// ```swift
/// Excerpt.make("**Phonics** first.\n\nThen maths.", length: 200)    // "Phonics first."
/// Excerpt.plain("A status someone typed", length: 10)                // "A status…"
/// ```
public enum Excerpt {
    /// From Markdown (posts, comments, discussions, descriptions).
    public static func make(_ markdown: String, length: Int) -> String {
        cut(Markdown.firstParagraphText(markdown), length: length)
    }

    /// From plain text (statuses, report comments): its first paragraph, with line breaks and
    /// runs of spaces as single spaces.
    public static func plain(_ text: String, length: Int) -> String {
        var firstParagraph: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let isBlank = line.allSatisfy(\.isWhitespace)
            if isBlank, !firstParagraph.isEmpty { break }
            if !isBlank { firstParagraph.append(line) }
        }
        let joined = firstParagraph.joined(separator: " ").split(whereSeparator: \.isWhitespace)
        return cut(joined.joined(separator: " "), length: length)
    }

    /// At most `length` characters and an ellipsis, ending at a word (mid-word only when the
    /// first word alone is longer), without the punctuation the cut leaves dangling.
    public static func cut(_ text: String, length: Int) -> String {
        guard text.count > length else { return text }
        let prefix = text.prefix(max(0, length))
        let nextIsSpace = text.dropFirst(prefix.count).first?.isWhitespace ?? true
        var kept = prefix[...]
        if !nextIsSpace, let space = prefix.lastIndex(where: \.isWhitespace) { kept = prefix[..<space] }
        while let last = kept.last, last.isWhitespace || last.isPunctuation { kept = kept.dropLast() }
        return kept + "…"
    }
}
