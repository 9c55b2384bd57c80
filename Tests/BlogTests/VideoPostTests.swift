import Foundation
import Kernel
import Membership
import Storage
import Testing

@testable import Blog

/// Video posts: addresses parsed into privacy-enhanced embeds, the providers setting.
@Suite struct VideoPostTests {
    @Test func videoAddressesAreParsedIntoPrivacyEnhancedEmbeds() throws {
        let all = VideoEmbed.Provider.allCases
        let cases: [(String, String)] = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
            ),
            ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            (
                "https://m.youtube.com/shorts/dQw4w9WgXcQ",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
            ),
            ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
            ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ]
        for (url, embed) in cases {
            #expect(try VideoEmbed.parse(url, allowed: all).embedURL == embed)
        }
        #expect(throws: VideoEmbed.ParseError.notAURL) {
            try VideoEmbed.parse("javascript:alert(1)", allowed: all)
        }
        #expect(throws: VideoEmbed.ParseError.self) {
            try VideoEmbed.parse("https://evil.example/watch?v=dQw4w9WgXcQ", allowed: all)
        }
        #expect(throws: VideoEmbed.ParseError.noVideoID(.youtube)) {
            try VideoEmbed.parse("https://www.youtube.com/watch?v=\"><script>", allowed: all)
        }
        #expect(throws: VideoEmbed.ParseError.providerNotAllowed(host: "vimeo.com", allowed: [.youtube])) {
            try VideoEmbed.parse("https://vimeo.com/76979871", allowed: [.youtube])
        }
    }

    @Test func aVideoPostRecordsPostedAVideoAndRespectsTheProviderSetting() throws {
        let fixture = try BlogFixture(settings: ["blog": ["video_providers": .list([.string("vimeo")])]])
        let author = try fixture.member("Thomas Whitby")
        let post = try fixture.post(by: author, video: "https://vimeo.com/76979871")
        #expect(post.video == VideoEmbed(provider: .vimeo, videoID: "76979871"))
        #expect(try fixture.activities().last?.verb == "posted_video")
        do {
            try fixture.post(by: author, video: "https://youtu.be/dQw4w9WgXcQ")
            Issue.record("YouTube is not allowed by this deployment")
        } catch DomainError.invalid(let errors) {
            #expect(errors.first?.field == "video_url")
            #expect(errors.first?.message.contains("use a link to Vimeo") == true)
        }
    }
}
