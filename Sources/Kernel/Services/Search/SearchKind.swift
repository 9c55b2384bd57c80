import Foundation
import Storage

/// Who may find an indexed item, before its state (draft, hidden) is considered.
public enum SearchAudience: Sendable, Equatable {
    /// Anyone, signed in or not.
    case everyone
    /// Signed-in members.
    case members
    /// Members of one group (a private or hidden group's content).
    case group(Int64)
    /// Only these members (a conversation's participants).
    case participants([Int64])
}

/// Where an item stands: only published items are found by everyone its audience allows.
public enum SearchState: String, Sendable, Equatable {
    case published
    /// Found only by its author.
    case draft
    /// Hidden by moderators or held by the content gate: found only by moderators.
    case hidden
}

/// One item as the index sees it: its text by weight, and what decides who may find it.
///
/// ```swift
/// SearchDocument(
///     title: post.title, body: post.body, url: post.path, authorID: post.authorID,
///     audience: .everyone, state: post.isHidden ? .hidden : .published, date: post.publishedAt)
/// ```
public struct SearchDocument: Sendable, Equatable {
    /// Weighted highest.
    public var title: String
    /// Short fields weighted between title and body (tags, school, subjects, key stages).
    public var keywords: String
    /// Markdown or plain text; Markdown punctuation is harmless to the tokenizer.
    public var body: String
    /// Where the item lives, e.g. "/blog/posts/7".
    public var url: String
    public var authorID: Int64?
    public var audience: SearchAudience
    public var state: SearchState
    /// Newer first among results that rank alike.
    public var date: Date
    /// The group it belongs to, for `group:slug` (nil outside groups).
    public var groupSlug: String?
    /// The group it belongs to, by id, when another module's item belongs to one (a CPD session
    /// offered on behalf of a cluster): its results carry the group's name and slug, and
    /// `group:slug` finds it, for those who may see the group. Defaults to the audience's group.
    public var groupID: Int64?
    /// What it hangs off ("blog_post:7" for a comment): when that item is reindexed or leaves
    /// the index, so is this one, so a hidden post takes its comments out of search with it.
    public var container: SearchItem?
    /// Also matched with trigrams, so part of a name finds it ("Jon Smit" finds "Jonathan Smith").
    public var name: String?
    /// Exact values for directory filters: ("school", "Oakfield Primary"), ("key_stage", "KS2").
    public var facets: [SearchFacet]
    /// False when the title only labels the result ("Comment on “…”") and its words should not
    /// rank the item as if it were about them.
    public var titleIsSearchable = true

    public init(
        title: String, keywords: String = "", body: String = "", url: String, authorID: Int64?,
        audience: SearchAudience, state: SearchState = .published, date: Date, groupSlug: String? = nil,
        container: SearchItem? = nil, name: String? = nil, facets: [SearchFacet] = [], groupID: Int64? = nil
    ) {
        self.title = title
        self.keywords = keywords
        self.body = body
        self.url = url
        self.authorID = authorID
        self.audience = audience
        self.state = state
        self.date = date
        self.groupSlug = groupSlug
        self.container = container
        self.name = name
        self.facets = facets
        self.groupID = groupID
    }
}

/// A directory filter value of an indexed item.
public struct SearchFacet: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An item by its kind and id, e.g. `SearchItem(kind: "blog_post", id: 7)`.
public struct SearchItem: Sendable, Equatable, Hashable {
    public var kind: String
    public var id: Int64
    public init(kind: String, id: Int64) {
        self.kind = kind
        self.id = id
    }
    var key: String { "\(kind):\(id)" }
}

/// A kind of thing a module lets members search for, and how to index one.
///
/// ```swift
/// context.searchable(SearchableKind(
///     module: "blog", kind: "blog_post", label: "Blog posts", aliases: ["blog", "post"],
///     document: { id, db in try blog.searchDocument(postID: id, in: db) },
///     ids: { after, limit, db in try db.query("SELECT id FROM blog_posts WHERE id > ? ORDER BY id LIMIT ?", …) }))
/// ```
public struct SearchableKind: Sendable {
    public var module: String
    /// The ``ContentEvent`` kind, e.g. "blog_post".
    public var kind: String
    /// A tab's title, e.g. "Blog posts".
    public var label: String
    /// Words for `kind:` in a query ("blog", "post"); the kind itself always works.
    public var aliases: [String]
    /// The item as it should be indexed now, or nil when it should not be in the index
    /// (deleted, or not indexed at all). Runs inside the writing transaction.
    public var document: @Sendable (_ id: Int64, _ db: Connection) throws -> SearchDocument?
    /// The ids of every item after `after`, ascending, for `pln admin search reindex`.
    public var ids: @Sendable (_ after: Int64, _ limit: Int, _ db: Connection) throws -> [Int64]
    /// When set, decides when someone searches (not when indexing) whether visitors who are not
    /// signed in may find this kind's items meant for everyone or for members, whatever audience
    /// they were indexed with: a setting such as `directory_public` then needs no reindex.
    public var visitorsMaySee: Bool?
    /// Each item is a person (its id a member's id, its title their name, its URL their
    /// profile): results show the person's face. Another kind whose URL is a profile (a status)
    /// is not the person.
    public var isPerson: Bool

    public init(
        module: String, kind: String, label: String, aliases: [String] = [],
        document: @escaping @Sendable (Int64, Connection) throws -> SearchDocument?,
        ids: @escaping @Sendable (Int64, Int, Connection) throws -> [Int64], visitorsMaySee: Bool? = nil,
        isPerson: Bool = false
    ) {
        self.module = module
        self.kind = kind
        self.label = label
        self.aliases = aliases
        self.document = document
        self.ids = ids
        self.visitorsMaySee = visitorsMaySee
        self.isPerson = isPerson
    }
}

/// More text and facets another module adds to an indexed item of a kind it does not own
/// (CPD adds a member's expertise areas to the member's entry).
public struct SearchContribution: Sendable {
    public var keywords: String
    public var body: String
    public var facets: [SearchFacet]
    public init(keywords: String = "", body: String = "", facets: [SearchFacet] = []) {
        self.keywords = keywords
        self.body = body
        self.facets = facets
    }
}
