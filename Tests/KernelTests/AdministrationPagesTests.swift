import Foundation
import Testing

@testable import Kernel

/// The read-only settings page names secrets and values read from the environment without
/// showing them (a DATABASE_URL carries a password).
@Suite struct AdministrationPagesTests {
    @Test func secretsAndValuesFromTheEnvironmentAreNamedNotShown() {
        let config = DeploymentConfig(
            sections: [
                "mail": ["from": .string("pln@hilltop.example")],
                "storage": ["url": .string("postgres://u:pw@db/pln")],
                "network": ["name": .string("Hilltop PLN")],
            ],
            enabledModules: [], environmentReads: [(name: "MAIL_FROM", value: "pln@hilltop.example")])
        func shown(_ section: String, _ name: String) -> String {
            AdministrationPages.display(
                config.value(section, name), section: section, name: name, config: config
            )
            .description
        }
        #expect(shown("mail", "from").contains("from the environment (<code>MAIL_FROM</code>)"))
        #expect(!shown("mail", "from").contains("hilltop"))
        #expect(shown("storage", "url").contains("hidden"))
        #expect(!shown("storage", "url").contains("pw@"))
        #expect(shown("network", "name") == "<code>&quot;Hilltop PLN&quot;</code>")
        #expect(shown("network", "missing").contains("not set"))
        #expect(AdministrationPages.isSecret("smtp_password"))
        #expect(!AdministrationPages.isSecret("time_zone"))
    }
}
