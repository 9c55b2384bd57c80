import Kernel

// The JSON the API answers and accepts for session evaluations.

/// How a session was received, never naming who said what.
struct EvaluationSummaryResponse: APIModel {
    var responses: Int
    var averageRating: Double?
    var distribution: [Int]
    var willChange: [String]
    var followUps: Int
    var averageReaction: Double?
    var averageLearning: Double?
    var averagePractice: Double?
    var averageOutcomes: Double?
    var impactComments: [String]

    static let schemaName = "CPDEvaluationSummary"
    static let schemaDescription: String? =
        "Counts and averages of a session's evaluations; comments without names."
    static let fieldHints: [String: SchemaHint] = [
        "distribution": .description("Count of ratings 1…5 (the first is a rating of 1)."),
        "willChange": .description("What attendees said they will change."),
        "followUps": .description("Follow-ups answered, weeks later."),
    ]

    init(_ summary: EvaluationSummary) {
        func average(_ value: Double?) -> Double? { value.map { ($0 * 100).rounded() / 100 } }
        responses = summary.responses
        averageRating = average(summary.averageRating)
        distribution = summary.distribution
        willChange = summary.changes
        followUps = summary.followUps
        averageReaction = average(summary.averageReaction)
        averageLearning = average(summary.averageLearning)
        averagePractice = average(summary.averagePractice)
        averageOutcomes = average(summary.averageOutcomes)
        impactComments = summary.impactComments
    }
}

/// An evaluation of a session attended; with `reaction` it is the follow-up weeks later.
struct EvaluationRequest: APIModel {
    var rating: Int?
    var willChange: String?
    var reaction: Int?
    var learning: Int?
    var practice: Int?
    var outcomes: Int?
    var comment: String?

    static let schemaName = "CPDEvaluationInput"
    static let fieldHints: [String: SchemaHint] = [
        "rating": .init(minimum: 1, maximum: 5),
        "reaction": .init(description: "Given: this is the follow-up.", minimum: 1, maximum: 5),
        "learning": .init(minimum: 1, maximum: 5),
        "practice": .init(minimum: 1, maximum: 5),
        "outcomes": .init(minimum: 1, maximum: 5),
        "comment": .description("The follow-up's comment on impact."),
    ]
}
