import Foundation
import HTTP
import Kernel

/// `pln serve`: reads config, opens storage, migrates the enabled modules, serves HTTP, and
/// runs background jobs, until SIGTERM or SIGINT.
func serveCommand(_ app: CommandLineApp) -> CommandSpec {
    CommandSpec(
        name: "serve", abstract: "Run the web server (and background jobs).",
        discussion: "Reads the config script, migrates the enabled modules and serves until SIGTERM/SIGINT.",
        arguments: [
            .option("host", "Address to listen on (default: server.host from config).", valueName: "HOST"),
            .option("port", "TCP port (default: server.port from config).", valueName: "N"),
            .flag("no-jobs", "Do not run background jobs in this process."),
        ]
    ) { args, console in
        let port = try args.integer("port")
        if let port, !(0...65535).contains(port) {
            throw ConsoleError.usage("--port must be 0…65535, got \(port)")
        }
        let log = Logger(minimum: .info)
        let kernel: Kernel
        do {
            kernel = try app.bootForServing(log: log)
        } catch {
            let explained = Console.explain(error, context: error is ConsoleError ? nil : "cannot start")
            throw ConsoleError.failure(
                explained.message, hint: explained.hint ?? "run `pln config check` and `pln admin check`")
        }
        for warning in kernel.services.config.warnings {
            log.warning("config", ["warning": warning.components(separatedBy: "\n").first ?? warning])
        }
        let web = WebApplication(kernel: kernel)
        var configuration = web.serverConfiguration(host: args["host"], port: port)
        configuration.handleSignals = true
        if kernel.services.config.bool("server", "request_log") {
            configuration.accessLog = { entry in
                let milliseconds =
                    Double(entry.duration.components.attoseconds) / 1e15 + Double(
                        entry.duration.components.seconds) * 1000
                log.info(
                    "request",
                    [
                        "method": entry.method, "path": entry.path, "status": String(entry.status),
                        "ms": String(format: "%.2f", milliseconds), "remote": entry.remoteAddress,
                    ])
            }
        }
        let server = HTTPServer(configuration: configuration, responder: web)
        do {
            try server.start()
        } catch {
            throw ConsoleError.failure(
                "cannot listen on \(configuration.host):\(configuration.port): \(error)",
                hint: "is another process using the port? Try --port")
        }
        log.info(
            "PLN serving",
            [
                "address": "http://\(configuration.host):\(server.port)",
                "modules": kernel.enabledModuleIDs.joined(separator: ","),
                "database": kernel.services.database.path,
                "config": app.selectedConfigPath ?? "config/pln.star",
            ])
        runServingHooks(kernel, log: log)
        if !args.flag("no-jobs") {
            let jobs = Thread {
                // Jobs (a fan-out of 2,000 notifications, mail) give way to requests on a busy machine.
                JobScheduler.lowerCurrentThreadPriority()
                while true {
                    do { try kernel.services.jobs.runDue() } catch {
                        log.error("jobs", ["error": "\(error)"])
                    }
                    nightlyMaintenance(kernel, log: log)
                    Thread.sleep(forTimeInterval: 5)
                }
            }
            jobs.name = "pln-jobs"
            jobs.start()
        }
        server.waitUntilStopped()
        log.info("PLN stopped")
    }
}

/// Merges the search index's parts during the network's 03:00 hour (see `SearchService.compact`).
private func nightlyMaintenance(_ kernel: Kernel, log: Logger) {
    let services = kernel.services
    let started = Date()
    do {
        let zone = services.config.string("network", "time_zone")
        guard let done = try services.search.compactIfNight(at: services.clock.now, timeZone: zone) else {
            return
        }
        log.info(
            "search index merged",
            [
                "parts_before": done.parts.map(String.init) ?? "-", "steps": String(done.steps),
                "seconds": String(format: "%.1f", Date().timeIntervalSince(started)),
            ])
    } catch {
        log.error("search index merge", ["error": "\(error)"])
    }
}

/// Each module's ``ModuleContext/whenServing(_:)`` work, on its own thread. At the usual
/// priority: a request asking for what a warm-up is computing waits for it (single flight), and
/// must not wait behind a thread that gives way to requests.
func runServingHooks(_ kernel: Kernel, log: Logger) {
    guard !kernel.context.servingHooks.isEmpty else { return }
    let thread = Thread { kernel.runServingHooks(log: log) }
    thread.name = "pln-warm-up"
    thread.start()
}
