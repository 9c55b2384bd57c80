import Foundation
import Storage

extension ModuleContext {
    /// Lets members search for a kind of this module's content (see ``SearchableKind``).
    public func searchable(_ kind: SearchableKind) { services.search.register(kind) }

    /// Adds text and facets to another module's indexed items of `kind` (see ``SearchContribution``).
    public func searchContribution(
        to kind: String, _ contribution: @escaping @Sendable (Int64, Connection) throws -> SearchContribution?
    ) {
        services.search.contribute(to: kind, contribution)
    }
}

extension SearchService {
    /// Where a rebuild of one kind stands.
    public struct ReindexProgress: Sendable, Equatable {
        public var kind: String
        /// Items looked at so far in this run.
        public var done: Int
        public var lastID: Int64
        public var finished: Bool
    }

    /// Builds the index of `kind` (or every kind) again from the modules' own tables, in batches
    /// of one transaction each. Each batch records how far it got, so a run that stops (a crash,
    /// Ctrl-C) carries on from there next time unless `restart` is set. Items that no longer
    /// exist leave the index as their ids are passed.
    @discardableResult
    public func rebuild(
        kind: String? = nil, restart: Bool = false, batchSize: Int = 500,
        progress: (ReindexProgress) -> Void = { _ in }
    ) throws -> [ReindexProgress] {
        let chosen: [SearchableKind]
        if let kind {
            guard
                let found = self.kind(kind)
                    ?? kinds(named: kind).flatMap({ $0.count == 1 ? self.kind($0[0]) : nil })
            else {
                throw DomainError.invalid([
                    FieldError(
                        field: "kind",
                        message:
                            "Unknown kind \"\(kind)\": one of \(kinds.map(\.kind).joined(separator: ", ")).")
                ])
            }
            chosen = [found]
        } else {
            chosen = kinds
        }
        var report: [ReindexProgress] = []
        for kind in chosen {
            var state = ReindexProgress(kind: kind.kind, done: 0, lastID: 0, finished: false)
            if !restart,
                let saved = try database.read({ try backend.reindexProgress(kind: kind.kind, in: $0) })
            {
                state.lastID = saved
            }
            while !state.finished {
                try database.write { db in
                    try indexChanging(in: db)
                    let ids = try kind.ids(state.lastID, batchSize, db)
                    let upper = ids.count < batchSize ? Int64.max : (ids.last ?? Int64.max)
                    try backend.removeMissing(
                        kind: kind.kind, in: (state.lastID + 1)...upper, keeping: Set(ids), in: db)
                    for id in ids { try reindex(SearchItem(kind: kind.kind, id: id), cascade: false, in: db) }
                    state.done += ids.count
                    if ids.count < batchSize {
                        state.finished = true
                        try backend.setReindexProgress(kind: kind.kind, lastID: nil, in: db)
                    } else {
                        state.lastID = upper
                        try backend.setReindexProgress(kind: kind.kind, lastID: upper, in: db)
                    }
                }
                progress(state)
            }
            report.append(state)
        }
        return report
    }
}
