import Foundation
import Storage

/// What the kernel installs for notifications at boot, before the modules' bootstraps: its part
/// of "Download my data" and "Delete my account", the outbox's lookup of a member's current
/// address, and the fan-out job.
enum NotificationsSetup {
    static let personalDataModule = "notifications"

    static func install(in context: ModuleContext) throws {
        let services = context.services
        let previous = context.moduleID
        context.moduleID = personalDataModule
        context.personalData(
            export: { memberID, db in try services.notifications.export(memberID: memberID, in: db) },
            erase: { memberID, db in try services.notifications.erase(memberID: memberID, in: db) })
        context.moduleID = "likes"
        context.personalData(
            export: { memberID, db in try services.likes.export(memberID: memberID, in: db) },
            erase: { memberID, db in try services.likes.erase(memberID: memberID, in: db) })
        context.moduleID = previous
        services.outbox.setAddressResolver { memberID, db in
            try services.identity?.mailRecipients([memberID], in: db).first?.address
        }
        services.jobs.register(Notifications.fanoutJob) { payload in
            try services.notifications.runFanout(payload)
        }
        services.jobs.register(Notifications.digestJob) { _ in try services.notifications.sendDigests() }
        // Hourly, like the outbox's delivery, only where mail can go out; elsewhere
        // `pln admin notifications send-digests` sends them.
        if services.outbox.isDeliveryConfigured {
            try services.jobs.schedulePeriodic(Notifications.digestJob, every: 3600)
        }
    }
}

extension Notifications {
    /// The job that notifies the recipients of a large fan-out (``publish(toEach:fanout:in:)``).
    public static let fanoutJob = "notifications.fanout"
    /// Recipients notified per write transaction by the fan-out job.
    static let fanoutBatch = 50

    /// Notifies a fan-out's recipients, a batch per transaction so the writer is never held long.
    func runFanout(_ payload: String) throws {
        let request = try JSONDecoder().decode(FanoutPayload.self, from: Data(payload.utf8))
        guard let builder = catalog.fanoutBuilder(request.builder) else {
            throw DomainError.conflict("no fan-out named \(request.builder) is registered")
        }
        var start = 0
        while start < request.recipients.count {
            // Short transactions with a pause between them: the writer lock is not fair, and a
            // member's posting request waiting for it must not wait for the whole fan-out.
            if start > 0 { Thread.sleep(forTimeInterval: 0.002) }
            let batch = request.recipients[start..<min(start + Self.fanoutBatch, request.recipients.count)]
            // The checks read (no writer lock held); only storing takes a write transaction.
            let deliveries = try services.database.read { db -> [Delivery] in
                try batch.compactMap { recipient in
                    guard let notification = try builder(recipient, request.argument, db),
                        case .deliver(let delivery) = try check(notification, in: db)
                    else { return nil }
                    return delivery
                }
            }
            if !deliveries.isEmpty {
                try services.database.write { db in
                    for delivery in deliveries { _ = try deliver(delivery, in: db) }
                }
            }
            start += batch.count
        }
    }
}
