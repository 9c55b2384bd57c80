import Foundation
import Testing

@testable import Markdown

/// Spec examples allowed to fail in `.commonMark` mode, each with the reason. Empty: all 655
/// examples of CommonMark 0.31.2 pass with exact string comparison.
private let knownFailures: [Int: String] = [:]

private let safeRel = " rel=\"nofollow ugc noopener\""

@Suite("CommonMark spec examples", .enabled(if: SpecFixture.isPresent, SpecFixture.missingReason))
struct SpecConformanceTests {
    let examples: [SpecExample]

    init() throws {
        examples = try SpecFixture.examples()
    }

    @Test("the fixture holds the 655 examples of the spec")
    func fixtureIsComplete() {
        #expect(examples.count == 655)
        #expect(Set(examples.map(\.example)).count == 655)
    }

    @Test("every spec example renders exactly as the spec says in commonMark mode")
    func commonMarkModeMatchesTheSpec() {
        var sections: [String] = []
        var passes: [String: (passed: Int, total: Int)] = [:]
        var failures: [Int] = []
        for example in examples {
            let output = Markdown.html(example.markdown, mode: .commonMark)
            let passed = output == example.html
            if passes[example.section] == nil { sections.append(example.section) }
            var tally = passes[example.section] ?? (0, 0)
            tally.total += 1
            if passed {
                tally.passed += 1
            } else {
                failures.append(example.example)
            }
            passes[example.section] = tally
            if !passed && knownFailures[example.example] == nil {
                Issue.record(
                    """
                    example \(example.example) (\(example.section)) differs
                    markdown: \(example.markdown.debugDescription)
                    expected: \(example.html.debugDescription)
                    actual:   \(output.debugDescription)
                    """)
            }
        }
        for (number, reason) in knownFailures where !failures.contains(number) {
            Issue.record("example \(number) is listed as a known failure (\(reason)) but passes: remove it")
        }
        var table = "CommonMark 0.31.2 conformance (commonMark mode, exact comparison)\n"
        table += "section".padding(toLength: 44, withPad: " ", startingAt: 0) + "passed / total\n"
        for section in sections {
            let tally = passes[section] ?? (0, 0)
            table += section.padding(toLength: 44, withPad: " ", startingAt: 0)
            table += "\(tally.passed) / \(tally.total)\n"
        }
        table += "all".padding(toLength: 44, withPad: " ", startingAt: 0)
        table += "\(examples.count - failures.count) / \(examples.count)\n"
        print(table)
    }

    @Test("safe mode shows the raw HTML of spec examples as text, never as markup")
    func safeModeEscapesRawHTML() {
        let rawHTMLExamples = examples.filter(containsRawHTML)
        #expect(rawHTMLExamples.count >= 67, "the HTML blocks and Raw HTML sections alone have 67")
        print("safe mode: \(rawHTMLExamples.count) spec examples checked as containing raw HTML")
        for example in rawHTMLExamples {
            let output = Markdown.html(example.markdown, mode: .safe)
            if let stray = firstNonRendererTag(in: output) {
                let found = stray.debugDescription
                Issue.record(
                    "example \(example.example): safe output has markup the renderer does not make: \(found)")
            }
            for tag in rawTags(in: example.html) where output.contains(tag) {
                Issue.record("example \(example.example): raw tag \(tag.debugDescription) reached the output")
            }
            // Every piece of raw HTML is still there for the reader, as text.
            for fragment in Markdown.rawHTMLFragments(in: example.markdown) {
                let shown = escapedHTML(String(fragment.reversed().drop(while: \.isWhitespace).reversed()))
                if !output.contains(shown) {
                    Issue.record(
                        "example \(example.example): raw HTML \(fragment.debugDescription) is not shown as text"
                    )
                }
            }
        }
    }

    @Test("apart from rel on links, safe mode renders spec examples without raw HTML as the spec does")
    func safeModeMatchesTheSpecElsewhere() {
        let others = examples.filter { !containsRawHTML($0) }
        #expect(others.count > 550)
        for example in others {
            let output = Markdown.html(example.markdown, mode: .safe)
            let withoutRel = output.replacingOccurrences(of: safeRel, with: "")
            #expect(
                withoutRel == example.html, "example \(example.example): \(example.markdown.debugDescription)"
            )
            let links = example.html.components(separatedBy: "<a href=").count - 1
            let relLinks = output.components(separatedBy: safeRel).count - 1
            #expect(relLinks == links, "example \(example.example): every link gets rel")
        }
    }
}

// MARK: - Classifying examples and checking markup

private func escapedHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// An example contains raw HTML when it belongs to the HTML sections, when the spec's expected
/// output holds a tag the renderer itself never produces (so it came from the input), or when the
/// input has tag syntax (`<name` followed by space, `/` or `>`, `</name`, `<!`, `<?`), which
/// autolinks never have.
private func containsRawHTML(_ example: SpecExample) -> Bool {
    example.section == "HTML blocks" || example.section == "Raw HTML" || !rawTags(in: example.html).isEmpty
        || hasTagSyntax(example.markdown)
}

private func hasTagSyntax(_ markdown: String) -> Bool {
    let characters = Array(markdown)
    for (index, character) in characters.enumerated() where character == "<" {
        guard index + 1 < characters.count else { continue }
        let next = characters[index + 1]
        if next == "!" || next == "?" || next == "/" { return true }
        guard next.isASCII, next.isLetter else { continue }
        var end = index + 2
        while end < characters.count, characters[end].isASCII,
            characters[end].isLetter || characters[end].isNumber || characters[end] == "-"
        {
            end += 1
        }
        if end == characters.count || characters[end].isWhitespace || characters[end] == "/"
            || characters[end] == ">"
        {
            return true
        }
    }
    return false
}
