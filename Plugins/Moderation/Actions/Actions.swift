import Foundation
import Kernel
import Membership
import Storage

extension ModerationService {
    /// Acts on a case: the change to the item or member, the audit entry, the mail it sends and
    /// the reports it resolves commit in one transaction, or none of it does.
    @discardableResult
    public func act(caseID: Int64, _ request: ActionRequest, by actor: ModeratorRef) throws -> AuditEntry {
        try perform(request, caseID: caseID, memberID: nil, by: actor)
    }

    /// Acts on a member directly (console, or a member's moderation page): warn, suspend, ban,
    /// reinstate or unban.
    @discardableResult
    public func act(memberID: Int64, _ request: ActionRequest, by actor: ModeratorRef) throws -> AuditEntry {
        guard request.action.isMemberAction else {
            throw DomainError.invalid([
                FieldError(
                    field: "action",
                    message: "Only warn, suspend, ban, reinstate and unban apply to a member.")
            ])
        }
        return try perform(request, caseID: nil, memberID: memberID, by: actor)
    }

    private func perform(_ request: ActionRequest, caseID: Int64?, memberID: Int64?, by actor: ModeratorRef)
        throws
        -> AuditEntry
    {
        guard actor.role >= .moderator else { throw DomainError.forbidden("Only moderators can do that.") }
        var check = Validation()
        if request.action == .hold { check.add("action", "Holding is automatic; choose another action.") }
        let reason = check.optional(
            request.reason, field: "reason", label: "Reason", maxLength: Self.maximumReasonLength)
        if [.warn, .suspend, .ban].contains(request.action) && reason.isEmpty {
            check.add("reason", "Say why: the member is told the reason.")
        }
        try check.finish()
        guard let membership else { throw DomainError.conflict("Membership is not enabled.") }
        let now = self.now
        let action = request.action
        return try database.write { db in
            var found: ModerationCase?
            if let caseID {
                found = try findCase(id: caseID, in: db)
                if found == nil { throw DomainError.notFound }
            }
            let kind = found.flatMap { self.kind($0.kind) }
            let item = try found?.itemID.flatMap { id in try kind?.lookup(id, db) }
            var targetMemberID = memberID
            if targetMemberID == nil, let found {
                targetMemberID = found.kind == "profile" ? found.itemID : (item?.authorID ?? found.authorID)
            }
            let target = try targetMemberID.flatMap { try membership.member(id: $0, in: db) }
            if action.isMemberAction {
                guard let target, target.status != .deleted else {
                    throw DomainError.conflict(
                        "There is no member to act on: the item has no author, or they deleted their account."
                    )
                }
                if let id = actor.id, id == target.id {
                    throw DomainError.forbidden("You cannot moderate yourself.")
                }
                if actor.id != nil && target.role >= actor.role {
                    throw DomainError.forbidden(
                        "Only someone with a higher role than \(target.role.rawValue) can do that.")
                }
            }
            let targetKind: String
            let targetID: Int64?
            let targetTitle: String
            if let found {
                targetKind = found.kind
                targetID = found.itemID
                targetTitle = item?.title ?? found.title
            } else if let target {
                targetKind = "member"
                targetID = target.id
                targetTitle = "\(target.name) (@\(target.handle))"
            } else {
                throw DomainError.notFound
            }
            try db.execute(
                """
                INSERT INTO moderation_actions (actor_id, actor_name, action, case_id, target_kind, target_id, target_title,
                    member_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    actor.id, actor.name, action.rawValue, found?.id, targetKind, targetID, targetTitle,
                    target?.id, reason, now,
                ])
            let auditID = db.lastInsertedRowID
            var details: [String] = []
            let actorMember = try actor.id.flatMap { try membership.member(id: $0, in: db) }

            func requireItem() throws -> (ReportableKind, Int64, ReportableItem) {
                guard let kind, let itemID = found?.itemID, let item else {
                    throw DomainError.conflict(
                        "There is no item to act on: it was deleted, or this is a general report.")
                }
                return (kind, itemID, item)
            }

            // Showing an item again must not undo a suspension or a ban behind the moderator's back:
            // a profile is shown by reinstating its member, other items of a suspended member stay
            // hidden until the member is reinstated.
            if [.approve, .unhide].contains(action), let found, let target {
                if found.kind == "profile" {
                    if try isBanned(memberID: target.id, in: db) {
                        throw DomainError.conflict(
                            "\(target.name) is banned: lift the ban (unban) to show their profile again.")
                    }
                } else if target.status == .suspended {
                    throw DomainError.conflict(
                        "\(target.name) is suspended: their content stays hidden until they are reinstated.")
                }
            }
            switch action {
            case .dismiss:
                guard let found, found.status != .resolved else {
                    throw DomainError.conflict("This case is already resolved.")
                }
                if found.status == .awaitingApproval, let kind, let itemID = found.itemID,
                    item?.isHidden == true,
                    target?.status != .suspended
                {
                    try setHidden(kind, itemID, false, author: target?.id, in: db)
                    try kind.released?(itemID, db)
                    details.append("released the held item")
                }
            case .approve:
                guard found?.status == .awaitingApproval else {
                    throw DomainError.conflict("Only items awaiting approval can be approved.")
                }
                let (kind, itemID, _) = try requireItem()
                try setHidden(kind, itemID, false, author: target?.id, in: db)
                try kind.released?(itemID, db)
            case .hide:
                let (kind, itemID, _) = try requireItem()
                try setHidden(kind, itemID, true, author: target?.id, in: db)
            case .unhide:
                let (kind, itemID, item) = try requireItem()
                guard item.isHidden else { throw DomainError.conflict("It is not hidden.") }
                try setHidden(kind, itemID, false, author: target?.id, in: db)
                try db.execute(
                    "UPDATE moderation_cases SET resolution = 'unhide', updated_at = ? WHERE id = ? AND resolution = 'hide'",
                    [now, found?.id])
            case .delete:
                let (kind, itemID, _) = try requireItem()
                try delete(kind, itemID, author: target?.id, in: db)
                try db.execute(
                    "DELETE FROM moderation_content WHERE kind = ? AND item_id = ?", [kind.kind, itemID])
                details.append("deleted")
            case .warn:
                guard let target else { throw DomainError.notFound }
                try db.execute(
                    "INSERT INTO moderation_warnings (member_id, action_id, reason, created_at) VALUES (?, ?, ?, ?)",
                    [target.id, auditID, reason, now])
                try mail(
                    target, subject: "A warning from the moderators of \(services.config.networkName)",
                    body:
                        "A moderator warned you about \(targetTitle).\n\nReason: \(reason)\n\nPlease read the network's Terms of Service: \(services.link("/terms"))\n",
                    in: db)
            case .suspend, .ban:
                guard let target else { throw DomainError.notFound }
                let banned = try isBanned(memberID: target.id, in: db)
                if action == .ban && banned {
                    throw DomainError.conflict("\(target.name) is already banned.")
                }
                if target.status == .suspended {
                    if action == .suspend {
                        throw DomainError.conflict("\(target.name) is already suspended.")
                    }
                } else {
                    _ = try membership.suspend(memberID: target.id, by: actorMember, in: db)
                }
                if request.hideContent {
                    let count = try hideContent(of: target.id, auditID: auditID, in: db)
                    details.append("hid \(count) item\(count == 1 ? "" : "s") in other modules")
                }
                if action == .ban {
                    try db.execute(
                        "INSERT INTO moderation_bans (member_id, email, reason, action_id, created_at) VALUES (?, ?, ?, ?, ?)",
                        [target.id, target.email, reason, auditID, now])
                }
                try mail(
                    target,
                    subject: action == .ban
                        ? "You have been banned from \(services.config.networkName)"
                        : "Your membership of \(services.config.networkName) is suspended",
                    body:
                        "A moderator \(action == .ban ? "banned" : "suspended") your account.\n\nReason: \(reason)\n\nYou cannot sign in while this lasts. Reply to this message if you think it is a mistake.\n",
                    aboutAccountStatus: true, in: db)
            case .reinstate:
                guard let target else { throw DomainError.notFound }
                if try isBanned(memberID: target.id, in: db) {
                    throw DomainError.conflict(
                        "\(target.name) is banned: lift the ban (unban) to reinstate them.")
                }
                guard target.status == .suspended else {
                    throw DomainError.conflict("\(target.name) is not suspended.")
                }
                details.append(try reinstate(target, membership: membership, in: db))
            case .unban:
                guard let target else { throw DomainError.notFound }
                guard try isBanned(memberID: target.id, in: db) else {
                    throw DomainError.conflict("\(target.name) is not banned.")
                }
                try db.execute("DELETE FROM moderation_bans WHERE member_id = ?", [target.id])
                if target.status == .suspended {
                    details.append(try reinstate(target, membership: membership, in: db))
                }
            case .hold:
                throw DomainError.invalid([FieldError(field: "action", message: "Holding is automatic.")])
            case .viewPrivate:
                throw DomainError.invalid([
                    FieldError(field: "action", message: "Opening a private message is recorded, not chosen.")
                ])
            case .groupRemove, .groupBan:
                throw DomainError.invalid([
                    FieldError(
                        field: "action",
                        message: "Group chairs remove and ban members from their group's pages.")
                ])
            }
            try checkpoint("after-target")
            if action.resolvesReports, let found {
                let resolved = try resolveReports(of: found, action: action, in: db)
                details.append("resolved \(resolved) report\(resolved == 1 ? "" : "s")")
            }
            try checkpoint("after-resolve")
            let detail = details.joined(separator: "; ")
            try db.execute("UPDATE moderation_actions SET detail = ? WHERE id = ?", [detail, auditID])
            try services.events.publish(
                ModerationActionTaken(
                    auditID: auditID, action: action, caseID: found?.id, memberID: target?.id), in: db)
            return AuditEntry(
                id: auditID, actorID: actor.id, actorName: actor.name, action: action, caseID: found?.id,
                targetKind: targetKind, targetID: targetID, targetTitle: targetTitle, memberID: target?.id,
                reason: reason,
                detail: detail, createdAt: now)
        }
    }

    /// Mail to the member acted on. `aboutAccountStatus`: the notice of their suspension or ban,
    /// the one mail the outbox still delivers to a suspended member.
    private func mail(
        _ member: Member, subject: String, body: String, aboutAccountStatus: Bool = false, in db: Connection
    ) throws {
        try services.outbox.enqueue(
            Mail(
                to: member.email, subject: subject, body: "Hello \(member.name),\n\n" + body,
                aboutAccountStatus: aboutAccountStatus), in: db)
    }

    /// Closes the case's open reports and tells each reporter the outcome, by mail and on
    /// "my reports".
    private func resolveReports(of found: ModerationCase, action: ModerationActionKind, in db: Connection)
        throws -> Int
    {
        let open = try db.query(
            "SELECT id, category, reporter_id FROM moderation_reports WHERE case_id = ? AND status = 'open'",
            [found.id]
        ) { row in
            (
                id: try row.value("id") as Int64, category: try row.value("category") as String,
                reporterID: try row.optional("reporter_id") as Int64?
            )
        }
        var reporters: [Int64: MailRecipient] = [:]
        for recipient in try services.identity?.mailRecipients(open.compactMap(\.reporterID), in: db) ?? [] {
            reporters[recipient.memberID] = recipient
        }
        let now = self.now
        let outcome = action.outcome
        try db.execute(
            "UPDATE moderation_reports SET status = 'closed', outcome = ?, resolved_at = ? WHERE case_id = ? AND status = 'open'",
            [outcome, now, found.id])
        try db.execute(
            "UPDATE moderation_cases SET status = 'resolved', resolution = ?, resolved_at = ?, updated_at = ? WHERE id = ?",
            [action.rawValue, now, now, found.id])
        for report in open {
            guard let reporter = report.reporterID.flatMap({ reporters[$0] }),
                !reporter.address.hasSuffix("@invalid")
            else { continue }
            let (email, name) = (reporter.address, reporter.name)
            let category = ReportCategory(rawValue: report.category)?.label ?? report.category
            try services.outbox.enqueue(
                Mail(
                    to: email, subject: "Your report about \(found.title)",
                    body: """
                        Hello \(name),

                        Thank you for your report about \(found.title) (\(category)).

                        \(outcome)

                        All your reports and their outcomes: \(services.link("/reports/mine"))

                        """),
                in: db)
        }
        return open.count
    }

    /// Hides every item the member wrote that moderation knows of (from `ContentEvent`s) and is
    /// not hidden yet, remembering the action so that reinstating shows exactly those again.
    private func hideContent(of memberID: Int64, auditID: Int64, in db: Connection) throws -> Int {
        let items = try db.query(
            "SELECT kind, item_id FROM moderation_content WHERE author_id = ? AND hidden_by_action IS NULL",
            [memberID]
        ) { (kind: try $0.value("kind") as String, id: try $0.value("item_id") as Int64) }
        var count = 0
        for entry in items {
            guard let kind = self.kind(entry.kind), let item = try kind.lookup(entry.id, db), !item.isHidden
            else { continue }
            try setHidden(kind, entry.id, true, author: memberID, in: db)
            try db.execute(
                "UPDATE moderation_content SET hidden_by_action = ? WHERE kind = ? AND item_id = ?",
                [auditID, entry.kind, entry.id])
            count += 1
        }
        return count
    }

    /// Reinstates a member and shows what their suspension hid — but not what a moderator hid
    /// on its own or what still awaits approval (membership's reinstate shows every status again,
    /// so those are hidden once more here, in the same transaction).
    private func reinstate(_ target: Member, membership: MembershipService, in db: Connection) throws
        -> String
    {
        _ = try membership.reinstate(memberID: target.id, in: db)
        let items = try db.query(
            "SELECT kind, item_id FROM moderation_content WHERE author_id = ? AND hidden_by_action IS NOT NULL",
            [target.id]
        ) { (kind: try $0.value("kind") as String, id: try $0.value("item_id") as Int64) }
        for entry in items {
            if let kind = self.kind(entry.kind), try kind.lookup(entry.id, db) != nil {
                try setHidden(kind, entry.id, false, author: target.id, in: db)
            }
        }
        try db.execute(
            "UPDATE moderation_content SET hidden_by_action = NULL WHERE author_id = ?", [target.id])
        let stillHidden = try db.query(
            """
            SELECT kind, item_id FROM moderation_cases WHERE author_id = ? AND item_id IS NOT NULL
                AND (status = 'awaiting_approval' OR resolution = 'hide')
            """, [target.id]
        ) { (kind: try $0.value("kind") as String, id: try $0.value("item_id") as Int64) }
        for entry in stillHidden where entry.kind != "profile" {
            if let kind = self.kind(entry.kind), try kind.lookup(entry.id, db) != nil {
                try setHidden(kind, entry.id, true, author: target.id, in: db)
            }
        }
        return "reinstated; showed \(items.count) item\(items.count == 1 ? "" : "s") again"
    }

    /// Hides or shows an item through its kind and tells listeners (search, feeds) in the same
    /// transaction, so hidden content leaves them exactly when it leaves the pages.
    func setHidden(_ kind: ReportableKind, _ id: Int64, _ hidden: Bool, author: Int64?, in db: Connection)
        throws
    {
        try kind.setHidden(id, hidden, db)
        try services.events.publish(
            ContentEvent(
                module: kind.module, kind: kind.kind, id: id, authorID: author,
                action: hidden ? .hidden : .restored),
            in: db)
    }

    func delete(_ kind: ReportableKind, _ id: Int64, author: Int64?, in db: Connection) throws {
        try kind.delete(id, db)
        try services.events.publish(
            ContentEvent(module: kind.module, kind: kind.kind, id: id, authorID: author, action: .deleted),
            in: db)
    }
}

/// The console's member actions, taken and logged as a moderator's ("console" in the audit log).
struct ConsoleMemberModeration: MemberModeration {
    let moderation: ModerationService

    func act(onMember memberID: Int64, action: String, reason: String) throws {
        guard let kind = ModerationActionKind(rawValue: action), kind.isMemberAction else {
            throw WebError.badRequest("\(action) is not an action on a member")
        }
        _ = try moderation.act(memberID: memberID, ActionRequest(action: kind, reason: reason), by: .console)
    }
}
