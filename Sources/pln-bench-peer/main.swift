// pln-bench-peer: the four routes of shared/bench (plaintext, post JSON, post page, views
// counter) on PLN's own HTTP engine, storage layer and HTML builder, so that a side-by-side run
// with the Hummingbird and Vapor peers compares the engines and nothing else.
//
//   PORT=18080 DB=/tmp/peer.db pln-bench-peer
//
// Environment: PORT (default 8080), DB (default pln-bench-peer.db), and two application knobs,
// WORKERS (worker-pool threads, default 4) and READERS (read connections, default 4).
import Foundation
import HTTP
import Storage

let environment = ProcessInfo.processInfo.environment
let port = environment["PORT"].flatMap { Int($0) } ?? 8080
let databasePath = environment["DB"] ?? "pln-bench-peer.db"
let workers = environment["WORKERS"].flatMap { Int($0) }.map { max(1, $0) } ?? 4
let readers = environment["READERS"].flatMap { Int($0) }.map { max(1, $0) } ?? workers

let database: Database
do {
    database = try PeerSchema.open(path: databasePath, readers: readers)
} catch {
    FileHandle.standardError.write(Data("pln-bench-peer: cannot open \(databasePath): \(error)\n".utf8))
    exit(1)
}

let router = PeerRoutes.router(database: database)
var configuration = ServerConfiguration(host: "127.0.0.1", port: port)
configuration.workerCount = workers
configuration.handleSignals = true
configuration.shutdownGracePeriod = .seconds(2)
configuration.maxConnections = 20_000
let server = HTTPServer(configuration: configuration, responder: RouterResponder(router: router))
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("pln-bench-peer: cannot start on port \(port): \(error)\n".utf8))
    exit(1)
}
print("pln-bench-peer listening on 127.0.0.1:\(server.port), db \(databasePath), workers \(workers)")
fflush(nil)
server.waitUntilStopped()
