import Testing

@testable import Markdown

@Suite("Safe mode")
struct SafeModeTests {
    static let dangerousDestinations = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "java&#9;script:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "<\u{20}javascript:alert(1)>",
        "<java&#10;script:alert(1)>",
        "%6Aavascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
    ]

    @Test("links with a dangerous scheme are dropped and keep their text", arguments: dangerousDestinations)
    func dangerousLinkIsDropped(destination: String) {
        let output = Markdown.html("[click me](\(destination))")
        #expect(output == "<p>click me</p>\n")
    }

    @Test("a leading space before the destination does not hide the scheme")
    func leadingSpaceIsIgnored() {
        #expect(Markdown.html("[x]( javascript:alert(1))") == "<p>x</p>\n")
        #expect(Markdown.html("[x](\tjavascript:alert(1))") == "<p>x</p>\n")
    }

    @Test("images with a dangerous scheme are dropped and keep their description", arguments: dangerousDestinations)
    func dangerousImageIsDropped(destination: String) {
        let output = Markdown.html("![a *cat*](\(destination) \"t\")")
        #expect(output == "<p>a cat</p>\n")
    }

    @Test("reference links and autolinks with a dangerous scheme are dropped")
    func dangerousReferencesAndAutolinks() {
        #expect(Markdown.html("[x]\n\n[x]: javascript:alert(1)") == "<p>x</p>\n")
        #expect(Markdown.html("<javascript:alert(1)>") == "<p>javascript:alert(1)</p>\n")
        #expect(Markdown.html("<VBSCRIPT:x>") == "<p>VBSCRIPT:x</p>\n")
        #expect(!Markdown.html("[x](data:,hi)").contains("href"))
    }

    @Test("spec mode keeps every destination, as the spec requires")
    func specModeKeepsDestinations() {
        #expect(
            Markdown.html("[x](javascript:alert(1))", mode: .commonMark)
                == "<p><a href=\"javascript:alert(1)\">x</a></p>\n")
    }

    @Test("ordinary destinations are kept, including ones that merely mention a scheme", arguments: [
        "https://example.org/a?b=c", "http://x", "mailto:a@b.c", "/javascript:alert(1)", "page.html",
        "#data:x", "?file:y", "javascripts/app.js", "",
    ])
    func safeDestinationIsKept(destination: String) {
        let output = Markdown.html("[x](\(destination))")
        #expect(output.hasPrefix("<p><a href=\""))
        #expect(output.hasSuffix("\" rel=\"nofollow ugc noopener\">x</a></p>\n"))
    }

    @Test("links and autolinks carry rel in safe mode only")
    func relOnLinks() {
        #expect(
            Markdown.html("<https://a.example>")
                == "<p><a href=\"https://a.example\" rel=\"nofollow ugc noopener\">https://a.example</a></p>\n")
        #expect(
            Markdown.html("[a](/u \"T\")")
                == "<p><a href=\"/u\" title=\"T\" rel=\"nofollow ugc noopener\">a</a></p>\n")
        #expect(Markdown.html("[a](/u)", mode: .commonMark) == "<p><a href=\"/u\">a</a></p>\n")
        #expect(Markdown.html("![a](/i.png)") == "<p><img src=\"/i.png\" alt=\"a\" /></p>\n")
    }

    @Test("HTML blocks are shown as escaped text")
    func htmlBlockIsEscaped() {
        #expect(
            Markdown.html("<script>alert(1)</script>")
                == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
        #expect(
            Markdown.html("<div onclick=\"x()\">\n*hi*\n</div>")
                == "<p>&lt;div onclick=&quot;x()&quot;&gt;\n*hi*\n&lt;/div&gt;</p>\n")
        #expect(Markdown.html("<!-- secret -->") == "<p>&lt;!-- secret --&gt;</p>\n")
    }

    @Test("inline raw HTML is shown as escaped text")
    func inlineHTMLIsEscaped() {
        #expect(
            Markdown.html("a <img src=x onerror=alert(1)> b")
                == "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n")
        #expect(Markdown.html("*<b>bold</b>*") == "<p><em>&lt;b&gt;bold&lt;/b&gt;</em></p>\n")
    }

    @Test("attribute values cannot be broken out of")
    func attributesAreEscaped() {
        let output = Markdown.html("[a](/u \"x\\\" onmouseover=\\\"alert(1)\")")
        #expect(output.contains("title=\"x&quot; onmouseover=&quot;alert(1)\""))
        #expect(Markdown.html("![\"><script>](/i)").contains("alt=\"&quot;&gt;&lt;script&gt;\""))
        #expect(Markdown.html("[a](<\"onclick=x>)").contains("href=\"%22onclick=x\""))
    }

    @Test("the scheme check sees through case, controls, whitespace and encodings")
    func schemeCheck() {
        for destination in [
            "javascript:", "JAVASCRIPT:x", " \tjavascript:x", "java\u{0}script:x", "java\nscript:x",
            "java%09script:x", "%4A%41VASCRIPT:x", "data:image/png;base64,AAAA", "file:x", "vbscript:x",
        ] {
            #expect(isDangerousDestination(Array(destination.utf8)), "\(destination.debugDescription)")
        }
        for destination in ["https://x", "/data:x", "javascript", "datafile:x", "files:x", "./javascript:x"] {
            #expect(!isDangerousDestination(Array(destination.utf8)), "\(destination.debugDescription)")
        }
    }
}
