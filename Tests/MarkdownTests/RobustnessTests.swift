import Glibc
import Testing

@testable import Markdown

/// A pathological input and a check of what it must render to.
struct PathologicalCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let check: @Sendable (String) -> Bool

    var testDescription: String { name }
}

private func repeated(_ text: String, _ count: Int) -> String {
    String(repeating: text, count: count)
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

private let pathologicalCases: [PathologicalCase] = [
    PathologicalCase(name: "50,000 [", input: repeated("[", 50_000)) {
        $0 == "<p>" + repeated("[", 50_000) + "</p>\n"
    },
    PathologicalCase(name: "*a **b repeated", input: repeated("*a **b ", 15_000)) {
        !$0.contains("<em>") && !$0.contains("<strong>")
    },
    PathologicalCase(name: "a**b repeated", input: repeated("a**b ", 20_000)) {
        occurrences(of: "<strong>", in: $0) == 10_000
    },
    PathologicalCase(name: "_a then a_ runs", input: repeated("_a ", 20_000) + repeated("a_ ", 20_000)) {
        occurrences(of: "<em>", in: $0) == 20_000
    },
    PathologicalCase(name: "**a* repeated", input: repeated("**a*", 20_000)) { $0.hasPrefix("<p>") },
    PathologicalCase(
        name: "deeply nested brackets", input: repeated("[", 25_000) + "a" + repeated("]", 25_000)
    ) {
        $0 == "<p>" + repeated("[", 25_000) + "a" + repeated("]", 25_000) + "</p>\n"
    },
    PathologicalCase(
        name: "deeply nested images", input: repeated("![", 20_000) + "a" + repeated("](b)", 20_000)
    ) {
        $0 == "<p><img src=\"b\" alt=\"a\" /></p>\n"
    },
    PathologicalCase(
        name: "unclosed brackets then links", input: repeated("[", 20_000) + repeated("[a](b)", 20_000)
    ) { occurrences(of: "<a href=", in: $0) == 20_000 },
    PathologicalCase(name: "unclosed link destinations", input: repeated("[a](b", 25_000)) {
        !$0.contains("<a")
    },
    PathologicalCase(name: "unclosed pointy destinations", input: repeated("[a](<b", 25_000)) {
        !$0.contains("<a")
    },
    PathologicalCase(name: "deep parentheses in a destination", input: "[a](" + repeated("(", 50_000)) {
        !$0.contains("<a")
    },
    PathologicalCase(name: "unclosed link titles", input: repeated("[a](b \"", 20_000)) {
        !$0.contains("<a")
    },
    PathologicalCase(
        name: "backtick runs of growing length",
        input: (1..<400).map { repeated("`", $0) }.joined(separator: "a")
    ) { !$0.contains("<code>") },
    PathologicalCase(name: "unclosed HTML comments", input: repeated("a <!--", 20_000)) {
        $0.contains("&lt;!--")
    },
    PathologicalCase(name: "unclosed processing instructions", input: repeated("a <?", 20_000)) {
        $0.contains("&lt;?")
    },
    PathologicalCase(name: "unclosed CDATA", input: repeated("a <![CDATA[", 10_000)) { $0.contains("&lt;!") },
    PathologicalCase(name: "unclosed declarations", input: repeated("a <!A", 20_000)) {
        $0.contains("&lt;!A")
    },
    PathologicalCase(name: "unclosed attribute quotes", input: repeated("<a b='", 20_000)) {
        !$0.contains("<a ")
    },
    PathologicalCase(name: "100,000 *", input: repeated("*", 100_000)) { $0 == "<hr />\n" },
    PathologicalCase(name: "50,000 nested block quotes", input: repeated(">", 50_000) + " a") {
        occurrences(of: "<blockquote>", in: $0) == Markdown.Limits.default.maximumNesting
    },
    PathologicalCase(name: "25,000 nested list markers", input: repeated("- ", 25_000) + "a") {
        occurrences(of: "<ul>", in: $0) == Markdown.Limits.default.maximumNesting / 2
    },
    PathologicalCase(
        name: "990 ever deeper list items (1 MB)",
        input: (0..<990).map { repeated("  ", $0) + "- a" }.joined(separator: "\n")
    ) { occurrences(of: "<ul>", in: $0) == Markdown.Limits.default.maximumNesting / 2 },
    PathologicalCase(
        name: "500 ever deeper tab-indented list items",
        input: (0..<500).map { repeated("\t", $0) + "- a" }.joined(separator: "\n")
    ) { occurrences(of: "<ul>", in: $0) == Markdown.Limits.default.maximumNesting / 2 },
    PathologicalCase(name: "nested quotes and lists", input: repeated("> - ", 20_000) + "a") {
        occurrences(of: "<blockquote>", in: $0) <= Markdown.Limits.default.maximumNesting
    },
    PathologicalCase(name: "lazy continuation lines", input: repeated("> a\nb\n", 20_000)) {
        occurrences(of: "<blockquote>", in: $0) == 1
    },
    PathologicalCase(
        name: "10,000 reference definitions and uses",
        input: (0..<10_000).map { "[r\($0)]: /u\($0)" }.joined(separator: "\n") + "\n\n"
            + (0..<10_000).map { "[r\($0)]" }.joined(separator: " ")
    ) { occurrences(of: "<a href=", in: $0) == 10_000 },
    PathologicalCase(
        name: "emphasis nested 25,000 deep", input: repeated("*", 50_000) + "a" + repeated("*", 50_000)
    ) {
        occurrences(of: "<strong>", in: $0) == 25_000
    },
    PathologicalCase(
        name: "links nested in 10,000 images",
        input: repeated("![", 10_000) + "[a](b)" + repeated("](c)", 10_000)
    ) {
        $0 == "<p><img src=\"c\" alt=\"a\" /></p>\n"
    },
    PathologicalCase(name: "many entities", input: repeated("&#x1F600;&amp;&nosuch;&#0;", 10_000)) {
        $0.contains("&amp;nosuch;")
    },
]

@Suite("Untrusted input", .serialized)
struct RobustnessTests {
    @Test("pathological input renders correctly and in well under a second", arguments: pathologicalCases)
    func pathologicalInputIsFast(_ testCase: PathologicalCase) {
        // The rendering thread's own CPU time: what a quadratic blow-up would show, and what a
        // machine busy with other work (parallel tests, builds) does not inflate.
        let start = Self.threadCPUSeconds()
        let output = Markdown.html(testCase.input)
        let elapsed = Self.threadCPUSeconds() - start
        print("pathological input \(testCase.name) (\(testCase.input.utf8.count) bytes): \(elapsed) s of CPU")
        #expect(elapsed < 1, "\(testCase.name) took \(elapsed) s of CPU")
        #expect(testCase.check(output), "\(testCase.name): unexpected output prefix \(output.prefix(200))")
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test("validatedHTML rejects input over the limit and names both sizes")
    func validatedHTMLRejectsLargeInput() throws {
        let limits = Markdown.Limits(maximumInputBytes: 10)
        #expect(throws: MarkdownError.inputTooLarge(bytes: 11, limit: 10)) {
            try Markdown.validatedHTML("hello world", limits: limits)
        }
        #expect(try Markdown.validatedHTML("hello", limits: limits) == "<p>hello</p>\n")
    }

    @Test("html and plainText ignore input beyond the limit, cutting at a character boundary")
    func truncationKeepsValidText() {
        #expect(Markdown.html("abcdef", limits: Markdown.Limits(maximumInputBytes: 3)) == "<p>abc</p>\n")
        // "é" is two bytes: a three-byte limit keeps one whole "é", not one and a half.
        #expect(Markdown.html("ééé", limits: Markdown.Limits(maximumInputBytes: 3)) == "<p>é</p>\n")
        #expect(Markdown.plainText("ééé", limits: Markdown.Limits(maximumInputBytes: 5)) == "éé")
        #expect(Markdown.html("abc", limits: Markdown.Limits(maximumInputBytes: 0)) == "")
    }

    @Test("nesting deeper than the limit is read as text")
    func nestingLimit() {
        let limits = Markdown.Limits(maximumNesting: 2)
        #expect(
            Markdown.html(">>> a", limits: limits)
                == "<blockquote>\n<blockquote>\n<p>&gt; a</p>\n</blockquote>\n</blockquote>\n")
        #expect(Markdown.html("- - a", limits: limits) == "<ul>\n<li>- a</li>\n</ul>\n")
    }

    @Test("NUL characters are replaced, as the spec requires")
    func nulIsReplaced() {
        #expect(Markdown.html("a\u{0}b") == "<p>a\u{FFFD}b</p>\n")
    }

    @Test("random Markdown-like input never traps and safe output holds only renderer markup")
    func randomInput() {
        var generator = SplitMix64(seed: 0x5EED)
        let tokens = [
            "a", "é", " ", "  ", "\t", "\n", "\n\n", ">", "- ", "1. ", "*", "**", "_", "`", "```", "~~~",
            "# ",
            "===", "---", "    ", "[", "]", "(", ")", "![", "](", "<", ">", "\\", "&amp;", "&#", ";", "\"",
            "'",
            "<div>", "</div>", "<a href=\"x\">", "<!--", "-->", "<?", "<![CDATA[", "[x]: /u", "[x]",
            "javascript:alert(1)", "<javascript:x>", "data:x", "<script>", "\u{0}", "\r\n", "\u{A0}",
        ]
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 30)
            var text = ""
            for _ in 0..<count {
                text += tokens[Int(generator.next() % UInt64(tokens.count))]
            }
            let safe = Markdown.html(text)
            _ = Markdown.html(text, mode: .commonMark)
            _ = Markdown.plainText(text)
            if let stray = firstNonRendererTag(in: safe) {
                Issue.record("input \(text.debugDescription) gave markup \(stray.debugDescription)")
            }
        }
    }
}

/// A small deterministic generator, so that a failing random input can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
