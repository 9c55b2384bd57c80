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
