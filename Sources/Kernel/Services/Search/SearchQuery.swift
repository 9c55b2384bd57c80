import Foundation

/// A member's query, parsed by our code: the text never reaches the index's query language as
/// typed. Words must all match, `"a phrase"` matches words in order, `-word` and `-"a phrase"`
/// exclude, `kind:blog`, `group:slug` and `author:handle` filter.
///
/// ```swift
/// let query = SearchQuery.parse(#"phonics "year 2" -reception kind:discussion"#)
/// query.words     // ["phonics"]
/// query.phrases   // [["year", "2"]]
/// query.kinds     // ["discussion"]
/// ```
public struct SearchQuery: Sendable, Equatable {
    /// Each entry matches as a phrase of its tokens; a plain word is a one-token phrase.
    public var required: [[String]] = []
    public var excluded: [[String]] = []
    public var kinds: [String] = []
    public var group: String?
    public var author: String?

    public static let maximumLength = 300
    public static let maximumTerms = 12

    public init() {}

    /// Plain words (one token each), for spelling suggestions.
    public var words: [String] { required.filter { $0.count == 1 }.map { $0[0] } }
    /// Phrases of more than one token.
    public var phrases: [[String]] { required.filter { $0.count > 1 } }
    /// Whether there is something to look for (filters alone are not enough).
    public var hasTerms: Bool { !required.isEmpty }

    /// Parses `text`; never fails: what cannot be understood is read as words.
    public static func parse(_ text: String) -> SearchQuery {
        // ASCII within the limit (nearly every query): one Character a byte, without breaking
        // the text into grapheme clusters (perf: half the parse). "\r\n" becomes two
        // characters instead of one; both are white space, so the query is the same.
        parse(
            characters: text.utf8.count <= maximumLength && text.utf8.allSatisfy({ $0 < 0x80 })
                ? text.utf8.map { Character(Unicode.Scalar($0)) } : Array(text.prefix(maximumLength)))
    }

    static func parse(characters: [Character]) -> SearchQuery {
        var query = SearchQuery()
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            var negated = false
            if character == "-", index + 1 < characters.count, !characters[index + 1].isWhitespace {
                negated = true
                index += 1
            }
            if characters[index] == "\"" {
                index += 1
                var phrase = ""
                while index < characters.count, characters[index] != "\"" {
                    phrase.append(characters[index])
                    index += 1
                }
                index += 1
                query.add(tokens(of: phrase), negated: negated)
                continue
            }
            var word = ""
            while index < characters.count, !characters[index].isWhitespace {
                word.append(characters[index])
                index += 1
            }
            if !negated, let colon = word.firstIndex(of: ":") {
                let key = word[..<colon].lowercased()
                let value = String(word[word.index(after: colon)...])
                if !value.isEmpty {
                    switch key {
                    case "kind", "in":
                        query.kinds.append(value.lowercased())
                        continue
                    case "group":
                        query.group = value.lowercased()
                        continue
                    case "author", "by":
                        query.author = value.lowercased().trimmingCharacters(
                            in: CharacterSet(charactersIn: "@"))
                        continue
                    default: break
                    }
                }
            }
            query.add(tokens(of: word), negated: negated)
        }
        return query
    }

    private mutating func add(_ tokens: [String], negated: Bool) {
        guard !tokens.isEmpty, required.count + excluded.count < Self.maximumTerms else { return }
        if negated {
            if !excluded.contains(tokens) { excluded.append(tokens) }
        } else if !required.contains(tokens) {
            required.append(tokens)
        }
    }

    /// Words too common to require ("who teaches computing in KS2" looks for "teaches",
    /// "computing", "ks2"). Dropped only while something else is left to look for.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "at", "about", "by", "do", "does", "for", "from", "how", "i", "in", "is",
        "it", "of", "on",
        "or", "that", "the", "this", "to", "what", "which", "who", "with", "where", "anyone", "someone",
    ]

    /// The query without stop words (when others remain).
    public var withoutStopWords: SearchQuery {
        var copy = self
        copy.required = required.filter { $0.count > 1 || !Self.stopWords.contains($0[0]) }
        return copy.required.isEmpty ? self : copy
    }

    /// The query without `words` (when others remain), or nil.
    public func removing(_ words: Set<String>) -> SearchQuery? {
        var copy = self
        copy.required = required.filter { $0.count > 1 || !words.contains($0[0]) }
        return copy.required.isEmpty || copy.required.count == required.count ? nil : copy
    }

    /// Lower-case letters and digits without diacritics, split where anything else stands: the
    /// same cut the index's tokenizer makes, so "Year-6" is the phrase "year 6".
    public static func tokens(of text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return foldedTokens(of: text) }
        // ASCII: folding is lowering A–Z, and letters and digits are [a-z0-9] (perf: Foundation's
        // folding cost 10,000 instructions a word).
        return text.utf8.split { !(0x30...0x39).contains($0) && !(0x41...0x5A).contains($0 & 0xDF) }.map {
            word in String(decoding: word.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
    }

    static func foldedTokens(of text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Lower case without diacritics ("Zoë" → "zoe"), as names are stored for trigram matching.
    public static func fold(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
    }

    /// The full-text expression for the words index: every token double-quoted (tokens hold
    /// only letters and digits, so no quote can close early), required terms joined by AND,
    /// excluded ones by NOT. Nil when nothing is required.
    public var fullTextExpression: String? {
        guard hasTerms else { return nil }
        let quote = { (tokens: [String]) in "\"" + tokens.joined(separator: " ") + "\"" }
        var expression = required.map(quote).joined(separator: " AND ")
        if !excluded.isEmpty {
            expression = "(\(expression)) NOT (\(excluded.map(quote).joined(separator: " OR ")))"
        }
        return expression
    }

    /// The phrases of ``fullTextExpression`` in the order they stand in it (required, then
    /// excluded), each as its tokens: what ranking needs to cache each phrase's frequency.
    public var fullTextPhrases: [String] {
        (required + excluded).map { $0.joined(separator: " ") }
    }

    /// The expression for the names index (trigrams): each required term must appear inside the
    /// name. Nil when a term is shorter than a trigram, or the query has none.
    public var nameExpression: String? {
        guard hasTerms else { return nil }
        let terms = required.map { $0.joined(separator: " ") }
        guard terms.allSatisfy({ $0.count >= 3 }) else { return nil }
        var expression = terms.map { "\"\($0)\"" }.joined(separator: " AND ")
        let excludedTerms = excluded.map { $0.joined(separator: " ") }.filter { $0.count >= 3 }
        if !excludedTerms.isEmpty {
            expression =
                "(\(expression)) NOT (\(excludedTerms.map { "\"\($0)\"" }.joined(separator: " OR ")))"
        }
        return expression
    }

    /// The query as a member would type it again, with `word` replaced by `replacement`.
    public func replacing(_ word: String, with replacement: String) -> SearchQuery {
        var copy = self
        copy.required = required.map { $0 == [word] ? [replacement] : $0 }
        return copy
    }

    /// Text that parses back to this query.
    public var text: String {
        var parts: [String] = required.map { $0.count == 1 ? $0[0] : "\"\($0.joined(separator: " "))\"" }
        parts += excluded.map { $0.count == 1 ? "-\($0[0])" : "-\"\($0.joined(separator: " "))\"" }
        parts += kinds.map { "kind:\($0)" }
        if let group { parts.append("group:\(group)") }
        if let author { parts.append("author:\(author)") }
        return parts.joined(separator: " ")
    }
}
