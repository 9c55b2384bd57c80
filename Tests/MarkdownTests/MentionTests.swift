import Testing

@testable import Markdown

/// `@handle` becomes a profile link in member writing, never in code, links or addresses.
@Suite struct MentionTests {
    @Test func aMentionLinksToTheProfileAndStaysEscaped() {
        #expect(
            Markdown.html("Thanks @rita-reader!", mentionPrefix: "/members/")
                == "<p>Thanks <a class=\"mention\" href=\"/members/rita-reader\">@rita-reader</a>!</p>\n")
        #expect(
            Markdown.html("cc @ada.", mentionPrefix: "/members/")
                == "<p>cc <a class=\"mention\" href=\"/members/ada\">@ada</a>.</p>\n")
    }

    @Test func addressesCodeLinksAndRawHTMLAreNotMentions() {
        let prefix = "/members/"
        #expect(
            Markdown.html("mail ada@school.example", mentionPrefix: prefix)
                == "<p>mail ada@school.example</p>\n")
        #expect(Markdown.html("`@ada`", mentionPrefix: prefix) == "<p><code>@ada</code></p>\n")
        #expect(!Markdown.html("[@ada](https://example.org)", mentionPrefix: prefix).contains("mention"))
        #expect(
            Markdown.html("<b>@ada</b>", mentionPrefix: prefix)
                == "<p>&lt;b&gt;<a class=\"mention\" href=\"/members/ada\">@ada</a>&lt;/b&gt;</p>\n")
        #expect(Markdown.html("@ @. @-", mentionPrefix: prefix) == "<p>@ @. @-</p>\n")
        // Without a prefix (and in CommonMark mode) nothing changes.
        #expect(Markdown.html("Thanks @ada") == "<p>Thanks @ada</p>\n")
    }

    @Test func mentionedHandlesAreListedOnceInOrder() {
        #expect(
            Markdown.mentionedHandles(in: "@ben and @ada, again @ben; `@code` [@link](/x) x@y.z")
                == ["ben", "ada"])
    }
}
