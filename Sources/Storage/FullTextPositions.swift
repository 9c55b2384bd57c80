import CSQLite

/// Where each phrase of a full-text query matched in each row, kept by the ranking pass for the
/// snippets of the page shown: `cached_bm25_sized` records every row it scores while a
/// connection records (``Connection/recordingFullTextPositions(_:)``), and `marked_snippet_at`
/// makes a row's snippet from them in a lookup by rowid, without running the query's
/// expression a second time (perf: FTS5 ran the whole expression again to give `marked_snippet`
/// its positions, a fifth of an uncached search).
///
/// ```swift
/// try db.recordingFullTextPositions {
///     try db.forEach("SELECT rowid, cached_bm25_sized(t, 't', 1, ?, NULL, 1.0) FROM t WHERE t MATCH ?", …)
///     try db.forEach("SELECT marked_snippet_at(t, 24, t.rowid, 1) FROM t WHERE rowid IN (SELECT value FROM json_each(?))", …)
/// }
/// ```
///
/// One per connection (a connection is used by one thread at a time), shared by its two
/// functions. So its properties skip Swift's run-time exclusivity checks, which were a few per
/// cent of a search's instructions; no access to one spans a call that could reach it again.
final class FullTextPositions {
    struct Instance {
        var phrase: Int32
        var column: Int32
        var offset: Int32
    }

    @exclusivity(unchecked) var isRecording = false
    /// Each phrase's length in tokens, from the first row recorded.
    @exclusivity(unchecked) var phraseSizes: [Int32] = []
    /// Each recorded row's matches, in FTS5's instance order (column, then offset).
    @exclusivity(unchecked) var rows: [Int64: [Instance]] = [:]
    /// Whether the table's tokenizer cuts ASCII as unicode61 does, once `marked_snippet_at` has
    /// probed it in this recording (whose snippets all come from one table).
    @exclusivity(unchecked) var cutsASCIIAsUnicode61: Bool?

    func clear() {
        isRecording = false
        phraseSizes = []
        rows = [:]
        cutsASCIIAsUnicode61 = nil
    }

    /// Records the current row's instances (called by the ranking function, which has read them).
    func record(api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, instances: [Instance]) {
        if phraseSizes.isEmpty {
            phraseSizes = (0..<api.pointee.xPhraseCount!(fts)).map { api.pointee.xPhraseSize!(fts, $0) }
        }
        rows[api.pointee.xRowid!(fts)] = instances
    }
}

extension Connection {
    /// Runs `body` with this connection recording full-text positions (``FullTextPositions``);
    /// they are forgotten when it returns or throws. SQLite only: elsewhere `body` just runs.
    public func recordingFullTextPositions<T>(_ body: () throws -> T) rethrows -> T {
        guard let positions = fullTextPositions else { return try body() }
        positions.clear()
        positions.isRecording = true
        defer { positions.clear() }
        return try body()
    }
}
