import Foundation
import HTTP

/// `GET /api/v1/search`: the same search as the page, as JSON, with the same visibility.
///
/// ```swift
/// var web = WebContributions()
/// SearchAPI(search: services.search).register(&web)
/// ```
struct SearchAPI {
    let search: SearchService

    func register(_ web: inout WebContributions) {
        let controller = SearchController(search: search)
        web.apiGroup("/api/v1", tag: "search") { api in
            api.get(
                "/search",
                summary:
                    "Search what the caller may see: words (all must match), \"a phrase\", -word, kind:, group:, author:.",
                operationID: "search", use: controller.find)
        }
    }
}

struct SearchController: Sendable {
    let search: SearchService

    func find(_ ctx: RequestContext, _ query: SearchAPIQuery) throws -> SearchPageResponse {
        if let kind = query.kind, search.kind(kind) == nil {
            throw DomainError.invalid([
                FieldError(
                    field: "kind",
                    message: "Unknown kind: one of \(search.kinds.map(\.kind).joined(separator: ", ")).")
            ])
        }
        let limit = SearchAPIQuery.limit(query.limit, default: 20)
        let offset = max(0, min(query.offset ?? 0, 10_000))
        let results = try search.search(
            query.q, viewer: ctx.viewer, kind: query.kind, offset: offset, limit: limit)
        return SearchPageResponse(
            items: results.hits.map(SearchHitResponse.init), total: results.total,
            counts: search.kinds.compactMap { kind in
                results.counts[kind.kind].map {
                    SearchCountResponse(kind: kind.kind, label: kind.label, count: $0)
                }
            },
            suggestion: results.suggestion?.text,
            nextOffset: offset + results.hits.count < results.total ? offset + results.hits.count : nil)
    }
}

struct SearchAPIQuery: APIQuery {
    var q: String
    var kind: String?
    var offset: Int?
    var limit: Int?

    static let limitRange: ClosedRange<Int>? = 1...100
    static let fieldHints: [String: SchemaHint] = [
        "q": .description("The query: words, \"a phrase\", -word, kind:blog, group:slug, author:handle."),
        "kind": .description("Only this kind of result (a tab), e.g. `blog_post` or `member`."),
        "offset": .description("Results to skip: the `next_offset` of the previous page."),
        "limit": .description("Results per page (default 20)."),
    ]
}

/// A page of search results.
struct SearchPageResponse: APIModel {
    var items: [SearchHitResponse]
    var total: Int
    var counts: [SearchCountResponse]
    var suggestion: String?
    var nextOffset: Int?

    static let schemaName = "SearchPage"
    static let schemaDescription: String? =
        "Results the caller may see, best first; counts cover only what the caller may see."
    static let fieldHints: [String: SchemaHint] = [
        "total": .description("Results of the chosen kind (or all kinds) the caller may see."),
        "suggestion": .description("A corrected query that finds something, when this one found nothing."),
        "nextOffset": .description("Pass it as `offset` for the next page; null on the last page."),
    ]
}

struct SearchCountResponse: APIModel {
    var kind: String
    var label: String
    var count: Int
    static let schemaName = "SearchCount"
}

/// One result.
struct SearchHitResponse: APIModel {
    var kind: String
    var id: Int64
    var title: String
    var url: String
    var date: Date
    var group: String?
    var groupName: String?
    var snippet: String
    var snippetHTML: String

    static let schemaName = "SearchHit"
    static let fieldHints: [String: SchemaHint] = [
        "snippet": .description("Text around the matched words, plain."),
        "snippetHTML": .description("The same snippet as escaped HTML, the matched words in `<mark>`."),
        "group": .description("The slug of the group it belongs to, if any."),
        "groupName": .description(
            "The name of the group it belongs to, if any and if the caller may see that group."),
    ]

    init(_ hit: SearchHit) {
        kind = hit.kind
        id = hit.id
        title = hit.title
        url = hit.url
        date = hit.date
        group = hit.groupSlug
        groupName = hit.groupName
        snippet = hit.snippet.plain
        snippetHTML = hit.snippet.html.text
    }

    // Written directly for the API's encoder: a page has 20 of these (JSONObjectWriter).
    func encode(to encoder: any Encoder) throws {
        if let object = JSONObjectWriter(encoder) {
            object.field("kind", kind)
            object.field("id", id)
            object.field("title", title)
            object.field("url", url)
            object.field("date", date)
            object.field("group", group)
            object.field("group_name", groupName)
            object.field("snippet", snippet)
            object.field("snippet_html", snippetHTML)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(url, forKey: .url)
        try container.encode(date, forKey: .date)
        try container.encodeIfPresent(group, forKey: .group)
        try container.encodeIfPresent(groupName, forKey: .groupName)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(snippetHTML, forKey: .snippetHTML)
    }
}
