import Foundation
import HTTP
import Kernel

/// The moderation part of the JSON API under /api/v1, described in the OpenAPI document.
struct ModerationAPI {
    let moderation: ModerationService

    static func reportJSON(_ report: Report, includeReporter: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .int(report.id)), ("case_id", .int(report.caseID)), ("kind", .string(report.kind)),
            ("item_id", JSONValue(report.itemID)), ("title", .string(report.title)),
            ("category", .string(report.category.rawValue)), ("comment", .string(report.comment)),
            ("status", .string(report.status)), ("outcome", JSONValue(report.outcome)),
            ("created_at", JSONValue(report.createdAt)), ("resolved_at", JSONValue(report.resolvedAt)),
        ]
        if includeReporter { fields.append(("reporter_id", JSONValue(report.reporterID))) }
        return .object(fields)
    }

    static func caseJSON(_ item: ModerationCase) -> JSONValue {
        .object([
            ("id", .int(item.id)), ("kind", .string(item.kind)), ("item_id", JSONValue(item.itemID)),
            ("module", .string(item.module)), ("title", .string(item.title)), ("url", .string(item.url)),
            ("excerpt", .string(item.excerpt)), ("author_id", JSONValue(item.authorID)),
            ("status", .string(item.status.rawValue)), ("hold_reason", JSONValue(item.holdReason)),
            ("safeguarding", .bool(item.isSafeguarding)), ("report_count", .int(Int64(item.reportCount))),
            ("assigned_to", JSONValue(item.assignedTo)), ("resolution", JSONValue(item.resolution)),
            ("created_at", JSONValue(item.createdAt)), ("updated_at", JSONValue(item.updatedAt)),
            ("resolved_at", JSONValue(item.resolvedAt)),
        ])
    }

    static func auditJSON(_ entry: AuditEntry) -> JSONValue {
        .object([
            ("id", .int(entry.id)), ("actor_id", JSONValue(entry.actorID)), ("actor_name", .string(entry.actorName)),
            ("action", .string(entry.action.rawValue)), ("case_id", JSONValue(entry.caseID)),
            ("target_kind", .string(entry.targetKind)), ("target_id", JSONValue(entry.targetID)),
            ("target_title", .string(entry.targetTitle)), ("member_id", JSONValue(entry.memberID)),
            ("reason", .string(entry.reason)), ("detail", .string(entry.detail)), ("created_at", JSONValue(entry.createdAt)),
        ])
    }

    static func detailJSON(_ detail: CaseDetail) -> JSONValue {
        var item: JSONValue = .null
        if let found = detail.item {
            item = [
                "title": .string(found.title), "url": .string(found.url), "excerpt": .string(found.excerpt),
                "author_id": JSONValue(found.authorID), "hidden": .bool(found.isHidden),
            ]
        }
        return .object([
            ("case", caseJSON(detail.moderationCase)), ("kind_title", .string(detail.kindTitle)), ("item", item),
            ("author", detail.authorHandle.map { handle in ["handle": .string(handle), "name": JSONValue(detail.authorName), "banned": .bool(detail.isAuthorBanned), "suspended": .bool(detail.authorIsSuspended)] } ?? .null),
            ("reports", .array(detail.reports.map { reportJSON($0, includeReporter: true) })),
            ("notes", .array(detail.notes.map { note in
                ["id": .int(note.id), "author_id": JSONValue(note.authorID), "author_name": .string(note.authorName), "body": .string(note.body), "created_at": JSONValue(note.createdAt)]
            })),
            ("actions", .array(detail.actions.map(auditJSON))),
        ])
    }

    static func actionRequest(_ body: JSONValue) throws -> ActionRequest {
        guard let action = body["action"]?.stringValue.flatMap(ModerationActionKind.init(rawValue:)), action != .hold else {
            let names = ModerationActionKind.moderatorChoices.map(\.rawValue).joined(separator: ", ")
            throw DomainError.invalid([FieldError(field: "action", message: "action is one of \(names).")])
        }
        return ActionRequest(
            action: action, reason: body["reason"]?.stringValue ?? "", hideContent: body["hide_content"]?.boolValue ?? false)
    }

    func register(_ web: inout WebContributions) {
        let moderation = self.moderation
        let categories: JSONValue = .array(ReportCategory.allCases.map { .string($0.rawValue) })
        let actions: JSONValue = .array(ModerationActionKind.moderatorChoices.map { .string($0.rawValue) })
        let security: JSONValue = [["bearer": []]]
        web.schema("Report", [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "case_id": ["type": "integer"], "kind": ["type": "string"],
                "item_id": ["type": ["integer", "null"]], "title": ["type": "string"],
                "category": ["type": "string", "enum": categories], "comment": ["type": "string"],
                "status": ["type": "string", "enum": ["open", "closed"]], "outcome": ["type": ["string", "null"]],
                "created_at": ["type": "string", "format": "date-time"],
            ],
        ])
        web.schema("ModerationCase", [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "kind": ["type": "string"], "item_id": ["type": ["integer", "null"]],
                "title": ["type": "string"], "status": ["type": "string", "enum": ["open", "awaiting_approval", "resolved"]],
                "safeguarding": ["type": "boolean"], "report_count": ["type": "integer"], "hold_reason": ["type": ["string", "null"]],
            ],
        ])
        web.schema("AuditEntry", [
            "type": "object",
            "properties": [
                "id": ["type": "integer"], "actor_name": ["type": "string"], "action": ["type": "string"],
                "target_kind": ["type": "string"], "target_title": ["type": "string"], "reason": ["type": "string"],
                "created_at": ["type": "string", "format": "date-time"],
            ],
        ])
        let actionBody: JSONValue = [
            "required": true,
            "content": ["application/json": ["schema": [
                "type": "object",
                "properties": ["action": ["type": "string", "enum": actions], "reason": ["type": "string", "maxLength": 1000], "hide_content": ["type": "boolean"]],
                "required": ["action"],
            ]]],
        ]

        web.api("POST", "/api/v1/reports", access: .members, operation: [
            "summary": "Report an item (kind and id) or, with neither, a general issue.", "operationId": "fileReport",
            "security": security,
            "requestBody": OpenAPI.jsonBody([
                "type": "object",
                "properties": ["kind": ["type": "string"], "id": ["type": "integer"], "category": ["type": "string", "enum": categories], "comment": ["type": "string", "maxLength": 2000]],
                "required": ["category"],
            ]),
            "responses": [
                "201": ["description": "The report.", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Report"]]]],
                "404": ["description": "No such item."], "409": ["description": "Already reported."],
                "422": ["description": "Validation failed."], "429": ["description": "Too many reports."],
            ],
        ]) { ctx in
            let me = try ctx.requireActiveMember()
            let body = try ctx.jsonBody()
            let kind = body["kind"]?.stringValue
            let report = try moderation.fileReport(
                by: me, kind: kind, itemID: body["id"]?.intValue, category: body["category"]?.stringValue ?? "",
                comment: body["comment"]?.stringValue ?? "")
            return ctx.json(Self.reportJSON(report), status: .created)
        }
        web.api("GET", "/api/v1/reports", access: .members, operation: [
            "summary": "Your reports and their outcomes, newest first.", "operationId": "listMyReports", "security": security,
            "parameters": [
                ["name": "before", "in": "query", "schema": ["type": "integer"], "description": "The `next` of the previous page."],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
            ],
            "responses": ["200": ["description": "A page of reports."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            let limit = min(100, max(1, ctx.query("limit").flatMap(Int.init) ?? 20))
            let reports = try moderation.reports(filedBy: me.id, limit: limit + 1, before: ctx.query("before").flatMap(Int64.init))
            let page = Array(reports.prefix(limit))
            let held = try moderation.awaitingApproval(authorID: me.id)
            return ctx.json([
                "items": .array(page.map { Self.reportJSON($0) }),
                "next": reports.count > limit ? JSONValue(page.last?.id) : .null,
                "awaiting_approval": .array(held.map { ["kind": .string($0.kind), "id": JSONValue($0.itemID), "title": .string($0.title), "url": .string($0.url)] }),
            ])
        }
        web.api("GET", "/api/v1/moderation/queue", access: .moderators, operation: [
            "summary": "The review queue: safeguarding concerns first, then newest.", "operationId": "moderationQueue",
            "security": security,
            "parameters": [
                ["name": "status", "in": "query", "schema": ["type": "string", "enum": .array(QueueFilter.statuses.map { .string($0) })]],
                ["name": "category", "in": "query", "schema": ["type": "string", "enum": categories]],
                ["name": "kind", "in": "query", "schema": ["type": "string"]],
                ["name": "assigned", "in": "query", "schema": ["type": "string", "enum": ["me"]]],
                ["name": "after", "in": "query", "schema": ["type": "string"], "description": "The `next` of the previous page."],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
            ],
            "responses": ["200": ["description": "A page of cases."], "403": ["description": "Not a moderator."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            var filter = QueueFilter(status: ctx.query("status") ?? "active", kind: ctx.query("kind"))
            if let text = ctx.query("category") {
                guard let category = ReportCategory(rawValue: text) else {
                    throw DomainError.invalid([FieldError(field: "category", message: "Unknown category \"\(text)\".")])
                }
                filter.category = category
            }
            if ctx.query("assigned") == "me" { filter.assignedTo = me.id }
            let limit = min(100, max(1, ctx.query("limit").flatMap(Int.init) ?? 25))
            let page = try moderation.queue(filter, limit: limit, after: ctx.query("after"))
            return ctx.json(["items": .array(page.cases.map(Self.caseJSON)), "next": JSONValue(page.next)])
        }
        web.api("GET", "/api/v1/moderation/cases/:id", access: .moderators, operation: [
            "summary": "One case: the item, its reports, private notes and actions.", "operationId": "moderationCase",
            "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "responses": ["200": ["description": "The case."], "404": ["description": "No such case."]],
        ]) { ctx in
            ctx.json(Self.detailJSON(try moderation.detail(caseID: try ctx.idParameter("id"))))
        }
        web.api("GET", "/api/v1/moderation/reports/:id", access: .moderators, operation: [
            "summary": "The case a report belongs to.", "operationId": "moderationReport", "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "responses": ["200": ["description": "The case."], "404": ["description": "No such report."]],
        ]) { ctx in
            guard let caseID = try moderation.caseID(ofReport: try ctx.idParameter("id")) else { throw DomainError.notFound }
            return ctx.json(Self.detailJSON(try moderation.detail(caseID: caseID)))
        }
        web.api("POST", "/api/v1/moderation/cases/:id/assign", access: .moderators, operation: [
            "summary": "Assign a case to yourself (to: \"me\") or to nobody.", "operationId": "assignCase", "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "requestBody": ["content": ["application/json": ["schema": ["type": "object", "properties": ["to": ["type": "string", "enum": ["me", "nobody"]]]]]]],
            "responses": ["200": ["description": "The case."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            let id = try ctx.idParameter("id")
            let to = ctx.request.body.isEmpty ? "me" : (try ctx.jsonBody()["to"]?.stringValue ?? "me")
            try moderation.assign(caseID: id, to: to == "nobody" ? nil : me.id)
            return ctx.json(Self.detailJSON(try moderation.detail(caseID: id)))
        }
        web.api("POST", "/api/v1/moderation/cases/:id/notes", access: .moderators, operation: [
            "summary": "Add a private note to a case.", "operationId": "addCaseNote", "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "requestBody": OpenAPI.jsonBody(["type": "object", "properties": ["body": ["type": "string"]], "required": ["body"]]),
            "responses": ["201": ["description": "The note."], "422": ["description": "Empty or too long."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            let note = try moderation.addNote(
                caseID: try ctx.idParameter("id"), body: try ctx.jsonBody()["body"]?.stringValue ?? "", by: ModeratorRef(member: me))
            return ctx.json(
                ["id": .int(note.id), "author_name": .string(note.authorName), "body": .string(note.body), "created_at": JSONValue(note.createdAt)],
                status: .created)
        }
        web.api("POST", "/api/v1/moderation/cases/:id/actions", access: .moderators, operation: [
            "summary": "Act on a case: the action, its mail and the reports it resolves commit together.",
            "operationId": "actOnCase", "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "requestBody": actionBody,
            "responses": [
                "201": ["description": "The audit entry.", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/AuditEntry"]]]],
                "403": ["description": "Not allowed (e.g. acting on a higher role)."], "409": ["description": "Not possible in this state."],
                "422": ["description": "Validation failed."],
            ],
        ]) { ctx in
            let me = try ctx.requireMember()
            let entry = try moderation.act(
                caseID: try ctx.idParameter("id"), try Self.actionRequest(try ctx.jsonBody()), by: ModeratorRef(member: me))
            return ctx.json(Self.auditJSON(entry), status: .created)
        }
        web.api("POST", "/api/v1/moderation/members/:id/actions", access: .moderators, operation: [
            "summary": "Warn, suspend, ban, reinstate or unban a member.", "operationId": "actOnMember", "security": security,
            "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]],
            "requestBody": actionBody,
            "responses": ["201": ["description": "The audit entry."], "409": ["description": "Not possible in this state."]],
        ]) { ctx in
            let me = try ctx.requireMember()
            let entry = try moderation.act(
                memberID: try ctx.idParameter("id"), try Self.actionRequest(try ctx.jsonBody()), by: ModeratorRef(member: me))
            return ctx.json(Self.auditJSON(entry), status: .created)
        }
        web.api("GET", "/api/v1/moderation/audit", access: .moderators, operation: [
            "summary": "The audit log, newest first.", "operationId": "moderationAudit", "security": security,
            "parameters": [
                ["name": "since", "in": "query", "schema": ["type": "string", "format": "date"], "description": "YYYY-MM-DD or an ISO 8601 time."],
                ["name": "member", "in": "query", "schema": ["type": "integer"], "description": "Only actions about this member."],
                ["name": "before", "in": "query", "schema": ["type": "integer"]],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 200]],
            ],
            "responses": ["200": ["description": "A page of audit entries."]],
        ]) { ctx in
            var since: Date?
            if let text = ctx.query("since") {
                guard let date = ModerationService.parseDate(text) else {
                    throw DomainError.invalid([FieldError(field: "since", message: "Give a date like 2026-03-01.")])
                }
                since = date
            }
            let limit = min(200, max(1, ctx.query("limit").flatMap(Int.init) ?? 50))
            let entries = try moderation.audit(
                limit: limit + 1, before: ctx.query("before").flatMap(Int64.init), since: since,
                memberID: ctx.query("member").flatMap(Int64.init))
            let page = Array(entries.prefix(limit))
            return ctx.json([
                "items": .array(page.map(Self.auditJSON)), "next": entries.count > limit ? JSONValue(page.last?.id) : .null,
            ])
        }
    }
}

extension ModerationService {
    public func caseID(ofReport reportID: Int64) throws -> Int64? {
        try database.read { db in
            try db.scalar("SELECT case_id FROM moderation_reports WHERE id = ?", [reportID], as: Int64.self)
        }
    }

    /// "2026-03-01" (UTC midnight) or a full ISO 8601 time.
    public static func parseDate(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withFullDate]
        return iso.date(from: text)
    }
}
