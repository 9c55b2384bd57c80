import Foundation
import Testing

@testable import Membership

/// The directory's filter choices: rendered once per list of values, the chosen one marked.
@Suite struct DirectoryFilterControlsTests {
    static func options(_ values: [String], selected: String? = nil) -> String {
        values.map { value in
            let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
                of: "<", with: "&lt;"
            )
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            return "<option value=\"\(escaped)\"\(value == selected ? " selected" : "")>\(escaped)</option>"
        }.joined()
    }

    static func field(_ name: String, _ options: String) -> String {
        "<div class=\"field\"><label for=\"field-\(name)\">School</label><select id=\"field-\(name)\" name=\"\(name)\"><option value=\"\">Choose…</option>\(options)</select></div>"
    }

    @Test func theChosenValueIsMarkedAndOnlyIt() {
        let schools = ["Oak & Ash", "Élan \"Primary\"", "Rosewood", "Rosewood Infants", "<Hill>"]
        for chosen in schools + [nil, "Nowhere", "Rosewood Inf"] {
            let html = DirectoryFilters.select(
                "test-school", label: "School", options: schools, chosen: chosen)
            let expected = Self.options(schools, selected: schools.contains(chosen ?? "") ? chosen : nil)
            #expect(html.text == Self.field("test-school", expected), "\(chosen ?? "nil")")
            #expect(
                html.text.components(separatedBy: " selected").count
                    == (schools.contains(chosen ?? "") ? 2 : 1))
        }
    }

    @Test func changedChoicesAreRenderedAgainAndARepeatedValueIsMarkedOnce() {
        let first = DirectoryFilters.select(
            "test-role", label: "School", options: ["Teacher", "Head"], chosen: "Head")
        #expect(first.text == Self.field("test-role", Self.options(["Teacher", "Head"], selected: "Head")))
        let values = ["Head", "SENCo", "Head"]
        let second = DirectoryFilters.select("test-role", label: "School", options: values, chosen: "Head")
        #expect(
            second.text
                == Self.field(
                    "test-role",
                    "<option value=\"Head\" selected>Head</option><option value=\"SENCo\">SENCo</option><option value=\"Head\">Head</option>"
                ))
    }

    @Test func valuesAroundTheVisibleTrimmedAsFoundationTrims() {
        for text in ["KS2", " KS2", "KS2\t", "\u{00A0}KS2\u{2003}", "", "  ", "Key stage 2", "é", "\u{2009}"]
        {
            #expect(DirectoryFilters.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(text)")
        }
    }
}
