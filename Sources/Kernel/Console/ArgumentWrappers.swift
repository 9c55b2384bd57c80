import Synchronization

/// `<name>`: a value by position. Optional types may be left out.
///
/// ```swift
/// @Argument(help: "The post's number.") var id: Int64
/// ```
@propertyWrapper
public struct Argument<Value: CommandArgument>: Sendable, CommandDeclaration {
    let storage = ArgumentStorage<Value>()
    let name: String?
    let help: String

    public init(name: String? = nil, help: String) {
        self.name = name
        self.help = help
    }

    public var wrappedValue: Value {
        guard let value = storage.value ?? Value.absent else {
            preconditionFailure("<\(name ?? "argument")> was read before the command line was parsed")
        }
        return value
    }

    func spec(property: String) -> ArgumentSpec {
        var spec = ArgumentSpec.positional(name ?? property, help, optional: Value.isOptional)
        spec.allowedValues = Value.allowedValues
        return spec
    }

    func bind(_ parsed: ParsedArguments, property: String) throws {
        let name = self.name ?? property
        if let text = parsed[name] {
            storage.value = try convert(text, label: "<\(name)>", as: Value.self)
        }
    }
}

/// `--name VALUE`: a value by name, with a default (shown in help) or optional.
///
/// ```swift
/// @Option(help: "At most this many.", valueName: "N") var limit = 50
/// @Option(help: "Only this tag.", valueName: "TAG") var tag: String?
/// ```
@propertyWrapper
public struct Option<Value: CommandArgument>: Sendable, CommandDeclaration {
    let storage = ArgumentStorage<Value>()
    let name: String?
    let help: String
    let valueName: String
    let defaultValue: Value
    let showsDefault: Bool

    public init(wrappedValue: Value, name: String? = nil, help: String, valueName: String = "VALUE") {
        self.name = name
        self.help = help
        self.valueName = valueName
        defaultValue = wrappedValue
        showsDefault = !Value.isOptional
    }

    public init<Wrapped>(name: String? = nil, help: String, valueName: String = "VALUE")
    where Value == Wrapped? {
        self.init(wrappedValue: nil, name: name, help: help, valueName: valueName)
    }

    public var wrappedValue: Value { storage.value ?? defaultValue }

    func spec(property: String) -> ArgumentSpec {
        var spec = ArgumentSpec.option(
            name ?? property, help, valueName: valueName,
            default: showsDefault ? defaultValue.argumentText : nil)
        spec.allowedValues = Value.allowedValues
        return spec
    }

    func bind(_ parsed: ParsedArguments, property: String) throws {
        let name = self.name ?? property
        guard let text = parsed[name] else { return }
        storage.value = try convert(text, label: "--\(name)", as: Value.self)
    }
}

/// `--name`: true when present.
///
/// ```swift
/// @Flag(help: "Print JSON.") var json: Bool
/// ```
@propertyWrapper
public struct Flag: Sendable, CommandDeclaration {
    let storage = ArgumentStorage<Bool>()
    let name: String?
    let help: String

    public init(name: String? = nil, help: String) {
        self.name = name
        self.help = help
    }

    public var wrappedValue: Bool { storage.value ?? false }

    func spec(property: String) -> ArgumentSpec { .flag(name ?? property, help) }

    func bind(_ parsed: ParsedArguments, property: String) throws {
        storage.value = parsed.flag(name ?? property)
    }
}

/// A declared argument: what help shows, and how the parsed text becomes the typed value.
protocol CommandDeclaration {
    func spec(property: String) -> ArgumentSpec
    func bind(_ parsed: ParsedArguments, property: String) throws
}

/// Where a wrapper keeps the value parsed for this run. A class, so that the copy of the
/// wrapper `Mirror` hands out sets the value the command reads; locked because `Sendable` says
/// it may cross threads (in practice one command runs on one thread).
final class ArgumentStorage<Value: Sendable>: Sendable {
    private let state = Mutex<Value?>(nil)
    var value: Value? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// `text` as a `Value`, or a usage error that says what was expected and the closest allowed
/// value: `--sort expects newest, views or featured, got "view" — did you mean "views"?`.
func convert<Value: CommandArgument>(_ text: String, label: String, as: Value.Type) throws -> Value {
    if let value = Value(argument: text) { return value }
    let suggestion = Value.allowedValues.flatMap { closestMatch(to: text, among: $0) }
    throw ConsoleError.usage(
        "\(label) expects \(Value.expectation), got \"\(text)\""
            + (suggestion.map { " — did you mean \"\($0)\"?" } ?? ""))
}
