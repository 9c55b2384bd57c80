import Foundation
import Storage

/// How much realistic data `pln admin seed` makes.
public enum SeedScale: String, Sendable, CaseIterable {
    case small, medium, large

    public var members: Int {
        switch self {
        case .small: return 300
        case .medium: return 10_000
        case .large: return 100_000
        }
    }
    /// The activity stream's size once every module has seeded.
    public var activities: Int {
        switch self {
        case .small: return 3_000
        case .medium: return 100_000
        case .large: return 1_000_000
        }
    }
    /// Blog posts and comments together.
    public var postsAndComments: Int {
        switch self {
        case .small: return 600
        case .medium: return 20_000
        case .large: return 200_000
        }
    }
    public var schools: Int {
        switch self {
        case .small: return 12
        case .medium: return 60
        case .large: return 250
        }
    }
}

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same data.
public struct SeedRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// A heavy-tailed pick in 0..<count: low indexes are chosen far more often (a few
    /// members with many friends, most with few).
    public mutating func skewed(_ count: Int) -> Int {
        let u = Double(next() % 1_000_000) / 1_000_000
        return min(count - 1, Int(Double(count) * pow(u, 3)))
    }
}

/// What a module's seeder works with. Seeders run in module order (dependencies first), each
/// in its own transactions, and share what earlier ones made through `shared`.
public final class SeedContext: @unchecked Sendable {
    // @unchecked: used by the one thread running `pln admin seed`.
    public let scale: SeedScale
    public var random: SeedRandom
    public let services: Services
    public let now: Date
    /// Facts earlier seeders leave for later ones (e.g. "members" → count).
    public var shared: [String: Int] = [:]
    public var log: (String) -> Void
    /// The services' clock while seeding: content made through module services gets the
    /// seeded time, not the real one.
    public let clock: FixedClock

    public init(
        scale: SeedScale, seed: UInt64, services: Services, clock: FixedClock, now: Date,
        log: @escaping (String) -> Void
    ) {
        self.scale = scale
        random = SeedRandom(seed: seed)
        self.services = services
        self.clock = clock
        self.now = now
        self.log = log
    }

    private lazy var step: TimeInterval = 365 * 86_400 / Double(scale.activities + scale.members) / 3

    /// The next moment of the network's seeded year. Every seeder takes its times from here
    /// (and the services' clock follows), so the activity stream's order matches its times.
    @discardableResult
    public func tick() -> Date {
        advance(by: step * Double(random.int(1...2)))
    }

    /// Spreads the next `count` ticks over the time left until `end` (the real now when nil),
    /// so the stream ends about then whatever the earlier seeders used.
    public func spread(over count: Int, until end: Date? = nil) {
        guard count > 0 else { return }
        step = max(1, (end ?? now).timeIntervalSince(clock.now) / Double(count) / 1.5)
    }

    /// What modules do again in the network's last days (a reply, a comment, a new post, a
    /// featured post, a status), added while they seed and played in turns by
    /// ``playRecentDays(rounds:days:untilActivities:)``, so the newest activity mixes every kind as on a real
    /// network. `weight`: how often one is picked against the others.
    public private(set) var recentActs: [(module: String, weight: Int, act: (SeedContext) throws -> Void)] =
        []

    public func addRecentAct(module: String, weight: Int, _ act: @escaping (SeedContext) throws -> Void) {
        recentActs.append((module, max(1, weight), act))
    }

    /// Plays about `rounds` recent acts, picked by weight, spread over the last `days` days up
    /// to the real now, until the stream holds `untilActivities` entries (an act records one at
    /// most; at most twice `rounds` are tried). Returns how many were tried.
    @discardableResult
    public func playRecentDays(rounds: Int, days: Double, untilActivities target: Int) throws -> Int {
        guard !recentActs.isEmpty, rounds > 0 else { return 0 }
        clock.set(max(clock.now, now.addingTimeInterval(-days * 86_400)))
        // Acts may tick again themselves (a status does): room for that, so they do not pile up at now.
        spread(over: rounds * 3 / 2)
        let total = recentActs.reduce(0) { $0 + $1.weight }
        var tried = 0
        while tried < 2 * rounds, try activityCount() < target {
            tried += 1
            var pick = random.int(0...(total - 1))
            guard
                let chosen = recentActs.first(where: { act in
                    pick -= act.weight
                    return pick < 0
                })
            else { continue }
            tick()
            try chosen.act(self)
        }
        return tried
    }

    /// Moves the seeded time on (never past the real now).
    @discardableResult
    public func advance(by seconds: TimeInterval) -> Date {
        clock.set(min(now, clock.now.addingTimeInterval(seconds)))
        return clock.now
    }

    /// A member as the services see a signed-in actor.
    public func actor(_ id: Int64, in db: Connection? = nil) throws -> SignedInMember? {
        let find: (Connection) throws -> SignedInMember? = { db in
            guard let person = try self.services.identity?.person(id: id, in: db), person.isActive else {
                return nil
            }
            return SignedInMember(id: person.id, handle: person.handle, name: person.name, role: person.role)
        }
        if let db { return try find(db) }
        return try services.database.read(find)
    }

    /// Runs `body` over `count` items in transactions of `batch` rows.
    public func inBatches(_ count: Int, batch: Int = 5_000, _ body: (Connection, Int) throws -> Void) throws {
        var start = 0
        while start < count {
            let end = min(count, start + batch)
            try services.database.write { db in
                for index in start..<end { try body(db, index) }
            }
            start = end
        }
    }

    /// Activities recorded so far.
    public func activityCount() throws -> Int {
        try services.database.read { try $0.scalar("SELECT count(*) FROM activities", as: Int.self) ?? 0 }
    }
}

/// A module's part of `pln admin seed`.
public struct Seeder: Sendable {
    public var module: String
    /// Lower runs first; membership's top-up of the activity stream runs last.
    public var order: Int
    public var run: @Sendable (SeedContext) throws -> Void
    public init(module: String, order: Int, run: @escaping @Sendable (SeedContext) throws -> Void) {
        self.module = module
        self.order = order
        self.run = run
    }
}

/// Realistic words for seeded people, schools and writing.
public enum SeedWords {
    public static let firstNames = [
        "Karen", "Jessica", "Erin", "Thomas", "Amira", "Ben", "Chloe", "Daniel", "Ella", "Fatima", "George",
        "Hannah",
        "Isaac", "Jade", "Kwame", "Laura", "Mohammed", "Nina", "Oliver", "Priya", "Rachel", "Sam", "Tariq",
        "Uma",
        "Victoria", "William", "Yasmin", "Zoe", "Aisha", "Callum", "Deborah", "Emeka", "Freya", "Harry",
        "Imogen",
        "Jonathan", "Katie", "Liam", "Megan", "Niamh", "Owen", "Poppy", "Rhys", "Sophie", "Theo", "Wendy",
    ]
    public static let lastNames = [
        "Honeycutt", "Lenhart", "Whitby", "Smith", "Jones", "Patel", "Khan", "Williams", "Brown", "Taylor",
        "Davies",
        "Evans", "Wilson", "Thomas", "Roberts", "Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson",
        "White",
        "Hughes", "Edwards", "Green", "Hall", "Clarke", "Jackson", "Turner", "Hill", "Moore", "Cooper",
        "Ward", "Okafor",
        "Nowak", "O'Brien", "Murphy", "Ahmed", "Begum", "Singh", "Campbell", "Stewart", "Morris", "Price",
        "Bennett",
    ]
    public static let schoolWords = [
        "Hilltop", "Riverside", "St Mary's", "Oakfield", "Meadow Lane", "Brookside", "Church Street",
        "Northgate",
        "Willow Bank", "Greenfields", "Holy Trinity", "Ashgrove", "Castle View", "Fernhill", "Kingsway",
        "Moorland",
        "Park Road", "Queensbury", "Rosewood", "Sandpit", "Thornbury", "Westfield", "Elmhurst", "Foxhollow",
    ]
    public static let schoolKinds = [
        "Primary", "Infants", "Juniors", "CE Primary", "Academy", "Community School",
    ]
    /// A member's subjects, as they would type them on their profile.
    public static let subjects = [
        "Computing", "Maths", "English, Phonics", "Science", "History, Geography", "Art and design", "Music",
        "PE", "RE", "French", "Computing, Maths", "Design and technology", "English", "Science, Computing",
    ]
    public static let topics = [
        "phonics", "maths mastery", "reading for pleasure", "SEND provision", "safeguarding", "early years",
        "behaviour", "assessment", "curriculum design", "oracy", "science enquiry", "computing",
        "PE and sport premium",
        "attendance", "wellbeing", "leadership", "school business management", "parental engagement", "EAL",
        "writing",
    ]
    public static let sentences = [
        "We tried this with Year 4 and the difference in confidence was striking.",
        "Has anyone in the cluster got experience with this? I would love to visit.",
        "Sharing the slides from our INSET day in case they help another school.",
        "The key was giving staff time to plan together rather than another initiative.",
        "Our SENCO adapted the approach for pupils with additional needs and it worked well.",
        "Happy to host a visit next half term if anyone wants to see it in action.",
        "We measured impact with a short pre- and post-assessment and saw real gains.",
        "Parents responded brilliantly once we explained the why, not just the what.",
        "It took a term to embed, so patience matters more than a perfect launch.",
        "Short, frequent retrieval practice made more difference than longer lessons.",
    ]

    public static func school(_ index: Int) -> String {
        let word = schoolWords[index % schoolWords.count]
        let kind = schoolKinds[(index / schoolWords.count) % schoolKinds.count]
        let round = index / (schoolWords.count * schoolKinds.count)
        return round == 0 ? "\(word) \(kind)" : "\(word) \(kind) \(round + 1)"
    }

    public static func paragraph(_ random: inout SeedRandom, sentences count: Int) -> String {
        (0..<count).map { _ in random.pick(sentences) }.joined(separator: " ")
    }
}
