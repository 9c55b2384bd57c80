import Kernel
import Starlark

/// Where a problem is written, and what an unset environment variable has to do with it.
extension ConfigBuilder {
    /// The place of the part of `value` at `path`, starting from where the whole is written:
    /// a `question(…)` call wherever it is, an item or entry of a literal, or (when the value
    /// was computed) the nearest enclosing expression.
    func place(of path: [SettingProblem.Step], in value: Value, from start: Place) -> Place {
        var place = start
        var current = value
        for step in path {
            let expression = self.expression(of: place)
            switch step {
            case .index(let index):
                guard let items = current.asList, items.indices.contains(index) else { return place }
                let item = items[index]
                if let question = question(item) {
                    place = question.call
                } else if let spans = sources[place.file]?.itemSpans(of: expression.span),
                    spans.count == items.count
                {
                    place = Place(file: place.file, span: spans[index])
                } else {
                    return expression
                }
                current = item
            case .field(let name):
                guard let dict = current.asDict else { return place }
                let item = dict.entries.first(where: { $0.key.asString == name })?.value ?? .none
                if let question = question(current) {
                    guard let field = question.fields[name] else { return place }
                    place = field
                } else if let span = sources[place.file]?.entrySpan(of: name, in: expression.span) {
                    place = Place(file: place.file, span: span, isAssignment: true)
                } else {
                    return expression
                }
                current = item
            }
        }
        return place
    }

    /// The value part of an assignment's place; other places as they are.
    private func expression(of place: Place) -> Place {
        guard place.isAssignment, let span = sources[place.file]?.valueSpan(after: place.span) else {
            return place
        }
        return Place(file: place.file, span: span)
    }

    private func question(_ value: Value) -> QuestionCall? {
        guard let dict = value.asDict, let question = questionCalls[ObjectIdentifier(dict)],
            question.dict === dict
        else {
            return nil
        }
        return question
    }

    // MARK: Unset environment variables

    /// The script value at `path`, if it is there.
    func item(at path: [SettingProblem.Step], in value: Value) -> Value? {
        var current = value
        for step in path {
            switch step {
            case .index(let index):
                guard let items = current.asList, items.indices.contains(index) else { return nil }
                current = items[index]
            case .field(let name):
                guard let entry = current.asDict?.entries.first(where: { $0.key.asString == name }) else {
                    return nil
                }
                current = entry.value
            }
        }
        return current
    }

    /// For a value that is None: names the variable whose `env(…)` gave it, written inside the
    /// value's place (or on its line), and how to give a default.
    func unsetVariableNote(at place: Place, fallback: SettingValue?) -> String? {
        guard let variable = unsetVariable(near: place) else { return nil }
        let example = fallback?.stringValue.map { "\"\($0)\"" } ?? "\"…\""
        return
            "environment variable \"\(variable.name)\" is not set, so env(\"\(variable.name)\") gave None; set it, or give a default: env(\"\(variable.name)\", \(example))"
    }

    /// " (note: …)" listing every `env(…)` that gave None, for a None far from any of them.
    func unsetVariablesHint() -> String? {
        guard !unsetVariables.isEmpty else { return nil }
        let listed = unsetVariables.map {
            "env(\"\($0.name)\") at \($0.place.file):\($0.place.span.start.line)"
        }
        return " (note: \(listed.joined(separator: ", ")) gave None: the variable is not set)"
    }

    /// An interpreter error about None (`int(None)`, `None + "/x"`) near an `env(…)` that gave
    /// None gets the variable's name; far from one, the unset variables are listed as a hint.
    /// Other errors around an `env(…)` that read a set variable say where the value came from.
    func explainingUnsetVariables(_ diagnostic: Diagnostic) -> Diagnostic {
        var explained = diagnostic
        guard diagnostic.message.contains("None"), !unsetVariables.isEmpty else {
            explained.message +=
                setVariableNote(at: Place(file: diagnostic.file, span: diagnostic.span)) ?? ""
            return explained
        }
        if let note = unsetVariableNote(
            at: Place(file: diagnostic.file, span: diagnostic.span), fallback: nil)
        {
            explained.message += " — " + note
        } else if let hint = unsetVariablesHint() {
            explained.message += hint
        }
        return explained
    }

    /// " (… came from environment variable X)" for an error whose place holds an `env(…)` of a
    /// set variable (`int(env("PORT"))` with PORT=abc).
    func setVariableNote(at place: Place) -> String? {
        let inside = setVariables.filter {
            $0.place.file == place.file && place.span.start <= $0.place.span.start
                && $0.place.span.end <= place.span.end
        }
        guard let variable = inside.first else { return nil }
        return " (\"\(variable.value)\" came from environment variable \"\(variable.name)\")"
    }

    private func unsetVariable(near place: Place) -> UnsetVariable? {
        let sameFile = unsetVariables.filter { $0.place.file == place.file }
        return sameFile.first {
            place.span.start <= $0.place.span.start && $0.place.span.end <= place.span.end
        }
            ?? sameFile.first { $0.place.span.start.line == place.span.start.line }
    }
}
