// swift-tools-version:6.1

import PackageDescription

let package = Package(
    name: "mailcensus",
    products: [
        .executable(name: "mailcensus", targets: ["mailcensus"]),
        .library(name: "Basics", targets: ["Basics"]),
        .library(name: "MailLog", targets: ["MailLog"]),
        .library(name: "Census", targets: ["Census"]),
        .library(name: "CensusStore", targets: ["CensusStore"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Curl", targets: ["Curl"]),
        .library(name: "Provisioning", targets: ["Provisioning"]),
        .library(name: "Relay", targets: ["Relay"]),
        .library(name: "Jobs", targets: ["Jobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "Basics"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's `mallopt` (`Ingestor.keepFreedMemory`).
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "MailLog",
            dependencies: [
                "Basics",
                "CMalloc",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Curl",
            dependencies: [
                "Basics",
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .systemLibrary(
            name: "CLibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Census",
            dependencies: ["Basics", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "CensusStore",
            dependencies: [
                "Basics",
                "MailLog",
                "Census",
                "Provisioning",
                "Relay",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CLibpq",
            ]
        ),
        .target(
            name: "Provisioning",
            dependencies: ["Basics", "Census", "Curl"]
        ),
        .target(
            name: "Reports",
            dependencies: ["Basics", "Census"]
        ),
        .target(
            name: "Relay",
            dependencies: ["Basics", "Census", "Reports", "Curl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Jobs",
            dependencies: [
                "Basics", "MailLog", "Census", "CensusStore", "Reports", "Curl", "Provisioning", "Relay",
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["MailLog", "Census"]
        ),
        .executableTarget(
            name: "mailcensus",
            dependencies: [
                "Basics",
                "MailLog",
                "Census",
                "CensusStore",
                "Reports",
                "Jobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BasicsTests",
            dependencies: ["Basics"]
        ),
        .testTarget(
            name: "MailLogTests",
            dependencies: ["Basics", "MailLog", "TestSupport", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CurlTests",
            dependencies: [
                "Curl",
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ProvisioningTests",
            dependencies: ["Basics", "Provisioning", "Census", "Curl", "TestSupport"]
        ),
        .testTarget(
            name: "CensusTests",
            dependencies: ["Basics", "Census", "MailLog", "TestSupport"]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Basics", "Reports", "Census", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CensusStoreTests",
            dependencies: ["Basics", "CensusStore", "MailLog", "TestSupport", "Census", "Relay", "Provisioning"]
        ),
        .testTarget(
            name: "RelayTests",
            dependencies: ["Basics", "Relay", "Curl", "Census", "Reports", "TestSupport"]
        ),
        .testTarget(
            name: "JobsTests",
            dependencies: [
                "Basics", "Jobs", "MailLog", "Census", "CensusStore", "Reports", "Provisioning", "Relay", "TestSupport",
            ]
        ),
        .testTarget(
            name: "mailcensusTests",
            dependencies: [
                "Basics", "mailcensus", "MailLog", "TestSupport", "Census", "CensusStore", "Reports", "Curl",
                "Provisioning",
                "Relay",
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
