import CSQLite
import Foundation
import Synchronization

/// `cached_bm25`, an FTS5 ranking function registered on every SQLite connection: FTS5's own
/// `bm25()` (same formula, same column weights, same scores), except that the statistics it
/// needs about the whole table (how many rows hold each phrase, the row count, the average row
/// length) come from a cache kept per ``Database`` and per generation of the table, which the
/// caller names. `bm25()` counts, on its first row, every row holding each phrase of the query
/// (`xQueryPhrase` over the phrase's whole doclist): 1.6 ms for a word in 13,765 of 800,000
/// documents, though the query it was part of matched 38. With the cache a query costs in
/// proportion to its matches.
///
/// ```sql
/// SELECT rowid, cached_bm25(search_text, 'search_text', :generation, :phrases, 10.0, 4.0, 1.0) AS score
/// FROM search_text WHERE search_text MATCH '"phonics" AND "workshop"'
/// ```
///
/// - `'search_text'`: the cache's name for the table's statistics.
/// - `:generation`: a number the caller moves on in every transaction that changes the table,
///   read in the same snapshot as the query. Statistics are kept for one generation at a time;
///   NULL ranks without the cache.
/// - `:phrases`: the query's phrases in the order they stand in the expression (FTS5 numbers
///   them left to right, excluded ones included), one a line, each written so that two equal
///   lines match the same rows (their tokens). When the count differs from the expression's,
///   the function ranks without the cache.
/// - then the column weights, as for `bm25()`.
///
/// The cache is filled and read only on read-only connections: a write transaction sees rows
/// that may roll back, and its generation may then be reused for another state.
///
/// `cached_bm25_sized` takes one more argument before the weights: the row's length in tokens
/// (all columns), when the caller keeps it beside the row (`fts5_docsize_tokens` reads it from
/// the table's `docsize` at indexing time). FTS5 looks it up in `docsize` for each row otherwise,
/// a B-tree lookup per match (perf: a third of the ranking's cost). NULL falls back to that.
///
/// ```sql
/// SELECT d.id, cached_bm25_sized(search_text, 'search_text', :generation, :phrases, d.tokens, 10.0, 4.0, 1.0)
/// FROM search_text JOIN search_documents d ON d.id = search_text.rowid WHERE search_text MATCH :expression
/// UPDATE search_documents SET tokens = (SELECT fts5_docsize_tokens(sz) FROM search_text_docsize WHERE id = :id)
/// ```
public enum FullTextRanking {
    public static let functionName = "cached_bm25"
    public static let sizedFunctionName = "cached_bm25_sized"
    /// A row's length in tokens, all columns, from its `sz` in an FTS5 table's `docsize` (one
    /// varint a column, as FTS5 writes them): a plain SQL function. FTS5's own `xColumnSize`
    /// answers only in a MATCH query; outside one (a lookup by rowid) SQLite 3.40 gives 0.
    public static let lengthFunctionName = "fts5_docsize_tokens"

    /// Registers the function on `handle` with `statistics` as its cache. Silently does nothing
    /// when SQLite was built without FTS5.
    /// `positions`: where `cached_bm25_sized` records each row's matches while the connection
    /// records (``FullTextPositions``).
    static func register(
        on handle: OpaquePointer, statistics: FullTextStatistics, positions: FullTextPositions
    ) {
        guard let api = fts5API(of: handle), let create = api.pointee.xCreateFunction else { return }
        for (name, sized) in [(functionName, false), (sizedFunctionName, true)] {
            let function = RankingFunction(
                statistics: statistics, sized: sized, positions: sized ? positions : nil)
            let context = Unmanaged.passRetained(function).toOpaque()
            let code = create(api, name, context, rank, releaseFunction)
            if code != SQLITE_OK { Unmanaged<RankingFunction>.fromOpaque(context).release() }
        }
        _ = sqlite3_create_function_v2(
            handle, lengthFunctionName, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            documentLength, nil, nil, nil)
    }

    /// The sum of the varints in `bytes` (SQLite's varint: seven bits a byte, big-endian, the
    /// ninth byte whole); nil when the last one is cut short.
    static func sumOfVarints(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var total: Int64 = 0
        var index = 0
        while index < bytes.count {
            var value: UInt64 = 0
            var ended = false
            for position in 0..<9 {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                index += 1
                if position == 8 {
                    value = value << 8 | UInt64(byte)
                    ended = true
                    break
                }
                value = value << 7 | UInt64(byte & 0x7F)
                if byte < 0x80 {
                    ended = true
                    break
                }
            }
            guard ended else { return nil }
            total &+= Int64(truncatingIfNeeded: value)
        }
        return total
    }

    static let pointerType: StaticString = "fts5_api_ptr"

    /// FTS5's API, the documented way: `SELECT fts5(?1)` with a pointer bound to receive it.
    static func fts5API(of handle: OpaquePointer) -> UnsafeMutablePointer<fts5_api>? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK, let statement
        else { return nil }
        defer { sqlite3_finalize(statement) }
        let api = UnsafeMutablePointer<UnsafeMutablePointer<fts5_api>?>.allocate(capacity: 1)
        defer { api.deallocate() }
        api.initialize(to: nil)
        let type = UnsafeRawPointer(pointerType.utf8Start).assumingMemoryBound(to: CChar.self)
        guard sqlite3_bind_pointer(statement, 1, api, type, nil) == SQLITE_OK else { return nil }
        _ = sqlite3_step(statement)
        return api.pointee
    }
}

// The C callbacks: functions, not closures in globals, so they hold no state of their own.

/// What each ranking function is registered with: the statistics, and whether the row's length
/// comes as an argument.
private final class RankingFunction {
    let statistics: FullTextStatistics
    let sized: Bool
    let positions: FullTextPositions?

    init(statistics: FullTextStatistics, sized: Bool, positions: FullTextPositions?) {
        self.statistics = statistics
        self.sized = sized
        self.positions = positions
    }
}

private func releaseFunction(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<RankingFunction>.fromOpaque(pointer).release()
}

private func documentLength(
    _ context: OpaquePointer?, _ count: Int32, _ values: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let context, let value = values?[0], sqlite3_value_type(value) == SQLITE_BLOB else {
        sqlite3_result_null(context)
        return
    }
    let length = Int(sqlite3_value_bytes(value))
    let bytes = UnsafeRawBufferPointer(start: sqlite3_value_blob(value), count: length)
    if let total = FullTextRanking.sumOfVarints(bytes) {
        sqlite3_result_int64(context, total)
    } else {
        sqlite3_result_null(context)
    }
}

private func releaseQuery(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<RankedQuery>.fromOpaque(pointer).release()
}

/// Counts the rows `xQueryPhrase` visits into the `Int64` it is handed.
private func countRow(
    _ api: UnsafePointer<Fts5ExtensionApi>?, _ fts: OpaquePointer?, _ count: UnsafeMutableRawPointer?
) -> Int32 {
    count?.assumingMemoryBound(to: Int64.self).pointee += 1
    return SQLITE_OK
}

private func rank(
    _ api: UnsafePointer<Fts5ExtensionApi>?, _ fts: OpaquePointer?, _ context: OpaquePointer?, _ count: Int32,
    _ values: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let api, let fts, let context else { return }
    let code = RankedQuery.score(api: api, fts: fts, context: context, values: values, count: Int(count))
    if code != SQLITE_OK { sqlite3_result_error_code(context, code) }
}

/// What one statement's ranking keeps between rows (FTS5 auxiliary data): the weights, the
/// table's statistics, each phrase's IDF once a row has needed it.
private final class RankedQuery {
    static let k1 = 1.2
    static let b = 0.75

    let statistics: FullTextStatistics?
    let table: String
    let generation: Int64
    /// The phrases' cache keys, or nil when the cache is not used.
    let phrases: [String]?
    let weights: [Double]
    /// Which argument holds the row's length (`cached_bm25_sized`), if one does.
    let lengthArgument: Int?
    /// Where the rows' matches are recorded, when the connection records them.
    let positions: FullTextPositions?
    let rows: Int64
    let averageLength: Double
    /// Per phrase: its IDF (NaN until a row holds it) and its weighted count in this row.
    // Read and written by one statement's thread, never across a call back into this type:
    // no run-time exclusivity checks (two for every phrase of every row).
    @exclusivity(unchecked) var idf: [Double]
    @exclusivity(unchecked) var frequency: [Double]

    init(
        statistics: FullTextStatistics?, table: String, generation: Int64, phrases: [String]?,
        weights: [Double],
        rows: Int64, averageLength: Double, phraseCount: Int, lengthArgument: Int?,
        positions: FullTextPositions?
    ) {
        self.lengthArgument = lengthArgument
        self.positions = positions
        self.statistics = statistics
        self.table = table
        self.generation = generation
        self.phrases = phrases
        self.weights = weights
        self.rows = rows
        self.averageLength = averageLength
        idf = Array(repeating: .nan, count: phraseCount)
        frequency = Array(repeating: 0, count: phraseCount)
    }

    /// Scores the current row into `context`; returns an SQLite error code.
    static func score(
        api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, context: OpaquePointer,
        values: UnsafeMutablePointer<OpaquePointer?>?, count: Int
    ) -> Int32 {
        let query: RankedQuery
        if let existing = api.pointee.xGetAuxdata!(fts, 0) {
            query = Unmanaged<RankedQuery>.fromOpaque(existing).takeUnretainedValue()
        } else {
            var code = SQLITE_OK
            guard
                let made = make(
                    api: api, fts: fts, context: context, values: values, count: count, code: &code)
            else { return code }
            let pointer = Unmanaged.passRetained(made).toOpaque()
            code = api.pointee.xSetAuxdata!(fts, pointer, releaseQuery)
            // On failure FTS5 has already called releaseQuery: `made` is still held here.
            guard code == SQLITE_OK else { return code }
            query = made
        }
        return query.score(api: api, fts: fts, context: context, values: values)
    }

    private static func make(
        api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, context: OpaquePointer,
        values: UnsafeMutablePointer<OpaquePointer?>?, count: Int, code: inout Int32
    ) -> RankedQuery? {
        guard count >= 3, let values else {
            sqlite3_result_error(
                context,
                "\(FullTextRanking.functionName) takes the table, a cache name, a generation, the phrases",
                -1)
            code = SQLITE_ERROR
            return nil
        }
        let function = api.pointee.xUserData!(fts).map {
            Unmanaged<RankingFunction>.fromOpaque($0).takeUnretainedValue()
        }
        let sized = function?.sized == true
        guard !sized || count >= 4 else {
            sqlite3_result_error(
                context,
                "\(FullTextRanking.sizedFunctionName) takes the table, a cache name, a generation, "
                    + "the phrases, the row's length", -1)
            code = SQLITE_ERROR
            return nil
        }
        let phraseCount = Int(api.pointee.xPhraseCount!(fts))
        let name = text(values[0]) ?? ""
        let generation: Int64? =
            sqlite3_value_type(values[1]) == SQLITE_NULL ? nil : sqlite3_value_int64(values[1])
        var phrases = text(values[2]).map {
            $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if phrases?.count != phraseCount { phrases = nil }
        let firstWeight = sized ? 4 : 3
        let weights = (firstWeight..<max(firstWeight, count)).map { sqlite3_value_double(values[$0]) }
        // Only read-only connections see committed states alone (see FullTextRanking).
        let database = sqlite3_context_db_handle(context)
        let statistics: FullTextStatistics? =
            generation != nil && phrases != nil && sqlite3_db_readonly(database, "main") == 1
            ? function?.statistics : nil
        var totals = statistics?.totals(of: name, at: generation ?? 0)
        if totals == nil {
            var rows: Int64 = 0
            var tokens: Int64 = 0
            code = api.pointee.xRowCount!(fts, &rows)
            if code == SQLITE_OK { code = api.pointee.xColumnTotalSize!(fts, -1, &tokens) }
            guard code == SQLITE_OK else { return nil }
            totals = (rows, tokens)
            statistics?.store(totals: (rows, tokens), of: name, at: generation ?? 0)
        }
        let (rows, tokens) = totals ?? (0, 0)
        return RankedQuery(
            statistics: statistics, table: name, generation: generation ?? 0,
            phrases: statistics == nil ? nil : phrases,
            weights: weights, rows: rows, averageLength: Double(tokens) / Double(rows),
            phraseCount: phraseCount, lengthArgument: sized ? 3 : nil, positions: function?.positions)
    }

    private static func text(_ value: OpaquePointer?) -> String? {
        guard let characters = sqlite3_value_text(value) else { return nil }
        return String(cString: characters)
    }

    /// `bm25()`'s formula, term for term, so that the scores are the same to the last bit.
    private func score(
        api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, context: OpaquePointer,
        values: UnsafeMutablePointer<OpaquePointer?>?
    ) -> Int32 {
        for index in frequency.indices { frequency[index] = 0 }
        var instances: Int32 = 0
        var code = api.pointee.xInstCount!(fts, &instances)
        guard code == SQLITE_OK else { return code }
        var phrase: Int32 = 0
        var column: Int32 = 0
        var offset: Int32 = 0
        let recording = positions?.isRecording == true
        var recorded: [FullTextPositions.Instance] = []
        if recording { recorded.reserveCapacity(Int(instances)) }
        for instance in 0..<instances {
            code = api.pointee.xInst!(fts, instance, &phrase, &column, &offset)
            guard code == SQLITE_OK else { return code }
            frequency[Int(phrase)] += Int(column) < weights.count ? weights[Int(column)] : 1.0
            if recording { recorded.append(.init(phrase: phrase, column: column, offset: offset)) }
        }
        if recording { positions?.record(api: api, fts: fts, instances: recorded) }
        var length: Int32 = 0
        if let index = lengthArgument, let value = values?[index], sqlite3_value_type(value) == SQLITE_INTEGER
        {
            length = Int32(clamping: sqlite3_value_int64(value))
        } else {
            code = api.pointee.xColumnSize!(fts, -1, &length)
            guard code == SQLITE_OK else { return code }
        }
        let normalisation = Self.k1 * (1 - Self.b + Self.b * Double(length) / averageLength)
        var total = 0.0
        // A phrase absent from the row adds exactly 0 to bm25()'s sum: its IDF is not needed.
        for index in frequency.indices where frequency[index] != 0 {
            if idf[index].isNaN {
                code = inverseDocumentFrequency(of: index, api: api, fts: fts)
                guard code == SQLITE_OK else { return code }
            }
            total += idf[index] * ((frequency[index] * (Self.k1 + 1.0)) / (frequency[index] + normalisation))
        }
        sqlite3_result_double(context, -1.0 * total)
        return SQLITE_OK
    }

    private func inverseDocumentFrequency(
        of index: Int, api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer
    ) -> Int32 {
        let key = phrases?[index]
        var hits: Int64 = 0
        if let key, let cached = statistics?.documents(holding: key, in: table, at: generation) {
            hits = cached
        } else {
            let code = api.pointee.xQueryPhrase!(fts, Int32(index), &hits, countRow)
            guard code == SQLITE_OK else { return code }
            if let key { statistics?.store(documents: hits, holding: key, in: table, at: generation) }
        }
        let value = log((Double(rows - hits) + 0.5) / (Double(hits) + 0.5))
        idf[index] = value > 0 ? value : 1e-6  // bm25()'s floor (NaN included)
        return SQLITE_OK
    }
}

/// The statistics ``FullTextRanking`` keeps per table: for one generation of it, its row and
/// token counts and how many rows hold each phrase asked about. Shared by a database's
/// connections (hence the lock); a newer generation replaces an older one, and a reader of an
/// older snapshot neither reads nor stores.
final class FullTextStatistics: Sendable {
    private struct Table {
        var generation: Int64
        var totals: (rows: Int64, tokens: Int64)?
        var documents: [String: Int64] = [:]
    }

    /// Phrases kept per table and generation before the oldest are dropped (all at once).
    static let capacity = 20_000

    private let tables = Mutex<[String: Table]>([:])

    init() {}

    func totals(of table: String, at generation: Int64) -> (rows: Int64, tokens: Int64)? {
        tables.withLock { $0[table].flatMap { $0.generation == generation ? $0.totals : nil } }
    }

    func store(totals: (rows: Int64, tokens: Int64), of table: String, at generation: Int64) {
        update(table, at: generation) { $0.totals = totals }
    }

    func documents(holding phrase: String, in table: String, at generation: Int64) -> Int64? {
        tables.withLock { $0[table].flatMap { $0.generation == generation ? $0.documents[phrase] : nil } }
    }

    func store(documents: Int64, holding phrase: String, in table: String, at generation: Int64) {
        update(table, at: generation) { entry in
            if entry.documents.count >= Self.capacity { entry.documents.removeAll(keepingCapacity: true) }
            entry.documents[phrase] = documents
        }
    }

    /// Changes the table's entry where it is stored: a copy taken out and put back shared its
    /// dictionary of phrases, so every new phrase copied all of them (up to 20,000) while holding
    /// the lock every ranking query takes.
    private func update(_ table: String, at generation: Int64, _ change: (inout Table) -> Void) {
        tables.withLock { tables in
            let stored = tables[table]?.generation ?? generation
            guard generation >= stored else { return }
            if generation > stored || tables[table] == nil { tables[table] = Table(generation: generation) }
            change(&tables[table]!)
        }
    }
}
