import Testing

@testable import Markdown

/// The examples in the public documentation, pinned so that the documentation stays true.
@Suite("Public API")
struct APITests {
    @Test("the Markdown doc comment examples render as documented")
    func markdownDocExamples() {
        #expect(Markdown.html("Hello *world*") == "<p>Hello <em>world</em></p>\n")
        #expect(Markdown.html("[x](javascript:alert(1)) <b>hi</b>") == "<p>x &lt;b&gt;hi&lt;/b&gt;</p>\n")
        #expect(
            Markdown.plainText("# Title\n\nSome *emphasis* and [a link](/x).") == "Title\nSome emphasis and a link.")
    }

    @Test("the Mode doc comment examples render as documented")
    func modeDocExamples() {
        #expect(Markdown.html("<b>hi</b>", mode: .commonMark) == "<p><b>hi</b></p>\n")
        #expect(Markdown.html("<b>hi</b>", mode: .safe) == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n")
    }

    @Test("the html doc comment example renders as documented")
    func htmlDocExample() {
        #expect(
            Markdown.html("A [link](https://example.org)")
                == "<p>A <a href=\"https://example.org\" rel=\"nofollow ugc noopener\">link</a></p>\n")
    }

    @Test("the default mode is safe")
    func defaultModeIsSafe() {
        #expect(Markdown.html("<i>x</i>") == Markdown.html("<i>x</i>", mode: .safe))
        #expect(Markdown.html("<i>x</i>") != Markdown.html("<i>x</i>", mode: .commonMark))
    }

    @Test("plainText drops markup, decodes references and separates blocks")
    func plainText() {
        #expect(Markdown.plainText("**Bold** move &amp; `code`\n\n> quoted") == "Bold move & code\nquoted")
        #expect(Markdown.plainText("- one\n- two\n\n```\nlet x = 1\n```") == "one\ntwo\nlet x = 1")
        #expect(Markdown.plainText("![a *cat*](c.png) line  \nbreak") == "a cat line\nbreak")
        #expect(Markdown.plainText("[x]: /u\n\n---\n\n# ") == "")
        #expect(Markdown.plainText("") == "")
    }

    @Test("empty and blank input render to nothing")
    func emptyInput() {
        #expect(Markdown.html("") == "")
        #expect(Markdown.html("\n\n  \n") == "")
    }

    @Test("every line ending style is accepted")
    func lineEndings() {
        let expected = "<p>a\nb</p>\n<p>c</p>\n"
        #expect(Markdown.html("a\nb\n\nc") == expected)
        #expect(Markdown.html("a\r\nb\r\n\r\nc\r\n") == expected)
        #expect(Markdown.html("a\rb\r\rc") == expected)
    }
}
