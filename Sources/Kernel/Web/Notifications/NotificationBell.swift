import Foundation

extension Shell {
    /// The bell in the header: a link to the notifications page with the unread count (one
    /// query on the partial index `notifications_unread`). pln.js refreshes the count from
    /// /notifications/count and announces a change in the polite live region.
    func notificationBell(_ member: SignedInMember, _ context: RequestContext) -> HTML {
        let unread = (try? context.services.notifications.unreadCount(memberID: member.id)) ?? 0
        let label = unread == 1 ? "1 unread notification" : "\(unread) unread notifications"
        return """
            <a class="bell" href="/notifications" data-bell><svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">\
            <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>\
            <span class="visually-hidden">Notifications: </span><span class="bell-count\(unread == 0 ? HTML(" empty") : HTML.empty)" \
            data-unread="\(unread)" aria-hidden="true">\(unread)</span><span class="visually-hidden" data-bell-label>\(label)</span></a>\
            <span class="visually-hidden" aria-live="polite" data-bell-live></span>
            """
    }

    /// The notifications page's and the bell's rules.
    static let notificationStyles = """
        .bell{display:inline-flex;align-items:center;gap:.25rem;text-decoration:none;margin-right:.75rem}
        .bell-count{display:inline-block;min-width:1.4rem;padding:0 .35rem;border-radius:1rem;background:var(--accent);color:#1d2733;font-weight:700;font-size:.85rem;text-align:center}
        .bell-count.empty{background:transparent;color:inherit;opacity:.8}
        .notification-list{list-style:none;padding:0;margin:1rem 0}
        .notification{padding:.75rem 1rem;border:1px solid var(--line);border-radius:var(--radius);background:var(--card);margin-bottom:.5rem}
        .notification.unread{border-left:4px solid var(--accent);background:var(--soft)}
        .notification .when{color:var(--muted);font-size:.9rem}
        .notification .excerpt{margin:.25rem 0;color:var(--muted)}
        form.likes{display:inline-flex;align-items:center;gap:.4rem;flex-wrap:wrap}
        form.likes button[aria-pressed=true]{background:var(--primary);color:#fff;border-color:var(--primary)}
        .likers{color:var(--muted);font-size:.9rem}
        .mention-list{list-style:none;margin:.25rem 0 0;padding:.25rem 0;border:1px solid var(--line);border-radius:var(--radius);background:var(--card);box-shadow:var(--shadow);max-width:26rem}
        .mention-list[hidden]{display:none}
        .mention-list [role=option]{padding:.35rem .75rem;cursor:pointer}
        .mention-list [role=option] .handle{color:var(--muted);margin-left:.4rem}
        .mention-list [aria-selected=true]{background:var(--primary);color:#fff}
        .mention-list [aria-selected=true] .handle{color:#fff}
        """
}
