import Foundation
import Storage

/// Where the index lives and how it is queried: every line of the index's SQL is behind this
/// protocol. ``SQLiteSearchIndex`` uses FTS5; a PostgreSQL backend implements the same calls
/// with `tsvector` columns and GIN indexes (`websearch`-free: it gets the parsed query).
public protocol SearchBackend: Sendable {
    func upsert(_ item: SearchItem, module: String, _ document: SearchDocument, in db: Connection) throws
    func remove(_ item: SearchItem, in db: Connection) throws
    /// Items whose ``SearchDocument/container`` is `item`.
    func dependents(of item: SearchItem, in db: Connection) throws -> [SearchItem]
    /// Items written by a member, for erasing their account.
    func items(authoredBy memberID: Int64, in db: Connection) throws -> [SearchItem]
    func removeAll(module: String, in db: Connection) throws
    /// Removes items of `kind` with ids in `range` other than `keep` (reindexing: they are gone).
    func removeMissing(
        kind: String, in range: ClosedRange<Int64>, keeping keep: Set<Int64>, in db: Connection)
        throws

    func search(_ request: SearchRequest, in db: Connection) throws -> SearchResults
    /// Suggestions for words of a query with no results: (word, replacement) from the index's
    /// vocabulary, closest first. The caller checks the corrected query finds something.
    func vocabulary(near word: String, in db: Connection) throws -> [(term: String, documents: Int)]
    func directory(_ request: DirectoryRequest, in db: Connection) throws -> [Int64]
    func facetValues(
        _ name: String, kind: String, viewer: Viewer, visitorKinds: [String: Bool], in db: Connection
    ) throws -> [(value: String, count: Int)]
    func statistics(in db: Connection) throws -> SearchStatistics

    func generation(in db: Connection) throws -> Int64?
    func advanceGeneration(in db: Connection) throws

    func reindexProgress(kind: String, in db: Connection) throws -> Int64?
    func setReindexProgress(kind: String, lastID: Int64?, in db: Connection) throws

    /// One bounded step (about `pages` pages written) of merging the index's parts into one;
    /// false when there was nothing left to merge.
    func compactStep(pages: Int, in db: Connection) throws -> Bool
    /// How many parts the index is in (FTS5 segments: every query looks in each), or nil for a
    /// backend without such parts.
    func parts(in db: Connection) throws -> Int?
}

extension SearchBackend {
    /// A number that changes whenever the index changes, read in the caller's snapshot; nil
    /// when the backend keeps none (then the service caches no answers).
    public func generation(in db: Connection) throws -> Int64? { nil }
    /// Moves the generation on, inside a write that changes the index.
    public func advanceGeneration(in db: Connection) throws {}
    /// A backend whose index is not in parts has nothing to merge.
    public func compactStep(pages: Int, in db: Connection) throws -> Bool { false }
    public func parts(in db: Connection) throws -> Int? { nil }
}

/// A search as the backend runs it: the parsed query, who asks, and which page.
public struct SearchRequest: Sendable {
    public var query: SearchQuery
    public var viewer: Viewer
    /// Kinds to look in (already resolved from `kind:` and the tab); empty means all.
    public var kinds: [String]
    /// Kinds whose results are counted for the tabs (every kind the viewer could see).
    public var countedKinds: [String]
    /// `author:` resolved to a member id; `.some(nil)` when the handle is nobody (no results).
    public var authorID: Int64??
    public var offset: Int
    public var limit: Int
    /// Kinds whose visibility to visitors is decided now (``SearchableKind/visitorsMaySee``).
    public var visitorKinds: [String: Bool] = [:]
}

/// One result.
public struct SearchHit: Sendable, Equatable {
    public var kind: String
    public var id: Int64
    public var title: String
    public var url: String
    public var date: Date
    public var groupSlug: String?
    /// The name of that group, when the viewer may see it.
    public var groupName: String? = nil
    /// Where that group lives, when the viewer may see it.
    public var groupURL: String? = nil
    /// Text around the matched words, with them marked.
    public var snippet: HighlightedText
}

/// A page of results, with counts per kind of what the viewer may see (nothing else).
public struct SearchResults: Sendable, Equatable {
    public var hits: [SearchHit]
    public var total: Int
    public var counts: [String: Int]
    /// A query with a close word swapped in that finds something, when this one found nothing.
    public var suggestion: SearchQuery?

    public init(hits: [SearchHit], total: Int, counts: [String: Int], suggestion: SearchQuery? = nil) {
        self.hits = hits
        self.total = total
        self.counts = counts
        self.suggestion = suggestion
    }

    public static let empty = SearchResults(hits: [], total: 0, counts: [:])
}

/// A directory query: items of one kind carrying every facet in `having`, none of those in
/// `lacking`, matching `text` (names by trigram, other fields by words), by title.
public struct DirectoryRequest: Sendable {
    public var kind: String
    public var viewer: Viewer
    public var having: [SearchFacet]
    public var lacking: [SearchFacet]
    public var text: SearchQuery?
    /// The last row of the previous page: (title, item id).
    public var after: (title: String, id: Int64)?
    public var limit: Int
    /// Kinds whose visibility to visitors is decided now (``SearchableKind/visitorsMaySee``).
    public var visitorKinds: [String: Bool] = [:]
}

public struct SearchStatistics: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var kind: String
        public var published: Int
        public var drafts: Int
        public var hidden: Int
    }
    public var kinds: [Row]
    public var vocabulary: Int
    public var names: Int
}
