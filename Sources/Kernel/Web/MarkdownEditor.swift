import Foundation
import HTTP
import Synchronization

/// Markdown editors: a textarea that pln.js gives a formatting toolbar and Write/Preview tabs,
/// and a Preview button that works without JavaScript. The button posts the form to its own
/// route with `preview=<field>`; the module's handler sees ``HTTP/FormData/asksForPreview`` and
/// shows the same form again, text kept, with the rendered preview above the field (nothing is
/// saved). The preview is the same safe renderer, mention links included, as the published text.
///
/// ```swift
/// let form = try ctx.form()
/// if form.asksForPreview { return editor(ctx, form: FormKit(form: form, errors: [])) }
/// …
/// kit.markdown("body", label: "Post", required: true)
/// "<p><button type=\"submit\">Publish</button> \(kit.previewButton(action: "/blog/new"))</p>"
/// ```
extension FormKit {
    /// The form field whose value names the Markdown field a Preview button asked to see.
    public static let previewField = "preview"

    /// A Markdown textarea: like ``textarea(_:label:required:hint:value:rows:maxLength:)``, plus
    /// `data-markdown` (the toolbar and tabs of pln.js) and, when this field's preview was asked
    /// for, the rendered preview above it.
    public func markdown(
        _ name: String, label: String, required: Bool = false, hint: String? = nil, value: String? = nil,
        rows: Int = 6,
        maxLength: Int? = nil
    ) -> HTML {
        textarea(
            name, label: label, required: required, hint: hint, value: value, rows: rows,
            maxLength: maxLength, markdown: true)
    }

    /// The Preview button for a Markdown field (after the form's own submit button, so Enter
    /// still submits): posts the form to `action` with `preview=<field>` and comes back to the
    /// preview (`#preview-<id>`). Hidden when pln.js runs (its Preview tab does the same in place).
    public func previewButton(action: String, field: String = "body", id: String? = nil) -> HTML {
        Self.previewButton(action: action, field: field, id: id ?? "field-\(field)")
    }

    /// The Preview button for a hand-written Markdown textarea whose id is `id`.
    public static func previewButton(action: String, field: String = "body", id: String) -> HTML {
        """
        <button type="submit" name="\(previewField)" value="\(field)" formaction="\(action)#preview-\(id)" formnovalidate class="secondary preview-button">Preview</button>\(HTML(trustedRenderer: Assets.editorScriptElement))
        """
    }

    /// The rendered preview of `source` shown above the textarea whose id is `id`.
    public static func preview(of source: String, id: String) -> HTML {
        let rendered: HTML =
            source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? "<p class=\"empty\">Nothing to preview yet.</p>" : .markdown(source)
        return """
            <section class="markdown-preview" id="preview-\(id)" tabindex="-1" aria-labelledby="preview-\(id)-title"><h2 id="preview-\(id)-title">Preview</h2><p class="hint">Not posted yet: this is how it will look.</p><div class="prose">\(rendered)</div></section>
            """
    }
}

extension RequestContext {
    /// The form shown again for a Preview: what was typed, plus an error on `fileField` when a
    /// file was chosen (a browser cannot keep a file field, so it has to be chosen again).
    public func previewKit(_ form: FormData, fileField: String, fileNoun: String) throws -> FormKit {
        var errors: [FieldError] = []
        if try file(fileField) != nil {
            errors.append(
                .init(field: fileField, message: "Choose the \(fileNoun) again: a preview does not keep it."))
        }
        return FormKit(form: form, errors: errors)
    }
}

extension FormData {
    /// True when the form was posted by a Preview button (``FormKit/previewButton(action:field:id:)``):
    /// show the form again with the preview, and save nothing.
    public var asksForPreview: Bool { !(self[FormKit.previewField] ?? "").isEmpty }
}

/// `POST /markdown/preview`: the Markdown in `body` rendered as the published text will be, as an
/// HTML fragment for pln.js's Preview tab. Signed-in members in good standing, CSRF-checked like
/// every form, at most ``maximumLength`` characters and ``PreviewLimiter/perMinute`` previews a
/// minute per member. Every answer (200, 413, 429) is a fragment marked `X-Markdown-Preview`.
struct MarkdownPreviewPages: Sendable {
    static let path = "/markdown/preview"
    /// The longest text any editor takes (a blog post).
    static let maximumLength = 100_000
    let limiter: PreviewLimiter

    func register(_ web: inout WebContributions) {
        web.pages("/markdown", access: .members) { pages in
            pages.post("/preview", use: preview)
        }
    }

    @Sendable func preview(_ ctx: RequestContext) throws -> HTTPResponse {
        let member = try ctx.requireActiveMember()
        guard limiter.allow(member.id, at: ctx.services.clock.now) else {
            var response = Self.fragment(
                "<p class=\"field-error\">Too many previews in a minute: wait a moment and try again.</p>",
                status: HTTPStatus(code: 429))
            response.headers.add("Retry-After", "60")
            return response
        }
        let text = try ctx.form()["body"] ?? ""
        let length = text.count
        guard length <= Self.maximumLength else {
            return Self.fragment(
                "<p class=\"field-error\">Too long to preview: at most \(Self.maximumLength) characters (it has \(length)).</p>",
                status: HTTPStatus(code: 413))
        }
        let rendered: HTML =
            text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? "<p class=\"empty\">Nothing to preview yet.</p>" : .markdown(text)
        return Self.fragment(rendered, status: .ok)
    }

    static func fragment(_ html: HTML, status: HTTPStatus) -> HTTPResponse {
        var response = HTTPResponse.html(html.text, status: status)
        response.headers.add("Cache-Control", "no-store")
        response.headers.add("X-Markdown-Preview", "1")
        return response
    }
}

/// At most ``perMinute`` previews per member in each minute (a fixed window per member), in
/// memory: a preview costs a render and nothing else, so a restart forgetting counts is harmless.
final class PreviewLimiter: Sendable {
    static let perMinute = 30
    let limit: Int
    private let windows = Mutex<[Int64: (start: Date, count: Int)]>([:])

    init(limit: Int = PreviewLimiter.perMinute) { self.limit = limit }

    /// Counts one preview for `memberID`; false when the minute's previews are used up.
    func allow(_ memberID: Int64, at now: Date) -> Bool {
        windows.withLock { windows in
            if windows.count > 10_000 {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 }
            }
            var window = windows[memberID] ?? (start: now, count: 0)
            if now.timeIntervalSince(window.start) >= 60 || now < window.start {
                window = (start: now, count: 0)
            }
            guard window.count < limit else { return false }
            window.count += 1
            windows[memberID] = window
            return true
        }
    }
}
