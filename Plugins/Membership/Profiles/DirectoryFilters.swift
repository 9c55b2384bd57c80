import Foundation
import HTTP
import Kernel
import Storage

/// The member directory's filters: any profile question (school, role, subjects, key stage),
/// CPD expertise (a facet CPD adds to members' search entries), "in another school than mine",
/// and words. Filters run on the search index's facets, so "KS2 computing in another school" is
/// one query: `/members?key_stage=KS2&subjects=Computing&other_school=1`.
///
/// ```swift
/// let filters = DirectoryFilters(ctx, questions: membership.questions)
/// if filters.isActive { let page = try membership.filteredDirectory(filters, viewer: ctx.viewer, …) }
/// ```
struct DirectoryFilters: Sendable {
    /// (facet name, value) chosen, in question order, then expertise.
    var facets: [SearchFacet] = []
    var otherSchool = false
    var words = ""

    static let expertise = "expertise"

    init(_ ctx: RequestContext, questions: [ProfileQuestion]) {
        // The query string parsed once (the first value of a name wins, as `ctx.query` reads it).
        var query: [String: String] = [:]
        for item in ctx.request.queryItems where query[item.name] == nil { query[item.name] = item.value }
        for question in questions where question.kind != .url {
            if let value = query[question.id].map(Self.trimmed), !value.isEmpty {
                facets.append(SearchFacet(question.id, value))
            }
        }
        if let area = query[Self.expertise].map(Self.trimmed), !area.isEmpty {
            facets.append(SearchFacet(Self.expertise, area))
        }
        otherSchool = query["other_school"] == "1" && ctx.member != nil
        words = Self.trimmed(query["q"] ?? "")
    }

    /// Counts the choices ``controls(_:questions:search:)`` shows (the answers given to questions
    /// without options, and expertise areas) as `viewers` see them, so that the first directory
    /// pages after a start do not wait for the counting (about 180 ms on 100,000 members).
    static func countChoices(questions: [ProfileQuestion], search: SearchService, viewers: [Viewer]) throws {
        let names = questions.filter(choicesAreCounted).map(\.id) + [expertise]
        for viewer in viewers {
            for name in names {
                _ = try search.facetValues(name, kind: MembershipSearch.kind, viewer: viewer)
            }
        }
    }

    /// A question whose choices are the answers members gave (no options of its own, not a link).
    static func choicesAreCounted(_ question: ProfileQuestion) -> Bool {
        question.kind != .url && question.options.isEmpty
    }

    /// `trimmingCharacters(in: .whitespaces)`, without Foundation for a value that begins and
    /// ends in a visible ASCII character (almost all: Foundation's call cost 6,000 instructions).
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        if (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Filters given by name (the API): each must name a profile question (other than a link)
    /// or CPD expertise.
    init(facets: [SearchFacet], otherSchool: Bool, words: String, questions: [ProfileQuestion]) throws {
        let known = Set(questions.filter { $0.kind != .url }.map(\.id) + [Self.expertise])
        let unknown = facets.filter { !known.contains($0.name) }
        guard unknown.isEmpty else {
            throw DomainError.invalid(
                unknown.map {
                    FieldError(
                        field: $0.name, message: "This network has no profile question \"\($0.name)\".")
                })
        }
        self.facets = facets
        self.otherSchool = otherSchool
        self.words = words.trimmingCharacters(in: .whitespaces)
    }

    /// Whether the index answers (any facet or "another school"); plain listings stay on
    /// membership's own ordered lists.
    var isActive: Bool { !facets.isEmpty || otherSchool }

    /// The query string for the next page's link.
    var queryString: String {
        var parts = facets.map { "\(PercentDecoding.encode($0.name))=\(PercentDecoding.encode($0.value))" }
        if otherSchool { parts.append("other_school=1") }
        parts.append("q=\(PercentDecoding.encode(words))")
        return parts.joined(separator: "&")
    }

    /// The filter controls: a choice per question (its options, or the answers members gave),
    /// expertise areas when CPD adds them, and "not my school" for signed-in members.
    func controls(_ ctx: RequestContext, questions: [ProfileQuestion], search: SearchService) throws -> HTML {
        var values: [String: String] = [:]
        for facet in facets { values[facet.name] = facet.value }
        var html: [HTML] = []
        for question in questions where question.kind != .url {
            var options = question.options
            if Self.choicesAreCounted(question) {
                options = try search.facetValues(question.id, kind: MembershipSearch.kind, viewer: ctx.viewer)
                    .map(\.value)
            }
            guard !options.isEmpty else { continue }
            html.append(
                Self.select(question.id, label: question.label, options: options, chosen: values[question.id])
            )
        }
        let areas = try search.facetValues(Self.expertise, kind: MembershipSearch.kind, viewer: ctx.viewer)
        if !areas.isEmpty {
            html.append(
                Self.select(
                    Self.expertise, label: "CPD expertise", options: areas.map(\.value),
                    chosen: values[Self.expertise]))
        }
        if ctx.member != nil {
            html.append(
                FormKit(values: ["other_school": otherSchool ? "1" : ""]).checkbox(
                    "other_school", label: "Only people in another school than mine"))
        }
        return HTML.join(html)
    }

    /// The `<option>`s of each filter as last rendered, with the values they were rendered from
    /// and where each value's tag ends: a network's 250 schools are escaped once while they stay
    /// the same, not on every page, and the chosen one is marked without searching the text.
    private static let renderedOptions = ReadMostly<[String: RenderedOptions]>([:])

    private struct RenderedOptions {
        var options: [String]
        var html: String
        /// Each value's first `<option value="…"` ends at this UTF-8 offset (before its `>`).
        var tagEnds: [String: Int]

        init(_ options: [String]) {
            self.options = options
            var html = ""
            var tagEnds: [String: Int] = [:]
            for option in options {
                html += "<option value=\""
                HTML.escape(option, into: &html)
                html += "\""
                if tagEnds[option] == nil { tagEnds[option] = html.utf8.count }
                html += ">"
                HTML.escape(option, into: &html)
                html += "</option>"
            }
            self.html = html
            self.tagEnds = tagEnds
        }

        /// The options with `chosen`, when it is one of them, selected.
        func marking(_ chosen: String?) -> String {
            guard let chosen, let end = tagEnds[chosen] else { return html }
            let utf8 = html.utf8
            let at = utf8.index(utf8.startIndex, offsetBy: end)
            return String(html[..<at]) + " selected" + String(html[at...])
        }
    }

    /// A choice of one value, as ``FormKit/select`` writes it (the choices' HTML reused while
    /// they do not change; the chosen one marked).
    static func select(_ name: String, label: String, options: [String], chosen: String?) -> HTML {
        let rendered: RenderedOptions
        if let cached = renderedOptions.read({ $0[name] }), cached.options == options {
            rendered = cached
        } else {
            rendered = RenderedOptions(options)
            renderedOptions.write { $0[name] = rendered }
        }
        return """
            <div class="field"><label for="field-\(name)">\(label)</label><select id="field-\(name)" name="\(name)"><option value="">Choose…</option>\(HTML(trustedRenderer: rendered.marking(chosen)))</select></div>
            """
    }
}

extension MembershipService {
    /// One page of the filtered directory, by name: members carrying every chosen facet (and
    /// not the viewer's school when asked), matching `filters.words`, after `after`.
    func filteredDirectory(_ filters: DirectoryFilters, viewer: Viewer, limit: Int, after: Member?) throws
        -> [Member]
    {
        var lacking: [SearchFacet] = []
        if filters.otherSchool, let me = viewer.memberID {
            let school = try database.read { try answers(of: me, in: $0)["school"] } ?? ""
            if !school.isEmpty { lacking.append(SearchFacet("school", school)) }
        }
        let ids = try services.search.directory(
            kind: MembershipSearch.kind, viewer: viewer, having: filters.facets, lacking: lacking,
            text: filters.words.isEmpty ? nil : filters.words, after: after.map { ($0.name, $0.id) },
            limit: limit)
        return try database.read { db in try ids.compactMap { try member(id: $0, in: db) } }
    }
}
