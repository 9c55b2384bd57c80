import Storage

/// A post as the four peer routes serve it (same columns as shared/bench's PeerCore).
///
/// ```swift
/// let post = try database.read { try PeerQueries.post($0, id: 42) }
/// print(post?.title ?? "none")
/// ```
struct PeerPost: Sendable, Equatable {
    var id: Int64
    var title: String
    var body: String
    var author: String
    var views: Int64
}

/// One comment under a post, newest first on the page.
///
/// ```swift
/// let comments = try database.read { try PeerQueries.latestComments($0, postID: 42) }
/// print(comments.first?.author ?? "no comments")
/// ```
struct PeerComment: Sendable, Equatable {
    var id: Int64
    var author: String
    var body: String
    var createdAt: Int64
}

/// The peers' schema and deterministic seed, reproduced on PLN's storage layer so every server
/// in the comparison serves the same rows.
///
/// ```swift
/// let database = try PeerSchema.open(path: "/tmp/peer.db")   // creates and seeds when empty
/// ```
enum PeerSchema {
    static let postCount = 10_000
    static let commentCount = 100_000

    /// Opens the database (WAL, synchronous=NORMAL through `Storage`), creates the tables and
    /// seeds them when `posts` is empty, all in one write transaction like the peers do.
    static func open(path: String, readers: Int) throws -> Database {
        let database = try Database(path: path, configuration: .init(readers: readers))
        try database.write { db in
            try db.executeScript(
                """
                CREATE TABLE IF NOT EXISTS posts (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    author TEXT NOT NULL,
                    views INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE IF NOT EXISTS comments (
                    id INTEGER PRIMARY KEY,
                    post_id INTEGER NOT NULL REFERENCES posts(id),
                    author TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS comments_post_created
                    ON comments(post_id, created_at DESC, id DESC);
                """)
            let existing = try db.scalar("SELECT COUNT(*) FROM posts", as: Int.self) ?? 0
            if existing == 0 { try seed(db) }
        }
        return database
    }

    /// Posts 1…2500 get 25 comments each and the rest 5 each, so /posts/42 shows 20 of 25.
    /// The order of random draws is the peers' exactly: the data must be byte-identical.
    static func seed(_ db: Connection) throws {
        var random = PeerRandom(seed: 0x5EED_1234_ABCD_0001)
        for id in 1...postCount {
            let title = random.text(minBytes: 40, capitalize: true)
            let body = random.text(minBytes: 1000, capitalize: true)
            try db.execute(
                "INSERT INTO posts (id, title, body, author, views) VALUES (?, ?, ?, ?, 0)",
                [id, title, body, "author\(id % 97)"])
        }
        let half = commentCount / 2
        for index in 0..<commentCount {
            let postID = index < half ? (index % 2500) + 1 : ((index - half) % postCount) + 1
            let body = random.text(minBytes: 70, capitalize: true)
            let author = "user\(random.next() % 1000)"
            try db.execute(
                "INSERT INTO comments (id, post_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)",
                [index + 1, postID, author, body, 1_700_000_000 + Int64(index) * 37])
        }
    }
}

/// The peers' queries, as prepared statements cached per connection by `Storage`.
///
/// ```swift
/// let page = try database.read { try PeerQueries.postPage($0, id: 42) }
/// ```
enum PeerQueries {
    static let postSQL = "SELECT id, title, body, author, views FROM posts WHERE id = ?"
    static let commentsSQL = """
        SELECT id, author, body, created_at FROM comments
        WHERE post_id = ? ORDER BY created_at DESC, id DESC LIMIT 20
        """
    static let incrementSQL = "UPDATE posts SET views = views + 1 WHERE id = ? RETURNING views"

    static func post(_ db: Connection, id: Int64) throws -> PeerPost? {
        try db.queryOne(postSQL, [id]) { row in
            PeerPost(
                id: try row.value("id"), title: try row.value("title"), body: try row.value("body"),
                author: try row.value("author"), views: try row.value("views"))
        }
    }

    static func latestComments(_ db: Connection, postID: Int64) throws -> [PeerComment] {
        var comments: [PeerComment] = []
        comments.reserveCapacity(20)
        try db.forEach(commentsSQL, [postID]) { row in
            comments.append(
                PeerComment(
                    id: try row.value("id"), author: try row.value("author"), body: try row.value("body"),
                    createdAt: try row.value("created_at")))
        }
        return comments
    }

    /// The post and its latest 20 comments; call inside one `read` so both come from one snapshot.
    static func postPage(_ db: Connection, id: Int64) throws -> (PeerPost, [PeerComment])? {
        guard let post = try post(db, id: id) else { return nil }
        return (post, try latestComments(db, postID: id))
    }

    /// Increments and returns the counter; nil when the post does not exist.
    static func incrementViews(_ db: Connection, id: Int64) throws -> Int64? {
        try db.scalar(incrementSQL, [id], as: Int64.self)
    }
}

/// The peers' linear congruential generator and word list: the same seed gives the same text.
///
/// ```swift
/// var random = PeerRandom(seed: 1)
/// let title = random.text(minBytes: 40, capitalize: true)
/// ```
struct PeerRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    static let words: [String] = [
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit",
        "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore",
        "magna", "aliqua", "swift", "server", "sqlite", "request", "latency", "throughput",
        "R&D", "<em>", "a<b", "x>y", "\"quoted\"", "it's", "caf\u{e9}", "na\u{ef}ve", "\u{2014}",
        "benchmark", "memory", "socket", "kernel", "buffer", "cache",
    ]

    mutating func text(minBytes: Int, capitalize: Bool) -> String {
        var text = ""
        text.reserveCapacity(minBytes + 16)
        while text.utf8.count < minBytes {
            let word = Self.words[Int(next() % UInt64(Self.words.count))]
            if text.isEmpty {
                text += capitalize ? word.prefix(1).uppercased() + word.dropFirst() : word
            } else {
                text += next() % 11 == 0 ? ". " : " "
                text += word
            }
        }
        return text
    }
}
