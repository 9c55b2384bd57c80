/// Every module compiled into this binary, and resolution of the set a deployment enables.
///
/// ```swift
/// let registry = ModuleRegistry([MembershipModule.self, BlogModule.self])
/// let order = try registry.resolve(enabled: ["blog", "membership"])  // membership first
/// ```
public struct ModuleRegistry: Sendable {
    public let modules: [any FeatureModule.Type]

    public init(_ modules: [any FeatureModule.Type]) {
        self.modules = modules
    }

    public var manifests: [ModuleManifest] { modules.map { $0.manifest } }

    public func module(id: String) -> (any FeatureModule.Type)? {
        modules.first { $0.manifest.id == id }
    }

    /// The enabled modules in dependency order (dependencies first). Throws when an id is
    /// unknown, a dependency is missing or disabled, or dependencies form a cycle.
    public func resolve(enabled: [String]) throws(ModuleResolutionError) -> [any FeatureModule.Type] {
        let known = Set(manifests.map(\.id))
        for id in enabled where !known.contains(id) {
            throw .unknownModule(id: id, suggestion: closestMatch(to: id, among: Array(known)))
        }
        let enabledSet = Set(enabled)
        for id in enabled {
            guard let manifest = module(id: id)?.manifest else { continue }
            for dependency in manifest.dependencies where !enabledSet.contains(dependency) {
                if known.contains(dependency) {
                    throw .dependencyDisabled(module: id, dependency: dependency)
                }
                throw .dependencyMissing(module: id, dependency: dependency)
            }
        }
        // Depth-first topological sort in registry order, so the result is deterministic.
        var ordered: [any FeatureModule.Type] = []
        var state: [String: Bool] = [:]  // false = visiting, true = done
        func visit(_ id: String, path: [String]) throws(ModuleResolutionError) {
            if state[id] == true { return }
            if state[id] == false { throw .cycle(path + [id]) }
            state[id] = false
            guard let type = module(id: id) else { return }
            for dependency in type.manifest.dependencies {
                try visit(dependency, path: path + [id])
            }
            state[id] = true
            ordered.append(type)
        }
        for type in modules where enabledSet.contains(type.manifest.id) {
            try visit(type.manifest.id, path: [])
        }
        return ordered
    }
}

/// Why an enabled set of modules cannot run.
public enum ModuleResolutionError: Error, Equatable, CustomStringConvertible {
    case unknownModule(id: String, suggestion: String?)
    case dependencyDisabled(module: String, dependency: String)
    case dependencyMissing(module: String, dependency: String)
    case cycle([String])

    public var description: String {
        switch self {
        case .unknownModule(let id, let suggestion):
            return "unknown module \"\(id)\"" + (suggestion.map { " — did you mean \"\($0)\"?" } ?? "")
        case .dependencyDisabled(let module, let dependency):
            return "module \"\(module)\" needs module \"\(dependency)\", which is disabled: "
                + "enable \"\(dependency)\" or disable \"\(module)\""
        case .dependencyMissing(let module, let dependency):
            return "module \"\(module)\" needs module \"\(dependency)\", which this binary does not have"
        case .cycle(let path):
            return "modules depend on each other in a cycle: " + path.joined(separator: " → ")
        }
    }
}

/// The closest candidate by edit distance, when it is close enough to be a plausible typo.
public func closestMatch(to word: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(word.lowercased(), candidate.lowercased())
        if distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    guard let (candidate, distance) = best else { return nil }
    return distance <= max(1, min(word.count, candidate.count) / 3 + 1) && distance < word.count
        ? candidate : nil
}

/// Levenshtein distance over Unicode scalars.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
