import Foundation
import HTTP
import Kernel

/// Membership's part of a member's home page: a composer for a status, and, while a profile is
/// unfinished, what is missing (a photo, a few words about oneself, the profile questions) so
/// colleagues in other schools can find the expert they need.
///
/// ```swift
/// MemberHome(membership: membership).register(&web)   // home section, order 1
/// ```
struct MemberHome: Sendable {
    let membership: MembershipService

    func register(_ web: inout WebContributions) {
        web.home(HomeSection(order: 1, render: section))
    }

    @Sendable func section(_ ctx: RequestContext) throws -> HTML {
        guard let me = ctx.member, me.mayWrite else { return "" }
        let found = try membership.database.read { db in
            (try membership.member(id: me.id, in: db), try membership.answers(of: me.id, in: db))
        }
        guard let member = found.0 else { return "" }
        let composer: HTML = """
            <form method="post" action="/statuses" class="card composer">\(ctx.csrfField)
            <input type="hidden" name="return" value="home">
            \(FormKit().textarea("body", label: "What are you working on?", rows: 2, maxLength: MembershipService.maximumStatusLength))
            <div class="actions"><button type="submit">Post status</button>\(ctx.shell.config.enabledModules.contains("blog") ? HTML("<a href=\"/blog/new\">or write a blog post</a>") : HTML.empty)</div>
            </form>
            """
        return composer + completeness(member, answers: found.1)
    }

    /// "Complete your profile" with what is missing; empty once the profile is whole.
    func completeness(_ member: Member, answers: [String: String]) -> HTML {
        var missing: [HTML] = []
        if !member.hasAvatar { missing.append("a photo") }
        if member.bio.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            missing.append("a few words about you")
        }
        let unanswered = membership.questions.filter { (answers[$0.id] ?? "").isEmpty }.map {
            HTML("\($0.label.lowercased())")
        }
        missing += unanswered
        if missing.isEmpty { return "" }
        let total = 2 + membership.questions.count
        let done = total - missing.count
        return """
            <section class="card profile-progress"><h2>Complete your profile</h2>
            <p>Colleagues in other schools find the expert they need by what profiles say. Yours still needs \(Self.list(missing)).</p>
            <p><progress max="\(total)" value="\(done)" aria-label="Profile complete">\(done) of \(total)</progress> \(done) of \(total) done</p>
            <p><a class="button secondary" href="/profile/edit">Complete your profile</a></p></section>
            """
    }

    /// "a, b and c".
    static func list(_ items: [HTML]) -> HTML {
        guard items.count > 1 else { return HTML.join(items) }
        return HTML.join(Array(items.dropLast()), separator: ", ") + " and " + items[items.count - 1]
    }
}
