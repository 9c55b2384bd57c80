import Foundation
import Testing

@testable import Storage

/// `cached_bm25`: FTS5's BM25 with each phrase's document frequency cached per generation.
@Suite struct FullTextRankingTests {
    /// A database with an FTS5 table `t (title, body)` holding `rows` (title, body).
    static func database(_ rows: [(String, String)]) throws -> Database {
        let db = try makeDatabase()
        try db.write { db in
            try db.executeScript(
                "CREATE VIRTUAL TABLE t USING fts5 (title, body, tokenize = 'porter unicode61')")
            try insert(rows, in: db)
        }
        return db
    }

    static func insert(_ rows: [(String, String)], in db: Connection) throws {
        for (title, body) in rows {
            try db.execute("INSERT INTO t (title, body) VALUES (?, ?)", [title, body])
        }
    }

    /// Each matching row's (rowid, built-in bm25, cached_bm25) for `expression`.
    static func scores(
        _ expression: String, phrases: [String], generation: Int64?, in db: Connection
    ) throws -> [(id: Int64, builtIn: Double, cached: Double)] {
        try db.query(
            """
            SELECT rowid, bm25(t, 10.0, 1.0) AS built_in,
                \(FullTextRanking.functionName)(t, 't', ?, ?, 10.0, 1.0) AS cached
            FROM t WHERE t MATCH ? ORDER BY rowid
            """, [generation, phrases.joined(separator: "\n"), expression]
        ) { (try $0.value("rowid"), try $0.value("built_in"), try $0.value("cached")) }
    }

    /// Rowids best first by `cached_bm25`.
    static func ranked(_ expression: String, phrases: [String], generation: Int64, in db: Database) throws
        -> [Int64]
    {
        try db.read { db in
            try scores(expression, phrases: phrases, generation: generation, in: db)
                .sorted { $0.cached < $1.cached }.map(\.id)
        }
    }

    /// 200 rows of words drawn by a fixed generator: titles of 1–3 words, bodies of 3–30.
    static let corpus: [(String, String)] = {
        let words = [
            "phonics", "reading", "workshop", "year", "two", "maths", "mastery", "science", "trip", "lesson",
            "plan", "ideas",
        ]
        var state: UInt64 = 2_026
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func text(_ count: Int) -> String {
            (0..<count).map { _ in words[next(words.count)] }.joined(separator: " ")
        }
        return (0..<200).map { _ in (text(1 + next(3)), text(3 + next(28))) }
    }()

    @Test func scoresLikeTheBuiltInBM25ForEveryKindOfExpression() throws {
        let db = try Self.database(Self.corpus)
        let queries: [(String, [String])] = [
            (#""phonics""#, ["phonics"]),
            (#""phonics" AND "workshop""#, ["phonics", "workshop"]),
            (#""year two" AND "maths""#, ["year two", "maths"]),
            (
                #"("reading" AND "trip") NOT ("science" OR "mastery")"#,
                ["reading", "trip", "science", "mastery"]
            ),
            (#""phonics" OR "science""#, ["phonics", "science"]),
            // The same phrases at other places: a phrase keyed to another's place would show.
            (#""workshop" AND "year two" NOT "mastery""#, ["workshop", "year two", "mastery"]),
        ]
        // All through one cache at one generation; twice, the second time from the cache.
        for _ in 0..<2 {
            for (expression, phrases) in queries {
                let rows = try db.read {
                    try Self.scores(expression, phrases: phrases, generation: 1, in: $0)
                }
                #expect(!rows.isEmpty, "\(expression) matches nothing")
                for row in rows {
                    #expect(row.cached == row.builtIn, "\(expression), row \(row.id)")
                }
            }
        }
    }

    /// `cached_bm25_sized` with each row's length kept beside it (from `fts5_docsize_tokens`)
    /// scores as bm25() does; a NULL length is looked up as `cached_bm25` does; a wrong length
    /// changes the score (so the argument is what is used).
    @Test func theSizedFormScoresLikeBM25WithTheLengthsKeptBesideTheRows() throws {
        let db = try Self.database(Self.corpus)
        try db.write { db in
            try db.executeScript("CREATE TABLE lengths (id INTEGER PRIMARY KEY, tokens INTEGER)")
            try db.execute(
                "INSERT INTO lengths (id, tokens) SELECT id, \(FullTextRanking.lengthFunctionName)(sz) FROM t_docsize"
            )
            // A row without its length: the sized form looks it up.
            try db.execute("UPDATE lengths SET tokens = NULL WHERE id = 7")
        }
        let expressions = [#""phonics""#, #""phonics" AND "workshop""#, #""year two" OR "maths""#]
        let phrases = [["phonics"], ["phonics", "workshop"], ["year two", "maths"]]
        for (expression, phrases) in zip(expressions, phrases) {
            for tokens in ["l.tokens", "l.tokens + 3"] {
                let rows = try db.read { db in
                    try db.query(
                        """
                        SELECT t.rowid AS id, bm25(t, 10.0, 1.0) AS built_in,
                            \(FullTextRanking.sizedFunctionName)(t, 't', 1, ?, \(tokens), 10.0, 1.0) AS sized
                        FROM t JOIN lengths l ON l.id = t.rowid WHERE t MATCH ? ORDER BY t.rowid
                        """, [phrases.joined(separator: "\n"), expression]
                    ) {
                        (
                            id: try $0.value("id") as Int64, builtIn: try $0.value("built_in") as Double,
                            sized: try $0.value("sized") as Double
                        )
                    }
                }
                #expect(rows.count > 3, "\(expression)")
                for row in rows where tokens == "l.tokens" || row.id == 7 {
                    #expect(row.sized == row.builtIn, "\(expression), row \(row.id)")
                }
                if tokens != "l.tokens" {
                    #expect(rows.contains { $0.id != 7 && $0.sized != $0.builtIn }, "\(expression)")
                }
            }
        }
    }

    @Test func docsizeVarintsAddUp() {
        func sum(_ bytes: [UInt8]) -> Int64? { bytes.withUnsafeBytes { FullTextRanking.sumOfVarints($0) } }
        #expect(sum([]) == 0)
        #expect(sum([3, 0x7F]) == 130)
        #expect(sum([0x81, 0x00, 5]) == 133)  // 128 in two bytes, then 5
        #expect(sum([0x82, 0x80, 0x01]) == 32_769)  // 2 × 16,384 + 1
        #expect(
            sum([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
                == Int64(bitPattern: 0xFFFF_FFFF_FFFF_FF01))
        #expect(sum([0x81]) == nil)  // cut short
    }

    @Test func ranksTitlesAboveBodies() throws {
        let db = try Self.database(
            [
                ("notes", "a long afternoon about phonics and reading"),
                ("phonics", "a long afternoon about notes and reading"),
            ] + (0..<4).map { ("reading \($0)", "nothing else here at all") })
        #expect(try Self.ranked(#""phonics""#, phrases: ["phonics"], generation: 1, in: db) == [2, 1])
    }

    @Test func ranksRareTermsAboveCommonOnes() throws {
        // "mastery" is in one row, "maths" in five: a row with the rare word ranks first.
        var rows = [("one", "maths lesson plan"), ("two", "mastery lesson plan")]
        rows += (0..<4).map { ("filler \($0)", "maths everywhere") }
        let db = try Self.database(rows)
        let order = try Self.ranked(
            #""maths" OR "mastery""#, phrases: ["maths", "mastery"], generation: 1, in: db)
        #expect(order.first == 2)
        #expect(Set(order) == [1, 2, 3, 4, 5, 6])
    }

    @Test func refreshesCachedFrequenciesWhenTheGenerationMoves() throws {
        let db = try Self.database(Self.corpus)
        let expression = #""phonics" AND "workshop""#
        let phrases = ["phonics", "workshop"]
        let before = try db.read { try Self.scores(expression, phrases: phrases, generation: 1, in: $0) }
        #expect(before.allSatisfy { $0.cached == $0.builtIn })

        // Many more rows with "phonics": its frequency moves, and with it every score.
        try db.write { db in
            try Self.insert((0..<40).map { ("more \($0)", "phonics again") }, in: db)
            // The writer never uses the cache (its rows could still roll back).
            let inside = try Self.scores(expression, phrases: phrases, generation: 1, in: db)
            #expect(inside.allSatisfy { $0.cached == $0.builtIn })
        }
        // Still at generation 1, the cached frequencies are used: the scores differ from bm25().
        let stale = try db.read { try Self.scores(expression, phrases: phrases, generation: 1, in: $0) }
        #expect(stale.contains { $0.cached != $0.builtIn })
        // Generation 2 counts again.
        let fresh = try db.read { try Self.scores(expression, phrases: phrases, generation: 2, in: $0) }
        #expect(!fresh.isEmpty && fresh.allSatisfy { $0.cached == $0.builtIn })
        // An older snapshot's generation is ranked without the cache, not from generation 2's.
        let older = try db.read { try Self.scores(expression, phrases: phrases, generation: 1, in: $0) }
        #expect(older.allSatisfy { $0.cached == $0.builtIn })
    }

    @Test func ranksWithoutTheCacheWhenItCannotKeyThePhrases() throws {
        let db = try Self.database(Self.corpus)
        let expression = #""phonics" AND "workshop""#
        _ = try db.read {
            try Self.scores(expression, phrases: ["phonics", "workshop"], generation: 1, in: $0)
        }
        try db.write { try Self.insert((0..<40).map { ("more \($0)", "phonics again") }, in: $0) }
        // No generation, or phrases that do not match the expression's: counted, as bm25() does.
        for (phrases, generation) in [(["phonics", "workshop"], nil), (["phonics"], 1)]
            as [([String], Int64?)]
        {
            let rows = try db.read {
                try Self.scores(expression, phrases: phrases, generation: generation, in: $0)
            }
            #expect(!rows.isEmpty && rows.allSatisfy { $0.cached == $0.builtIn })
        }
    }

    @Test func keepsEachDatabasesStatisticsApart() throws {
        let first = try Self.database(Self.corpus)
        let second = try Self.database(Self.corpus + (0..<40).map { ("more \($0)", "phonics again") })
        let expression = #""phonics" AND "workshop""#
        for db in [first, second] {
            let rows = try db.read {
                try Self.scores(expression, phrases: ["phonics", "workshop"], generation: 1, in: $0)
            }
            #expect(!rows.isEmpty && rows.allSatisfy { $0.cached == $0.builtIn })
        }
    }

    @Test func rejectsACallWithoutItsArguments() throws {
        let db = try Self.database(Self.corpus)
        #expect(throws: StorageError.self) {
            try db.read { db in
                try db.query("SELECT \(FullTextRanking.functionName)(t) FROM t WHERE t MATCH 'phonics'") {
                    try $0.value(column: 0) as Double
                }
            }
        }
    }
}
