import Foundation
import HTTP

/// Builds accessible form fields that keep what was typed and show errors beside the fields
/// they belong to (tied with aria-describedby and aria-invalid).
///
/// ```swift
/// var form = FormKit(values: submitted, errors: errors)
/// let html: HTML = "<form method=\"post\">\(ctx.csrfField)\(form.text("name", label: "Name", required: true))</form>"
/// ```
public struct FormKit: Sendable {
    public var values: [String: String]
    public var errors: [FieldError]

    public init(values: [String: String] = [:], errors: [FieldError] = []) {
        self.values = values
        self.errors = errors
    }

    /// Keeps every submitted field except passwords.
    public init(form: FormData, errors: [FieldError]) {
        var values: [String: String] = [:]
        for item in form.items where !item.name.lowercased().contains("password") && item.name != "_csrf" {
            if let existing = values[item.name] {
                values[item.name] = existing + "\n" + item.value
            } else {
                values[item.name] = item.value
            }
        }
        self.init(values: values, errors: errors)
    }

    public func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }

    /// A summary at the top of the form, announced to screen readers, linking to each field.
    public var summary: HTML {
        guard !errors.isEmpty else { return "" }
        let items = errors.map { error -> HTML in
            "<li><a href=\"#field-\(error.field)\">\(error.message)</a></li>"
        }
        return """
            <div class="flash flash-error error-summary" role="alert" tabindex="-1"><p><strong>Please correct \(errors.count == 1 ? "this" : "these"):</strong></p><ul>\(items)</ul></div>
            """
    }

    private func describedBy(_ name: String, hint: String?) -> (HTML, HTML, HTML) {
        var ids: [String] = []
        var hintHTML: HTML = ""
        var errorHTML: HTML = ""
        if let hint {
            ids.append("hint-\(name)")
            hintHTML = "<p class=\"hint\" id=\"hint-\(name)\">\(hint)</p>"
        }
        if let message = error(name) {
            ids.append("error-\(name)")
            errorHTML = "<p class=\"field-error\" id=\"error-\(name)\">\(message)</p>"
        }
        var attributes: HTML = ids.isEmpty ? "" : " aria-describedby=\"\(ids.joined(separator: " "))\""
        if error(name) != nil { attributes += " aria-invalid=\"true\"" }
        return (attributes, hintHTML, errorHTML)
    }

    /// A single-line input (type text, email, password, url, number, date, datetime-local, search).
    public func input(
        _ name: String, label: String, type: String = "text", required: Bool = false, hint: String? = nil,
        autocomplete: String? = nil, value: String? = nil, maxLength: Int? = nil
    ) -> HTML {
        let (aria, hintHTML, errorHTML) = describedBy(name, hint: hint)
        let shown = type == "password" ? "" : (values[name] ?? value ?? "")
        var extra: HTML = ""
        if required { extra += " required" }
        if let autocomplete { extra += " autocomplete=\"\(autocomplete)\"" }
        if let maxLength { extra += " maxlength=\"\(maxLength)\"" }
        return """
            <div class="field"><label for="field-\(name)">\(label)\(required ? HTML(" <span class=\"req\" aria-hidden=\"true\">*</span>") : HTML.empty)</label>\(hintHTML)\(errorHTML)<input type="\(type)" id="field-\(name)" name="\(name)" value="\(shown)"\(aria)\(extra)></div>
            """
    }

    public func text(
        _ name: String, label: String, required: Bool = false, hint: String? = nil, value: String? = nil
    ) -> HTML {
        input(name, label: label, required: required, hint: hint, value: value)
    }

    public func textarea(
        _ name: String, label: String, required: Bool = false, hint: String? = nil, value: String? = nil,
        rows: Int = 6,
        maxLength: Int? = nil
    ) -> HTML {
        textarea(
            name, label: label, required: required, hint: hint, value: value, rows: rows,
            maxLength: maxLength, markdown: false)
    }

    /// A textarea; a Markdown one (``markdown(_:label:required:hint:value:rows:maxLength:)``)
    /// carries `data-markdown` for pln.js and shows the preview asked for above itself.
    func textarea(
        _ name: String, label: String, required: Bool, hint: String?, value: String?, rows: Int,
        maxLength: Int?,
        markdown: Bool
    ) -> HTML {
        let (aria, hintHTML, errorHTML) = describedBy(name, hint: hint)
        var extra: HTML = required ? " required" : ""
        if let maxLength { extra += " maxlength=\"\(maxLength)\"" }
        var preview: HTML = ""
        if markdown {
            extra += " data-markdown"
            if values[Self.previewField] == name {
                preview = Self.preview(of: values[name] ?? "", id: "field-\(name)")
            }
        }
        return """
            <div class="field\(markdown ? HTML(" markdown-field") : HTML.empty)">\(preview)<label for="field-\(name)">\(label)</label>\(hintHTML)\(errorHTML)<textarea id="field-\(name)" name="\(name)" rows="\(rows)"\(aria)\(extra)>\(values[name] ?? value ?? "")</textarea></div>
            """
    }

    public func select(
        _ name: String, label: String, options: [(value: String, label: String)], required: Bool = false,
        hint: String? = nil, value: String? = nil, includeBlank: Bool = true
    ) -> HTML {
        let (aria, hintHTML, errorHTML) = describedBy(name, hint: hint)
        let selected = values[name] ?? value ?? ""
        var optionsHTML: [HTML] = includeBlank ? ["<option value=\"\">Choose…</option>"] : []
        for option in options {
            optionsHTML.append(
                "<option value=\"\(option.value)\"\(option.value == selected ? HTML(" selected") : HTML.empty)>\(option.label)</option>"
            )
        }
        return """
            <div class="field"><label for="field-\(name)">\(label)</label>\(hintHTML)\(errorHTML)<select id="field-\(name)" name="\(name)"\(aria)\(required ? HTML(" required") : HTML.empty)>\(optionsHTML)</select></div>
            """
    }

    public func checkbox(_ name: String, label: HTML, checked: Bool = false, hint: String? = nil) -> HTML {
        let (aria, hintHTML, errorHTML) = describedBy(name, hint: hint)
        let isChecked = values[name].map { !$0.isEmpty } ?? checked
        return """
            <div class="field checkbox">\(errorHTML)<input type="checkbox" id="field-\(name)" name="\(name)" value="1"\(isChecked ? HTML(" checked") : HTML.empty)\(aria)> <label for="field-\(name)">\(label)</label>\(hintHTML)</div>
            """
    }

    /// Checkboxes for choosing several options; values are submitted under the same name.
    public func checkboxes(
        _ name: String, legend: String, options: [String], selected: [String] = [], hint: String? = nil
    ) -> HTML {
        let (_, hintHTML, errorHTML) = describedBy(name, hint: hint)
        let chosen = values[name].map { $0.components(separatedBy: "\n") } ?? selected
        let boxes = options.enumerated().map { index, option -> HTML in
            "<div class=\"checkbox\"><input type=\"checkbox\" id=\"field-\(name)-\(index)\" name=\"\(name)\" value=\"\(option)\"\(chosen.contains(option) ? HTML(" checked") : HTML.empty)> <label for=\"field-\(name)-\(index)\">\(option)</label></div>"
        }
        return
            "<fieldset class=\"field\" id=\"field-\(name)\"><legend>\(legend)</legend>\(hintHTML)\(errorHTML)\(boxes)</fieldset>"
    }
}

/// Collects validation errors for a form or an API body.
///
/// ```swift
/// var check = Validation()
/// let title = check.required(form["title"], field: "title", label: "Title", maxLength: 200)
/// try check.finish()   // throws DomainError.invalid when anything failed
/// ```
public struct Validation: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Trimmed text that must be present and not too long.
    public mutating func required(_ value: String?, field: String, label: String, maxLength: Int = 10_000)
        -> String
    {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            add(field, "Enter \(label.lowercased()).")
        } else if text.count > maxLength {
            add(field, "\(label) must be at most \(maxLength) characters (it has \(text.count)).")
        }
        return text
    }

    /// Trimmed optional text with a length limit.
    public mutating func optional(_ value: String?, field: String, label: String, maxLength: Int = 10_000)
        -> String
    {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > maxLength {
            add(field, "\(label) must be at most \(maxLength) characters (it has \(text.count)).")
        }
        return text
    }

    /// A required single-line field (a name, a title): cleaned by ``SingleLineText/clean(_:)``
    /// (line breaks and tabs to spaces; control, NUL and bidi override characters removed).
    public mutating func requiredSingleLine(
        _ value: String?, field: String, label: String, maxLength: Int = 200
    ) -> String {
        required(SingleLineText.clean(value ?? ""), field: field, label: label, maxLength: maxLength)
    }

    /// An optional single-line field, cleaned like ``requiredSingleLine(_:field:label:maxLength:)``.
    public mutating func optionalSingleLine(
        _ value: String?, field: String, label: String, maxLength: Int = 200
    ) -> String {
        optional(SingleLineText.clean(value ?? ""), field: field, label: label, maxLength: maxLength)
    }

    public var isValid: Bool { errors.isEmpty }

    public func finish() throws {
        if !errors.isEmpty { throw DomainError.invalid(errors) }
    }
}
