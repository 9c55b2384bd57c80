import Foundation
import Storage

/// Search: modules register the kinds of thing members can find, the kernel keeps the index in
/// step with every write (inside the writing transaction, from ``ContentEvent``s and explicit
/// ``reindex(_:in:)`` calls), and applies visibility when someone searches.
///
/// ```swift
/// context.searchable(BlogSearch.post(blog))                      // a module, in bootstrap
/// try services.search.reindex(SearchItem(kind: "member", id: 7), in: db)   // after a write no event covers
/// let results = try services.search.search("phonics -reception kind:discussion", viewer: ctx.viewer)
/// ```
public final class SearchService: Sendable {
    private struct Registry: Sendable {
        var kinds: [String: SearchableKind] = [:]
        var order: [String] = []
        /// The kinds in `order`, and what visitors may see of them, kept as they are registered:
        /// every search reads them several times (perf: made from `kinds` on each read, a search
        /// spent 100,000 instructions on them).
        var ordered: [SearchableKind] = []
        var visitorKinds: [String: Bool] = [:]
        var contributions: [String: [@Sendable (Int64, Connection) throws -> SearchContribution?]] = [:]
    }

    public let backend: any SearchBackend
    let database: Database
    private let registry = ReadMostly(Registry())
    private let facetCache: RefreshingCache<[FacetCount]>
    private let resultCache = SearchResultCache<SearchCacheKey, SearchResults>(capacity: 2_000)
    private let directoryCache = SearchResultCache<DirectoryCacheKey, [Int64]>(capacity: 2_000)
    /// The local day of this process's last nightly compaction (``compactIfNight(at:timeZone:pause:)``).
    let lastCompactionDay = ReadMostly(Int.min)
    init(database: Database, backend: any SearchBackend, log: Logger = .silent) {
        self.database = database
        self.backend = backend
        facetCache = RefreshingCache(
            maxAge: 60,
            onFailure: { key, error in
                log.warning("search facet refresh failed", ["facet": key, "error": "\(error)"])
            })
    }

    /// Set by ``Services`` once membership provides Identity (to resolve `author:` handles).
    func use(identity: @escaping @Sendable () -> IdentityBox?) {
        identityLookup.write { $0 = identity }
    }
    private let identityLookup = ReadMostly<@Sendable () -> IdentityBox?>({ nil })
    private func identity() -> (any Identity)? { identityLookup.read { $0 }()?.identity }

    // MARK: Registration

    /// Adds a kind (modules call it through ``ModuleContext/searchable(_:)``).
    public func register(_ kind: SearchableKind) {
        registry.write { registry in
            if registry.kinds[kind.kind] == nil { registry.order.append(kind.kind) }
            registry.kinds[kind.kind] = kind
            registry.ordered = registry.order.compactMap { registry.kinds[$0] }
            registry.visitorKinds = registry.kinds.compactMapValues(\.visitorsMaySee)
        }
    }

    /// Adds text and facets to every indexed item of `kind` (CPD adds expertise to members).
    public func contribute(
        to kind: String, _ contribution: @escaping @Sendable (Int64, Connection) throws -> SearchContribution?
    ) {
        registry.write { $0.contributions[kind, default: []].append(contribution) }
    }

    /// Registered kinds, in registration order.
    public var kinds: [SearchableKind] {
        registry.read { $0.ordered }
    }

    public func kind(_ id: String) -> SearchableKind? { registry.read { $0.kinds[id] } }

    /// Each kind that decides now whether visitors may find it (``SearchableKind/visitorsMaySee``).
    var visitorKinds: [String: Bool] {
        registry.read { $0.visitorKinds }
    }

    /// The kinds a `kind:` word names: a kind's id or one of its aliases; nil when none does.
    public func kinds(named word: String) -> [String]? {
        let word = word.lowercased()
        let found = registry.read { registry in
            registry.ordered.filter { $0.kind == word || $0.aliases.contains(word) }.map(\.kind)
        }
        return found.isEmpty ? nil : found
    }

    // MARK: Keeping the index in step

    /// Indexes `item` as its kind describes it now (or takes it out), inside the caller's write;
    /// then does the same for what hangs off it when `cascade` is set.
    public func reindex(_ item: SearchItem, cascade: Bool = true, in db: Connection) throws {
        try reindex(item, cascade: cascade, depth: 0, in: db)
    }

    private func reindex(_ item: SearchItem, cascade: Bool, depth: Int, in db: Connection) throws {
        guard let kind = kind(item.kind) else { return }
        if depth == 0 { try indexChanging(in: db) }
        if var document = try kind.document(item.id, db) {
            for contribution in registry.read({ $0.contributions[item.kind] ?? [] }) {
                guard let extra = try contribution(item.id, db) else { continue }
                document.keywords += extra.keywords.isEmpty ? "" : "\n" + extra.keywords
                document.body += extra.body.isEmpty ? "" : "\n" + extra.body
                document.facets += extra.facets
            }
            try backend.upsert(item, module: kind.module, document, in: db)
        } else {
            try backend.remove(item, in: db)
        }
        guard cascade, depth < 4 else { return }
        for dependent in try backend.dependents(of: item, in: db) {
            try reindex(dependent, cascade: true, depth: depth + 1, in: db)
        }
    }

    /// Moves the index's generation on, so answers cached before this write are not served
    /// once it commits (nor, inside it, to this transaction's own reads).
    func indexChanging(in db: Connection) throws {
        try backend.advanceGeneration(in: db)
    }

    /// Called by the event bus inside every write that publishes a ``ContentEvent``.
    func contentChanged(_ event: ContentEvent, in db: Connection) throws {
        try reindex(SearchItem(kind: event.kind, id: event.id), cascade: event.action != .created, in: db)
    }

    /// Takes out everything a module indexed (`pln admin modules purge`).
    public func forget(module: String, in db: Connection) throws {
        try indexChanging(in: db)
        try backend.removeAll(module: module, in: db)
    }

    /// After a member's standing changes (suspended, reinstated, account erased): indexes again
    /// the member and everything they wrote, so what was deleted leaves, a suspended member's
    /// content is found only by moderators, and what stays no longer carries an erased author.
    public func reindex(memberAndContentOf memberID: Int64, in db: Connection) throws {
        for item in try backend.items(authoredBy: memberID, in: db) { try reindex(item, in: db) }
        try reindex(SearchItem(kind: "member", id: memberID), in: db)
    }

    // MARK: Searching

    /// One page of results for `text` as `viewer` may see them. `kind` (a tab) narrows on top of
    /// any `kind:` in the text. A query with no results gets a ``SearchResults/suggestion``
    /// when a close word finds something the viewer may see.
    public func search(_ text: String, viewer: Viewer, kind: String? = nil, offset: Int = 0, limit: Int = 20)
        throws -> SearchResults
    {
        let query = SearchQuery.parse(text).withoutStopWords
        guard query.hasTerms else { return .empty }
        let key = SearchCacheKey(
            text: text, kind: kind, offset: offset, limit: limit, memberID: viewer.memberID,
            isModerator: viewer.isModerator, groupIDs: viewer.groupIDs)
        return try database.read { db in
            let generation = try backend.generation(in: db)
            if let generation, let cached = resultCache.value(for: key, at: generation) { return cached }
            let results = try uncachedSearch(
                query, viewer: viewer, kind: kind, offset: offset, limit: limit, in: db)
            if let generation { resultCache.store(results, for: key, at: generation) }
            return results
        }
    }

    private func uncachedSearch(
        _ query: SearchQuery, viewer: Viewer, kind: String?, offset: Int, limit: Int, in db: Connection
    ) throws -> SearchResults {
        guard var request = try request(for: query, viewer: viewer, kind: kind, in: db) else {
            return .empty
        }
        request.offset = max(0, offset)
        request.limit = PageSize.clamp(limit, to: 100)
        var results = SearchResults.empty
        // "the assessment post": look among posts for "assessment" first.
        if let hinted = try kindHinted(request, in: db) {
            results = try backend.search(hinted, in: db)
            if results.total > 0 { request = hinted }
        }
        if results.total == 0 { results = try backend.search(request, in: db) }
        if results.total == 0 && offset == 0 {
            results.suggestion = try suggestion(for: request, in: db)
        }
        return results
    }

    /// "that phonics discussion" means a discussion about phonics, not anything with both words:
    /// the same request with the words that name a kind taken out and the search narrowed to
    /// those kinds. Used when it finds something; otherwise the words are searched as words.
    private func kindHinted(_ request: SearchRequest, in db: Connection) throws -> SearchRequest? {
        var named: [String] = []
        var words: Set<String> = []
        for word in request.query.words {
            if let kinds = kinds(named: word) {
                named += kinds
                words.insert(word)
            }
        }
        guard let narrowed = request.query.removing(words) else { return nil }
        var hinted = request
        hinted.query = narrowed
        hinted.countedKinds = request.countedKinds.filter { named.contains($0) }
        hinted.kinds = hinted.countedKinds
        return hinted.kinds.isEmpty ? nil : hinted
    }

    private func request(for query: SearchQuery, viewer: Viewer, kind: String?, in db: Connection) throws
        -> SearchRequest?
    {
        let all = kinds.map(\.kind)
        var chosen = Set(all)
        for word in query.kinds {
            guard let named = kinds(named: word) else { return nil }
            chosen.formIntersection(named)
        }
        let counted = all.filter { chosen.contains($0) }
        var shown = counted
        if let kind {
            guard let named = kinds(named: kind) else { return nil }
            shown = counted.filter { named.contains($0) }
        }
        var authorID: Int64?? = nil
        if let handle = query.author {
            let person = try identity()?.person(handle: handle, in: db)
            authorID = .some(person.flatMap { $0.status == .deleted ? nil : $0.id })
        }
        return SearchRequest(
            query: query, viewer: viewer, kinds: shown.count == all.count ? [] : shown, countedKinds: counted,
            authorID: authorID, offset: 0, limit: 20, visitorKinds: visitorKinds)
    }

    /// Each word the index does not hold swapped for the closest one it does, kept only when the
    /// new query finds something this viewer may see (so a suggestion reveals nothing hidden).
    private func suggestion(for request: SearchRequest, in db: Connection) throws -> SearchQuery? {
        var corrected = request.query
        var changed = false
        for word in request.query.words {
            for candidate in try backend.vocabulary(near: word, in: db) {
                var attempt = request
                attempt.query = corrected.replacing(word, with: candidate.term)
                attempt.offset = 0
                attempt.limit = 1
                let found = try backend.search(attempt, in: db)
                guard let hit = found.hits.first, found.total > 0 else { continue }
                // Show the word as the text writes it ("phonics"), not its stem ("phonic").
                let written = (hit.snippet.matches + SearchQuery.tokens(of: hit.title))
                    .map { SearchQuery.fold($0) }.first { $0.hasPrefix(candidate.term) }
                corrected = corrected.replacing(word, with: written ?? candidate.term)
                changed = true
                break
            }
        }
        guard changed else { return nil }
        var check = request
        check.query = corrected
        check.limit = 1
        return try backend.search(check, in: db).total > 0 ? corrected : nil
    }

    /// Item ids of `kind` for a directory: every facet in `having`, none in `lacking`, matching
    /// `text` when given, by title.
    public func directory(
        kind: String, viewer: Viewer, having: [SearchFacet], lacking: [SearchFacet] = [], text: String? = nil,
        after: (title: String, id: Int64)? = nil, limit: Int
    ) throws -> [Int64] {
        let query = text.map(SearchQuery.parse).flatMap { $0.hasTerms ? $0 : nil }
        let key = DirectoryCacheKey(
            kind: kind, having: having, lacking: lacking, text: query?.text, afterTitle: after?.title,
            afterID: after?.id, limit: limit, memberID: viewer.memberID, isModerator: viewer.isModerator,
            groupIDs: viewer.groupIDs)
        return try database.read { db in
            let generation = try backend.generation(in: db)
            if let generation, let cached = directoryCache.value(for: key, at: generation) { return cached }
            let ids = try backend.directory(
                DirectoryRequest(
                    kind: kind, viewer: viewer, having: having, lacking: lacking, text: query, after: after,
                    limit: PageSize.clamp(limit, to: 200), visitorKinds: visitorKinds), in: db)
            if let generation { directoryCache.store(ids, for: key, at: generation) }
            return ids
        }
    }

    /// The values of a facet among the items of `kind`, with counts, for a filter's choices:
    /// what any member (or any visitor, or any moderator) may see, never what only this viewer
    /// may (their drafts, their groups). Kept for a minute: counting 100,000 members' schools
    /// takes ~100 ms, and the choices need not be to the second. After the minute the old
    /// choices are still shown while one background refresh counts again (``RefreshingCache``).
    public func facetValues(_ name: String, kind: String, viewer: Viewer) throws -> [(
        value: String, count: Int
    )] {
        let anyone = Viewer(memberID: viewer.memberID == nil ? nil : -1, isModerator: viewer.isModerator)
        let key = "\(kind)|\(name)|\(anyone.memberID == nil)|\(anyone.isModerator)"
        let values = try facetCache.value(for: key) { [database, backend, visitorKinds] in
            try database.read { db in
                try backend.facetValues(name, kind: kind, viewer: anyone, visitorKinds: visitorKinds, in: db)
                    .map { FacetCount(value: $0.value, count: $0.count) }
            }
        }
        return values.map { ($0.value, $0.count) }
    }

    private struct FacetCount: Sendable {
        var value: String
        var count: Int
    }

    public func statistics() throws -> SearchStatistics {
        try database.read { db in try backend.statistics(in: db) }
    }
}
