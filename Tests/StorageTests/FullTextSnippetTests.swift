import Foundation
import Testing

@testable import Storage

/// `marked_snippet`: the best window around a row's matches, as FTS5's `snippet()` chooses it,
/// tokenizing only as far as the window's end.
@Suite struct FullTextSnippetTests {
    static func database(
        _ rows: [(keywords: String?, body: String?)],
        tokenizer: String = "porter unicode61 remove_diacritics 2"
    ) throws -> Database {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript(
                "CREATE VIRTUAL TABLE t USING fts5 (title, keywords, body, tokenize = \"\(tokenizer)\")")
            for row in rows {
                try db.execute(
                    "INSERT INTO t (title, keywords, body) VALUES ('', ?, ?)", [row.keywords, row.body])
            }
        }
        return db
    }

    /// Each matching row's snippet by `marked_snippet` (body first, then keywords), with the
    /// markers shown as brackets.
    static func snippets(_ expression: String, in db: Database, size: Int = 24) throws -> [String] {
        try each("\(FullTextSnippet.functionName)(t, ?, 2, 1)", expression, in: db, size: size)
    }

    /// `function` (taking the size as its parameter) of each row matching `expression`, bracketed.
    static func each(_ function: String, _ expression: String, in db: Database, size: Int) throws -> [String]
    {
        try db.read { db in
            try db.query("SELECT \(function) AS s FROM t WHERE t MATCH ? ORDER BY rowid", [size, expression])
            {
                bracketed(try $0.value("s"))
            }
        }
    }

    static func bracketed(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{E000}", with: "[").replacingOccurrences(of: "\u{E001}", with: "]")
    }

    /// Numbers below a bound from a fixed sequence (a linear congruential generator).
    static func generator(seed: UInt64) -> (Int) -> Int {
        var state = seed
        return { bound in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// 1–80 words of a small vocabulary, mostly apart, now and then after ",", ".", ":" or a line.
    static func randomText(_ next: (Int) -> Int) -> String {
        let vocabulary = ["phonics", "reading", "workshop", "year", "maths", "mastery", "science", "trip"]
        let separators = [", ", " ", ". ", ": ", ".\n"]
        return (0..<(1 + next(80))).map { _ in
            vocabulary[next(vocabulary.count)] + separators[next(5) == 0 ? next(5) : 0]
        }.joined()
    }

    static func words(_ prefix: String, _ count: Int) -> String {
        (0..<count).map { "\(prefix)\($0)" }.joined(separator: " ")
    }

    @Test func aShortTextIsMarkedWholeWithItsPunctuation() throws {
        let db = try Self.database([(nil, "Our phonics workshops, for Year-6.")])
        #expect(try Self.snippets("phonics", in: db) == ["Our [phonics] workshops, for Year-6."])
        // Stemmed: "workshop" finds and marks "workshops".
        #expect(try Self.snippets("workshop", in: db) == ["Our phonics [workshops], for Year-6."])
        // A phrase is one mark, the text between its words included.
        #expect(try Self.snippets("\"year 6\"", in: db) == ["Our phonics workshops, for [Year-6]."])
        #expect(
            try Self.snippets("phonics AND workshop", in: db) == ["Our [phonics] [workshops], for Year-6."])
    }

    @Test func aLongTextGivesTheWindowCentredOnTheMatchWithEllipses() throws {
        let db = try Self.database([
            (nil, Self.words("w", 60) + " phonics and workshop " + Self.words("v", 60) + ".")
        ])
        #expect(
            try Self.snippets("phonics", in: db) == [
                "…" + Self.words("w", 60).split(separator: " ").suffix(11).joined(separator: " ")
                    + " [phonics] and workshop " + Self.words("v", 10) + "…"
            ])
        // Near the end, the window keeps its size and ends with the text (no ellipsis after).
        let end = try Self.database([(nil, Self.words("w", 60) + " phonics.")])
        #expect(
            try Self.snippets("phonics", in: end) == [
                "…" + Self.words("w", 60).split(separator: " ").suffix(23).joined(separator: " ")
                    + " [phonics]."
            ])
    }

    @Test func theWindowWithMoreDistinctPhrasesWins() throws {
        let body =
            "phonics " + Self.words("a", 40) + " phonics phonics phonics " + Self.words("b", 40)
            + " workshop on phonics " + Self.words("c", 40)
        let db = try Self.database([(nil, body)])
        let snippet = try #require(try Self.snippets("phonics AND workshop", in: db).first)
        #expect(snippet.contains("[workshop] on [phonics]"))
        #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
        #expect(snippet.split(separator: " ").count == 24)
    }

    @Test func theKeywordsGiveTheSnippetWhenOnlyTheyMatchAndTheBodysOpeningWhenNeitherDoes() throws {
        let db = try Self.database([
            ("Computing, KS2", "Teaches in Leeds."),
            (nil, Self.words("w", 30)),
            ("phonics", nil),
        ])
        #expect(try Self.snippets("computing", in: db) == ["[Computing], KS2"])
        #expect(try Self.snippets("phonics", in: db) == ["[phonics]"])
        // The match is in the title alone: the body's first 24 tokens, unmarked.
        try db.write { try $0.execute("UPDATE t SET title = 'zebra' WHERE rowid = 2") }
        #expect(try Self.snippets("zebra", in: db) == [Self.words("w", 24) + "…"])
        try db.write { try $0.execute("UPDATE t SET title = 'quagga' WHERE rowid = 1") }
        #expect(try Self.snippets("quagga", in: db) == ["Teaches in Leeds."])
        try db.write { try $0.execute("UPDATE t SET title = 'okapi' WHERE rowid = 3") }
        #expect(try Self.snippets("okapi", in: db) == [""])
    }

    /// FTS5's own `snippet()` of the body, markers shown as brackets.
    static func builtIn(_ expression: String, in db: Database, size: Int = 24) throws -> [String] {
        try each("snippet(t, 2, char(57344), char(57345), '…', ?)", expression, in: db, size: size)
    }

    @Test func cutPhrasesOverlapsAndSentencesAsFTS5sSnippetHasThem() throws {
        let db = try Self.database([(nil, "one two three four five six")])
        // The window starting the text wins (120 points) and cuts the phrase: it is still closed.
        #expect(try Self.snippets("\"five six\"", in: db, size: 5) == ["one two three four [five]…"])
        #expect(try Self.snippets("\"two three\" AND \"three four\"", in: db, size: 2) == ["…[two three]…"])
        let sentences = try Self.database([
            (nil, Self.words("w", 30) + ". Our phonics workshop: " + Self.words("v", 30) + " phonics."),
            (nil, "Agenda:\n\n  " + Self.words("w", 40) + " maths and phonics " + Self.words("v", 5)),
            (nil, Self.words("w", 5) + " phonics phonics " + Self.words("v", 40) + " phonics workshop."),
        ])
        for (expression, size) in [
            ("phonics", 24), ("phonics", 5), ("workshop", 10), ("phonics AND workshop", 24), ("maths", 3),
            ("\"phonics workshop\"", 1), ("phonics OR maths", 8),
        ] {
            let ours = try Self.snippets(expression, in: sentences, size: size)
            #expect(
                ours == (try Self.builtIn(expression, in: sentences, size: size)), "\(expression) \(size)")
        }
        #expect(
            try Self.snippets("phonics", in: sentences, size: 6)[0] == "…Our [phonics] workshop: v0 v1 v2…")
    }

    /// Text beyond ASCII is cut by the table's tokenizer (a letter such as "ë" or "’" belongs to
    /// words or separates them as unicode61 decides), and so is any text when the tokenizer cuts
    /// ASCII differently from unicode61's default (here "-" inside words).
    @Test func textBeyondASCIIAndOtherTokenizersAreCutByTheTokenizer() throws {
        let texts: [(String?, String?)] = [
            (
                nil,
                "Zoë’s phonics café: naïve phonics—reading “phonics” ideas. " + Self.words("w", 30)
                    + " phonics"
            ),
            (nil, Self.words("w", 20) + " Year-6 phonics é " + Self.words("v", 20)),
            (nil, "Crème brûlée phonics, Year-6."),
            (nil, Self.words("w", 12) + " Year-6 well-being phonics " + Self.words("v", 12)),
        ]
        for tokenizer in ["porter unicode61 remove_diacritics 2", "unicode61 tokenchars '-'", "ascii"] {
            let db = try Self.database(texts, tokenizer: tokenizer)
            for (expression, size) in [
                ("phonics", 24), ("phonics", 6), ("\"year 6\"", 8), ("cafe OR zoe", 5),
            ] {
                let ours = try Self.snippets(expression, in: db, size: size)
                #expect(
                    ours == (try Self.builtIn(expression, in: db, size: size)),
                    "\(tokenizer): \(expression) \(size)")
            }
        }
    }

    /// Long texts are cut only as far as a window can reach (ASCII past 8 KB, or any text with a
    /// letter beyond ASCII), and then the column's length comes from the index: still the same
    /// snippet, also for a phrase longer than the window.
    @Test func longTextsCutOnlyAsFarAsAWindowReachesAgreeToo() throws {
        let long = Self.words("w", 2_000)
        let phrase = Self.words("p", 30)
        let db = try Self.database([
            (nil, "Early phonics. " + long + " late phonics workshop " + long),
            (nil, "Zoë on phonics " + long + " and é"),
            (nil, long + " " + phrase + " " + long),
            (nil, "phonics " + long + " phonics workshop café"),
        ])
        for (expression, size) in [
            ("phonics", 24), ("phonics AND workshop", 24), ("\"" + phrase + "\"", 24),
            ("\"" + phrase + "\"", 8),
            ("workshop OR zoe", 10),
        ] {
            let ours = try Self.snippets(expression, in: db, size: size)
            #expect(
                ours == (try Self.builtIn(expression, in: db, size: size)), "\(expression.prefix(20)) \(size)"
            )
        }
    }

    /// On texts of every length, with matches anywhere and sentences of every length, the same
    /// snippet as FTS5's `snippet()`.
    @Test func agreesWithFTS5sSnippetOnARandomCorpus() throws {
        let next = Self.generator(seed: 7)
        let rows = (0..<300).map { _ -> (String?, String?) in (nil, Self.randomText(next)) }
        let db = try Self.database(rows)
        for expression in [
            "phonics", "phonics AND workshop", "\"maths mastery\"", "trip AND year AND reading",
            "phonics OR science",
            "\"reading reading\"",
        ] {
            let expected = try Self.builtIn(expression, in: db)
            let ours = try Self.snippets(expression, in: db)
            #expect(ours.count == expected.count)
            let differing = zip(ours, expected).filter { $0 != $1 }
            #expect(differing.isEmpty, "\(expression): \(differing.prefix(3))")
        }
    }

    /// Each matching row's snippet made from the positions the ranking pass recorded
    /// (`cached_bm25_sized` while recording, then `marked_snippet_at` in a lookup by rowid).
    static func recorded(_ expression: String, in db: Database, size: Int = 24) throws -> [String] {
        try db.read { db in
            try db.recordingFullTextPositions {
                let ids = try db.query(
                    """
                    SELECT rowid, \(FullTextRanking.sizedFunctionName)(t, 't', NULL, NULL, NULL) AS score
                    FROM t WHERE t MATCH ? ORDER BY rowid
                    """, [expression]
                ) { try $0.value("rowid") as Int64 }
                let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                return try db.query(
                    """
                    SELECT \(FullTextSnippet.recordedFunctionName)(t, ?, t.rowid, 2, 1) AS s FROM t
                    WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY rowid
                    """, [size, list]
                ) { bracketed(try $0.value("s")) }
            }
        }
    }

    /// The snippets made from recorded positions, without matching again, are the ones
    /// `marked_snippet` makes in the MATCH query: on the random corpus, long and non-ASCII texts,
    /// phrases longer than the window, and rows where only the keywords match.
    @Test func snippetsFromRecordedPositionsAreTheSame() throws {
        let next = Self.generator(seed: 11)
        let long = Self.words("w", 2_000)
        let phrase = Self.words("p", 30)
        var rows: [(keywords: String?, body: String?)] = (0..<200).map { _ in
            (next(4) == 0 ? "trip science" : nil, Self.randomText(next))
        }
        rows += [
            (nil, "Early phonics. " + long + " late phonics workshop " + long),
            (nil, "Zoë on phonics " + long + " and é"), (nil, long + " " + phrase + " " + long),
            ("phonics workshop", "nothing here matches at all"), ("maths", nil),
        ]
        let db = try Self.database(rows)
        for (expression, size) in [
            ("phonics", 24), ("phonics AND workshop", 24), ("\"maths mastery\"", 24),
            ("phonics OR science", 10),
            ("trip AND year AND reading", 24), ("\"" + phrase + "\"", 8), ("workshop OR zoe", 10),
            ("maths", 24),
        ] {
            let ours = try Self.recorded(expression, in: db, size: size)
            let matched = try Self.each(
                "\(FullTextSnippet.functionName)(t, ?, 2, 1)", expression, in: db, size: size)
            #expect(!ours.isEmpty && ours.count == matched.count, "\(expression.prefix(20))")
            let differing = zip(ours, matched).filter { $0 != $1 }
            #expect(differing.isEmpty, "\(expression.prefix(20)) \(size): \(differing.prefix(2))")
        }
        // Outside the recording nothing is kept: a lookup then has no matches to mark.
        let after = try db.read { db in
            try db.query(
                "SELECT \(FullTextSnippet.recordedFunctionName)(t, 24, t.rowid, 2, 1) AS s FROM t WHERE rowid = 1",
                []
            ) { try $0.value("s") as String }
        }
        #expect(after.count == 1 && !after[0].contains("\u{E000}"))
    }
}
