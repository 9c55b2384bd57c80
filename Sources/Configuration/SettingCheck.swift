import Kernel
import Starlark

/// Checks script values against the settings the kernel and modules declare: first the type
/// (`convert`), then what the value must mean (`constraintProblems`). Problems carry the path
/// to the part of the value they are about; the builder turns that into a position.
enum SettingCheck {
    static func describe(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        default: return value.repr
        }
    }

    /// Checks a script value against a setting's type.
    /// Every type problem of a value (all items of a list, all fields of a record).
    struct Problems: Error {
        var problems: [SettingProblem]
        init(_ problems: [SettingProblem]) { self.problems = problems }
        init(_ problem: SettingProblem) { problems = [problem] }
    }

    static func convert(_ value: Value, to type: SettingType) -> Result<SettingValue, Problems> {
        func fail(_ expected: String) -> Result<SettingValue, Problems> {
            .failure(
                Problems(SettingProblem("expected \(expected), got \(value.typeName) \(describe(value))")))
        }
        switch type {
        case .string:
            guard let text = value.asString else { return fail("a string") }
            return .success(.string(text))
        case .bool:
            guard case .bool(let flag) = value else { return fail("True or False") }
            return .success(.bool(flag))
        case .float:
            if case .float(let number) = value { return .success(.float(number)) }
            if case .int(let number) = value { return .success(.float(Double(number))) }
            return fail("a number")
        case .int(let minimum, let maximum):
            guard case .int(let number) = value else { return fail("a whole number") }
            if let minimum, number < minimum {
                return .failure(Problems(SettingProblem("must be at least \(minimum), got \(number)")))
            }
            if let maximum, number > maximum {
                return .failure(Problems(SettingProblem("must be at most \(maximum), got \(number)")))
            }
            return .success(.int(number))
        case .choice(let options):
            let expected = "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
            guard let text = value.asString else { return fail(expected) }
            guard options.contains(text) else {
                return .failure(
                    Problems(
                        SettingProblem(
                            "expected \(expected), got \"\(text)\"", candidates: options, written: text)))
            }
            return .success(.string(text))
        case .list(let element):
            guard let items = value.asList else { return fail("a list") }
            var converted: [SettingValue] = []
            var problems: [SettingProblem] = []
            for (index, item) in items.enumerated() {
                switch convert(item, to: element) {
                case .success(let value): converted.append(value)
                case .failure(let found): problems += found.problems.map { $0.inside(.index(index)) }
                }
            }
            return problems.isEmpty ? .success(.list(converted)) : .failure(Problems(problems))
        case .record(let fields):
            guard let dict = value.asDict else { return fail("a dict (or question(…))") }
            var record: [String: SettingValue] = [:]
            var problems: [SettingProblem] = []
            for (key, item) in dict.entries {
                guard let name = key.asString else {
                    problems.append(SettingProblem("keys must be strings, got \(key.typeName)"))
                    continue
                }
                guard let field = fields.first(where: { $0.name == name }) else {
                    problems.append(
                        SettingProblem(
                            "unknown field \"\(name)\"", at: [.field(name)], candidates: fields.map(\.name),
                            written: name))
                    continue
                }
                switch convert(item, to: field.type) {
                case .success(let value): record[name] = value
                case .failure(let found): problems += found.problems.map { $0.inside(.field(name)) }
                }
            }
            for field in fields
            where record[field.name] == nil && dict.entries.allSatisfy({ $0.key.asString != field.name }) {
                guard let fallback = field.default else {
                    problems.append(SettingProblem("missing required field \"\(field.name)\" (\(field.doc))"))
                    continue
                }
                record[field.name] = fallback
            }
            return problems.isEmpty ? .success(.record(record)) : .failure(Problems(problems))
        }
    }

    /// Every constraint problem of a value that has its type: those of its items and fields
    /// (declared on the record's fields), then those of the value as a whole.
    static func constraintProblems(
        _ value: SettingValue, type: SettingType, constraint: SettingConstraint?, context: SettingContext
    ) -> [SettingProblem] {
        var problems: [SettingProblem] = []
        switch (type, value) {
        case (.list(let element), .list(let items)):
            for (index, item) in items.enumerated() {
                problems += constraintProblems(item, type: element, constraint: nil, context: context).map {
                    $0.inside(.index(index))
                }
            }
        case (.record(let fields), .record(let record)):
            for field in fields {
                guard let item = record[field.name] else { continue }
                problems += constraintProblems(
                    item, type: field.type, constraint: field.constraint, context: context
                )
                .map { $0.inside(.field(field.name)) }
            }
        default:
            break
        }
        return problems + (constraint?.problems(in: value, context: context) ?? [])
    }

    /// "section.name[2].type: message — did you mean "…"?"
    static func message(for problem: SettingProblem, setting: String) -> String {
        var text = setting + problem.path.map(\.description).joined() + ": " + problem.message
        if let suggestion = problem.suggestion ?? closest(problem) {
            text += " — did you mean \"\(suggestion)\"?"
        }
        return text
    }

    private static func closest(_ problem: SettingProblem) -> String? {
        guard let written = problem.written, !problem.candidates.isEmpty else { return nil }
        return Suggest.closest(written, among: problem.candidates)
    }
}
