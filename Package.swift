// swift-tools-version: 6.0
import PackageDescription

// PLN: a plugin-based modular monolith. No package dependencies: system C libraries come in
// through system library targets, everything else is ours.
let modules = ["Membership", "Groups", "CPD", "Blog", "Moderation", "Messages"]

let package = Package(
    name: "PLN",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pln", targets: ["pln"]),
        .executable(name: "pln-bench-peer", targets: ["pln-bench-peer"]),
    ],
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt", providers: [.apt(["libcrypt-dev"])]),
        .target(name: "Storage", dependencies: ["CSQLite", "CLibPQ"], path: "Sources/Storage"),
        .target(name: "Starlark", path: "Sources/Starlark"),
        .target(name: "HTTP", path: "Sources/HTTP"),
        .target(name: "Markdown", path: "Sources/Markdown"),
        .target(name: "Kernel", dependencies: ["Storage", "HTTP", "Markdown"], path: "Sources/Kernel"),
        .target(name: "Configuration", dependencies: ["Kernel", "Starlark"], path: "Sources/Configuration"),
        .target(
            name: "Membership", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "CCrypt"],
            path: "Plugins/Membership"),
        .target(
            name: "Groups", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "Membership"],
            path: "Plugins/Groups"),
        .target(
            name: "CPD", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "Membership"],
            path: "Plugins/CPD"),
        .target(
            name: "Blog", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "Membership"],
            path: "Plugins/Blog"),
        .target(
            name: "Moderation", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "Membership"],
            path: "Plugins/Moderation"),
        .target(
            name: "Messages", dependencies: ["Kernel", "Storage", "HTTP", "Markdown", "Membership", "Groups"],
            path: "Plugins/Messages"),
        .executableTarget(
            name: "pln",
            dependencies: ["Kernel", "HTTP", "Starlark", "Configuration"] + modules.map { .target(name: $0) },
            path: "Sources/pln"),
        // Serves ../shared/bench's four routes on PLN's engine, storage and HTML builder.
        .executableTarget(
            name: "pln-bench-peer", dependencies: ["HTTP", "Storage", "Kernel"],
            path: "Sources/pln-bench-peer"),
        .target(name: "PLNTestSupport", dependencies: ["Kernel", "HTTP", "Storage", "Membership"], path: "Tests/Support"),
        .testTarget(name: "StorageTests", dependencies: ["Storage"], path: "Tests/StorageTests"),
        .testTarget(name: "StarlarkTests", dependencies: ["Starlark"], path: "Tests/StarlarkTests"),
        .testTarget(
            name: "ConfigurationTests",
            dependencies: ["Configuration", "Kernel", "PLNTestSupport"] + modules.map { .target(name: $0) },
            path: "Tests/ConfigurationTests"),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], path: "Tests/HTTPTests"),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"], path: "Tests/MarkdownTests"),
        .testTarget(
            name: "KernelTests",
            dependencies: ["Kernel", "Markdown", "PLNTestSupport"] + modules.map { .target(name: $0) },
            path: "Tests/KernelTests"),
    ]
        + modules.map { module in
            .testTarget(
                name: "\(module)Tests",
                dependencies: (module == "Membership" ? [] : ["Membership"])
                    + (module == "Messages" ? ["Groups", "Moderation"] : []) + [
                    .target(name: module), "Kernel", "HTTP", "Storage", "PLNTestSupport",
                ],
                path: "Tests/\(module)Tests")
        },
    swiftLanguageModes: [.v6]
)
