import Foundation
import Markdown

/// The short plain text that stands for a longer piece of writing in lists, activity lines,
/// moderation cases and mail: the first paragraph, then the blocks after it while there is
/// room (as Discourse's excerpts do), each block ending in a sentence break so that a heading
/// never runs into the text around it; cut at a word with an ellipsis.
///
/// ```swift
/// Excerpt.make("**Phonics** first.\n\n## Then\n\nMaths.", length: 200)   // "Phonics first. Then. Maths."
/// Excerpt.plain("A status someone typed", length: 10)                    // "A status…"
/// ```
public enum Excerpt {
    /// From Markdown (posts, comments, discussions, descriptions). Headings before the first
    /// paragraph are left out (they mostly repeat the title), unless there is nothing else.
    public static func make(_ markdown: String, length: Int) -> String {
        var blocks = Markdown.leadingTextBlocks(markdown, characters: length + 1)
        if let firstParagraph = blocks.firstIndex(where: { !$0.isHeading }) {
            blocks.removeFirst(firstParagraph)
        } else {
            blocks = Array(blocks.prefix(1))
        }
        var text = ""
        for block in blocks {
            if !text.isEmpty {
                if !endsSentence(text) { text += "." }
                text += " "
            }
            text += block.text
        }
        return cut(text, length: length)
    }

    /// Whether `text` already ends a sentence or a clause, closing quotes and brackets aside
    /// ("maths.”" does; "What we tried" does not).
    static func endsSentence(_ text: String) -> Bool {
        guard let last = text.last(where: { !")]”’\"'»".contains($0) }) else { return true }
        return ".!?…:;".contains(last)
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
