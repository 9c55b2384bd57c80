import Foundation
import Kernel
import Storage

/// What authors submit for a post, and the checks it passes before anything is written.
extension BlogService {
    // MARK: Input

    /// What an author submits for a post: from the form, the API or a test.
    public struct PostInput: Sendable, Equatable {
        public var title: String
        public var body: String
        /// Comma-separated, as typed.
        public var tags: String
        /// The address of a YouTube or Vimeo page; empty for none.
        public var videoURL: String
        /// "public" or "members".
        public var visibility: String
        /// Publish now (true) or keep as a draft.
        public var publish: Bool

        public init(
            title: String, body: String, tags: String = "", videoURL: String = "",
            visibility: String = "public",
            publish: Bool = true
        ) {
            self.title = title
            self.body = body
            self.tags = tags
            self.videoURL = videoURL
            self.visibility = visibility
            self.publish = publish
        }

        /// The input that reproduces a stored post (for edit forms and partial API updates).
        public init(_ post: BlogPost) {
            self.init(
                title: post.title, body: post.body, tags: post.tags.joined(separator: ", "),
                videoURL: post.video?.watchURL ?? "", visibility: post.visibility.rawValue,
                publish: post.status == .published)
        }
    }

    struct ValidPost {
        var title: String
        var body: String
        var tags: [String]
        var video: VideoEmbed?
        var visibility: BlogPost.Visibility
    }

    func validate(_ input: PostInput) throws -> ValidPost {
        var check = Validation()
        let title = check.requiredSingleLine(
            input.title, field: "title", label: "Title", maxLength: Self.maximumTitleLength)
        let body = check.required(
            input.body, field: "body", label: "The post", maxLength: Self.maximumBodyLength)
        let tags: [String]
        switch Self.parseTags(input.tags) {
        case .success(let parsed): tags = parsed
        case .failure(let message):
            check.add("tags", message)
            tags = []
        }
        var video: VideoEmbed?
        if !input.videoURL.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { video = try VideoEmbed.parse(input.videoURL, allowed: videoProviders) } catch {
                check.add("video_url", error.description)
            }
        }
        let visibility = BlogPost.Visibility(rawValue: input.visibility.isEmpty ? "public" : input.visibility)
        if visibility == nil {
            check.add("visibility", "Choose who can read the post: everyone or members only.")
        }
        try check.finish()
        return ValidPost(
            title: title, body: body, tags: tags, video: video, visibility: visibility ?? .public)
    }

    enum TagParse: Equatable {
        case success([String])
        case failure(String)
    }

    /// "Maths, Early Years" → ["maths", "early-years"]. Letters (any script), digits, hyphens
    /// and underscores; spaces inside a tag become hyphens.
    static func parseTags(_ text: String) -> TagParse {
        var tags: [String] = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == "\n" }) {
            let words = raw.lowercased().split(whereSeparator: { $0.isWhitespace })
            let tag = words.joined(separator: "-")
            if tag.isEmpty { continue }
            if tag.count > maximumTagLength {
                return .failure(
                    "A tag is at most \(maximumTagLength) characters (\"\(tag.prefix(20))…\" is longer).")
            }
            if !tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                return .failure("Tags use letters, digits and hyphens only: \"\(tag)\" has other characters.")
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        if tags.count > maximumTags {
            return .failure("Use at most \(maximumTags) tags (there are \(tags.count)).")
        }
        return .success(tags)
    }
}
