import CSQLite

/// `marked_snippet`, an FTS5 function registered on every SQLite connection beside
/// ``FullTextRanking``: the row's best window of text around the query's matches, with each match
/// between U+E000 and U+E001 and "…" where the window cuts the text.
///
/// ```sql
/// SELECT rowid, marked_snippet(search_text, 24, 2, 1) FROM search_text WHERE search_text MATCH ?
/// ```
///
/// - `24`: the most tokens a snippet holds.
/// - then columns in order of preference: the first of them holding a match gives the snippet;
///   when none does, the first column's opening words.
///
/// The same text as FTS5's `snippet(table, column, char(57344), char(57345), '…', size)` for the
/// column chosen, with three differences that make it several times cheaper: one call serves
/// several columns (the matches of all of them are known before any text is read); the text is
/// cut into tokens once and only as far as a window can reach, where `snippet()` tokenizes each
/// column it is given from start to end, twice; and ASCII text is cut without the tokenizer
/// (which stems every token) when the table's tokenizer is found to cut it the same way
/// (unicode61's runs of letters and digits). The window is chosen as `snippet()` chooses it:
/// a thousand points for each distinct phrase in it and one for each further match, a window
/// starting a sentence (after "." or ":") 100 more and one starting the text 120; a window
/// starting at a match is centred on the matches it holds and kept inside the text; the first of
/// equal scores wins.
public enum FullTextSnippet {
    public static let functionName = "marked_snippet"
    static let open: [UInt8] = Array("\u{E000}".utf8)
    static let close: [UInt8] = Array("\u{E001}".utf8)
    static let ellipsis: [UInt8] = Array("…".utf8)

    /// The same snippet from the matches the ranking pass recorded (``FullTextPositions``), for a
    /// query that looks rows up by rowid instead of matching the expression again.
    public static let recordedFunctionName = "marked_snippet_at"

    static func register(on handle: OpaquePointer, positions: FullTextPositions) {
        guard let api = FullTextRanking.fts5API(of: handle), let create = api.pointee.xCreateFunction else {
            return
        }
        _ = create(api, functionName, nil, snippetFunction, nil)
        let context = Unmanaged.passRetained(positions).toOpaque()
        if create(api, recordedFunctionName, context, recordedSnippetFunction, releasePositions) != SQLITE_OK
        {
            Unmanaged<FullTextPositions>.fromOpaque(context).release()
        }
    }

    /// One phrase's match in the column: its first token and how many tokens it spans.
    struct Match: Equatable {
        var start: Int
        var length: Int
        var phrase: Int
        var end: Int { start + length - 1 }
    }

    /// The first token of the best window of `size` tokens over `matches` (in token order) in a
    /// column of `length` tokens, given the tokens that begin sentences (the first among them).
    static func window(for matches: [Match], size: Int, length: Int, sentenceStarts: [Int]) -> Int {
        var best = (score: 0, start: 0)
        for match in matches {
            let (score, first, last) = Self.score(matches, from: match.start, size: size)
            var start = first - (size - (last - first)) / 2
            if start + size > length { start = length - size }
            if score > best.score { best = (score, max(0, start)) }
            guard !sentenceStarts.isEmpty, length > size else { continue }
            var index = 0
            while index < sentenceStarts.count - 1, sentenceStarts[index + 1] <= match.start { index += 1 }
            let sentence = sentenceStarts[index]
            guard sentence < match.start else { continue }
            let bonus = sentence == 0 ? 120 : 100
            let sentenceScore = Self.score(matches, from: sentence, size: size).score + bonus
            if sentenceScore > best.score { best = (sentenceScore, sentence) }
        }
        return best.start
    }

    /// The score of the window from `start`, its first match's token and the token after the
    /// phrase of its last match.
    private static func score(_ matches: [Match], from start: Int, size: Int) -> (
        score: Int, first: Int, last: Int
    ) {
        var seen: [Int] = []
        var score = 0
        var first = -1
        var last = 0
        for match in matches where match.start >= start && match.start < start + size {
            if seen.contains(match.phrase) {
                score += 1
            } else {
                score += 1000
                seen.append(match.phrase)
            }
            if first < 0 { first = match.start }
            last = match.start + match.length
        }
        return (score, first, last)
    }

    /// Matches that overlap merged into one run (marked as one), in token order.
    static func coalesced(_ matches: [Match]) -> [(start: Int, end: Int)] {
        var runs: [(start: Int, end: Int)] = []
        for match in matches {
            if let last = runs.last, match.start <= last.end {
                runs[runs.count - 1].end = max(last.end, match.end)
            } else {
                runs.append((match.start, match.end))
            }
        }
        return runs
    }

    /// The snippet's bytes: tokens `first...last` of `text` (byte ranges in `tokens`), the runs
    /// marked, "…" where the text goes on; the text before the first token or after the last
    /// one is kept when the window starts or ends the column (`columnTokens` long).
    static func write(
        _ text: UnsafeRawBufferPointer, tokens: [(start: Int, end: Int)], first: Int, last: Int,
        columnTokens: Int, runs: [(start: Int, end: Int)]
    ) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(text.count, 512) + 16)
        var copied = 0
        if first > 0 {
            output += ellipsis
            if first < tokens.count { copied = tokens[first].start }
        }
        var run = runs.firstIndex { $0.start >= first } ?? runs.count
        var isOpen = false
        let end = min(last, tokens.count - 1)
        if first <= end {
            for position in first...end {
                let token = tokens[position]
                if run < runs.count, position == runs[run].start, !isOpen {
                    output.append(contentsOf: text[copied..<max(copied, token.start)])
                    output += open
                    copied = token.start
                    isOpen = true
                }
                if run < runs.count, position == runs[run].end {
                    output.append(contentsOf: text[copied..<max(copied, token.end)])
                    copied = token.end
                    output += close
                    isOpen = false
                    run += 1
                }
            }
            output.append(contentsOf: text[copied..<max(copied, tokens[end].end)])
            copied = tokens[end].end
            if isOpen { output += close }
        }
        if last >= columnTokens - 1 {
            output.append(contentsOf: text[copied...])
        } else {
            output += ellipsis
        }
        return output
    }
}

/// What the tokenizer's callback collects: each token's bytes and the tokens beginning sentences,
/// up to `limit` tokens.
private final class TokenCollector {
    let text: UnsafeRawBufferPointer
    // One snippet's, on one thread, never held across a call back into this type: no run-time
    // exclusivity checks (they were most of `add`'s instructions).
    @exclusivity(unchecked) var limit: Int
    @exclusivity(unchecked) var tokens: [(start: Int, end: Int)] = []
    @exclusivity(unchecked) var sentenceStarts: [Int] = []

    init(text: UnsafeRawBufferPointer, limit: Int) {
        self.text = text
        self.limit = limit
        tokens.reserveCapacity(min(limit, 128))
    }

    /// False once `limit` tokens are collected.
    func add(start: Int, end: Int) -> Bool {
        let position = tokens.count
        if position == 0 {
            sentenceStarts.append(0)
        } else {
            // A sentence begins after "." or ":" and white space.
            var index = start - 1
            while index >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(text[index]) { index -= 1 }
            if index != start - 1, index >= 0, text[index] == 0x2E || text[index] == 0x3A {
                sentenceStarts.append(position)
            }
        }
        tokens.append((start, end))
        return tokens.count < limit
    }

    /// Cuts ASCII text as unicode61 does (a token is a run of ASCII letters and digits) without
    /// calling the tokenizer, which stems every token on the way. False, with nothing kept, when a
    /// byte beyond ASCII comes first: then the tokenizer must decide.
    func scanASCII() -> Bool {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte >= 0x80 { return reset() }
            guard Self.isLetterOrDigit(byte) else {
                index += 1
                continue
            }
            let start = index
            while index < count, Self.isLetterOrDigit(text[index]) { index += 1 }
            if index < count, text[index] >= 0x80 { return reset() }
            if !add(start: start, end: index) { return true }
        }
        return true
    }

    private func reset() -> Bool {
        tokens.removeAll(keepingCapacity: true)
        sentenceStarts.removeAll()
        return false
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }
}

/// What a statement's snippets share (FTS5 auxiliary data): whether the table's tokenizer cuts
/// ASCII text as ``TokenCollector/scanASCII()`` does, found once by tokenizing a probe.
private final class SnippetQuery {
    /// Every printable ASCII character that is not a letter or digit, each between two letters,
    /// then every letter and digit in one run: a tokenizer with `tokenchars` or `separators`
    /// cuts this differently.
    static let probe: String = {
        let punctuation = (0x20...0x7E).map { UInt8($0) }.filter { !TokenCollector.isLetterOrDigit($0) }
        let between = punctuation.map { "a" + String(UnicodeScalar($0)) + "b" }.joined()
        return " \t" + between + "\n" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    }()
    let cutsASCIIAsUnicode61: Bool

    init(api: Fts5ExtensionApi, fts: OpaquePointer) {
        let bytes = Array(Self.probe.utf8)
        var agrees = false
        bytes.withUnsafeBytes { buffer in
            let expected = TokenCollector(text: buffer, limit: Int.max)
            _ = expected.scanASCII()
            let actual = TokenCollector(text: buffer, limit: Int.max)
            let code = api.xTokenize!(
                fts, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(buffer.count),
                Unmanaged.passUnretained(actual).toOpaque()
            ) { pointer, flags, _, _, start, end in
                guard let pointer else { return SQLITE_ERROR }
                if flags & FTS5_TOKEN_COLOCATED != 0 { return SQLITE_OK }
                _ = Unmanaged<TokenCollector>.fromOpaque(pointer).takeUnretainedValue().add(
                    start: Int(start), end: Int(end))
                return SQLITE_OK
            }
            agrees = code == SQLITE_OK && expected.tokens.elementsEqual(actual.tokens) { $0 == $1 }
        }
        cutsASCIIAsUnicode61 = agrees
    }

    static func of(api: Fts5ExtensionApi, fts: OpaquePointer) -> SnippetQuery? {
        if let existing = api.xGetAuxdata!(fts, 0) {
            return Unmanaged<SnippetQuery>.fromOpaque(existing).takeUnretainedValue()
        }
        let made = SnippetQuery(api: api, fts: fts)
        let pointer = Unmanaged.passRetained(made).toOpaque()
        // On failure FTS5 has already called the release: `made` is still held here.
        guard api.xSetAuxdata!(fts, pointer, releaseSnippetQuery) == SQLITE_OK else { return nil }
        return made
    }
}

private func releaseSnippetQuery(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<SnippetQuery>.fromOpaque(pointer).release()
}

private func snippetFunction(
    _ api: UnsafePointer<Fts5ExtensionApi>?, _ fts: OpaquePointer?, _ context: OpaquePointer?, _ count: Int32,
    _ values: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let api, let fts, let context else { return }
    let code = writeSnippet(
        api: api.pointee, fts: fts, context: context, values: values, count: Int(count), firstColumn: 1,
        recorded: nil)
    if code != SQLITE_OK { sqlite3_result_error_code(context, code) }
}

private func recordedSnippetFunction(
    _ api: UnsafePointer<Fts5ExtensionApi>?, _ fts: OpaquePointer?, _ context: OpaquePointer?, _ count: Int32,
    _ values: UnsafeMutablePointer<OpaquePointer?>?
) {
    guard let api, let fts, let context, let user = api.pointee.xUserData!(fts) else { return }
    guard count >= 3, let values else {
        sqlite3_result_error(
            context, "\(FullTextSnippet.recordedFunctionName) takes a size, the rowid and columns", -1)
        return
    }
    let positions = Unmanaged<FullTextPositions>.fromOpaque(user).takeUnretainedValue()
    // The rowid comes as an argument: FTS5's xRowid answers only in a MATCH query.
    let rowid = sqlite3_value_int64(values[1])
    let code = writeSnippet(
        api: api.pointee, fts: fts, context: context, values: values, count: Int(count), firstColumn: 2,
        recorded: (positions, rowid))
    if code != SQLITE_OK { sqlite3_result_error_code(context, code) }
}

private func releasePositions(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<FullTextPositions>.fromOpaque(pointer).release()
}

/// `values`: the size, then (for `marked_snippet_at`) the rowid, then from `firstColumn` the
/// columns. `recorded`: the matches come from what the ranking pass recorded for this row, not
/// from FTS5 (whose instances exist only in a MATCH query).
private func writeSnippet(
    api: Fts5ExtensionApi, fts: OpaquePointer, context: OpaquePointer,
    values: UnsafeMutablePointer<OpaquePointer?>?, count: Int, firstColumn: Int,
    recorded: (FullTextPositions, rowid: Int64)?
) -> Int32 {
    guard count > firstColumn, let values else {
        sqlite3_result_error(context, "\(FullTextSnippet.functionName) takes a size and columns", -1)
        return SQLITE_ERROR
    }
    let size = max(1, Int(sqlite3_value_int(values[0])))
    var code = SQLITE_OK
    // The first column named that holds a match, and its matches (instances come in order).
    var chosenRank = count
    var matches: [FullTextSnippet.Match] = []
    func consider(phrase: Int32, column: Int32, offset: Int32, length: Int32) {
        guard
            let rank = (firstColumn...min(chosenRank, count - 1)).first(where: {
                sqlite3_value_int(values[$0]) == column
            })
        else { return }
        if rank < chosenRank {
            chosenRank = rank
            matches.removeAll(keepingCapacity: true)
        }
        matches.append(FullTextSnippet.Match(start: Int(offset), length: Int(length), phrase: Int(phrase)))
    }
    if let (positions, rowid) = recorded {
        let sizes = positions.phraseSizes
        for instance in positions.rows[rowid] ?? [] {
            let length = Int(instance.phrase) < sizes.count ? sizes[Int(instance.phrase)] : 1
            consider(
                phrase: instance.phrase, column: instance.column, offset: instance.offset, length: length)
        }
    } else {
        var instances: Int32 = 0
        code = api.xInstCount!(fts, &instances)
        guard code == SQLITE_OK else { return code }
        var phrase: Int32 = 0
        var column: Int32 = 0
        var offset: Int32 = 0
        for instance in 0..<instances {
            code = api.xInst!(fts, instance, &phrase, &column, &offset)
            guard code == SQLITE_OK else { return code }
            consider(phrase: phrase, column: column, offset: offset, length: api.xPhraseSize!(fts, phrase))
        }
    }
    let chosen = sqlite3_value_int(values[chosenRank == count ? firstColumn : chosenRank])
    var characters: UnsafePointer<CChar>?
    var bytes: Int32 = 0
    code = api.xColumnText!(fts, chosen, &characters, &bytes)
    guard code == SQLITE_OK else { return code }
    guard let characters, bytes > 0 else {
        sqlite3_result_text(context, "", 0, csqlite_transient())
        return SQLITE_OK
    }
    let text = UnsafeRawBufferPointer(start: characters, count: Int(bytes))
    // No window reaches past the last match's token plus a window: the text is cut one token
    // further, since whether it goes on after that is all a snippet needs of its length (FTS5's
    // xColumnSize answers only in a MATCH query). Short ASCII text is cut to its end.
    let reach = max(1, (matches.map { $0.start + $0.length }.max() ?? 0) + size) + 1
    let fast: Bool
    if let (positions, _) = recorded {
        // A lookup by rowid starts FTS5's cursor again for each row, and its auxiliary data with
        // it: the probe's answer is kept for the recording instead (one table's rows in it).
        let probed = positions.cutsASCIIAsUnicode61 ?? SnippetQuery(api: api, fts: fts).cutsASCIIAsUnicode61
        if positions.isRecording { positions.cutsASCIIAsUnicode61 = probed }
        fast = probed
    } else {
        fast = SnippetQuery.of(api: api, fts: fts)?.cutsASCIIAsUnicode61 == true
    }
    let collector = TokenCollector(text: text, limit: fast && bytes <= 8_192 ? Int.max : reach)
    if !fast || !collector.scanASCII() {
        collector.limit = reach
        code = api.xTokenize!(fts, characters, bytes, Unmanaged.passUnretained(collector).toOpaque()) {
            pointer, flags, _, _, start, end in
            guard let pointer else { return SQLITE_ERROR }
            if flags & FTS5_TOKEN_COLOCATED != 0 { return SQLITE_OK }
            let collector = Unmanaged<TokenCollector>.fromOpaque(pointer).takeUnretainedValue()
            return collector.add(start: Int(start), end: Int(end)) ? SQLITE_OK : SQLITE_DONE
        }
        guard code == SQLITE_OK || code == SQLITE_DONE else { return code }
    }
    // Cut short, the text is longer than any window reaches: no window is moved back from its
    // end, and every one ends before it.
    let columnTokens = collector.tokens.count >= collector.limit ? Int.max : collector.tokens.count
    let first = FullTextSnippet.window(
        for: matches, size: size, length: columnTokens, sentenceStarts: collector.sentenceStarts)
    let output = FullTextSnippet.write(
        collector.text, tokens: collector.tokens, first: first, last: first + size - 1,
        columnTokens: columnTokens, runs: FullTextSnippet.coalesced(matches))
    output.withUnsafeBufferPointer { buffer in
        sqlite3_result_text(
            context, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
            Int32(buffer.count), csqlite_transient())
    }
    return SQLITE_OK
}
