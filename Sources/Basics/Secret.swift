public import Foundation

/// A secret (an admin API token, an SMTP password), read from the environment or from a file
/// only its owner can read: never from a command-line argument, never printed.
public struct Secret: Sendable, CustomStringConvertible {
    /// The secret itself; do not log it.
    public let value: String

    /// `[hidden]`: a secret interpolated by mistake shows nothing.
    public var description: String { "[hidden]" }

    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The value of the environment variable `variable`, or else the content of `file`.
    ///
    /// - Throws: `Unavailable` when neither gives one, or when the file can be read by its
    ///   group or by others (say `chmod 600`), or is not the caller's.
    public static func load(
        variable: String, file: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Unavailable) -> Secret {
        if let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return Secret(value: value)
        }
        guard let file else {
            throw Unavailable(message: "no secret: set \(variable), or name a file readable only by you")
        }
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw Unavailable(message: "\(file): cannot read the secret file (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Unavailable(message: "\(file): the secret file is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw Unavailable(
                message: "\(file): the secret file can be read by others (mode \(mode)); run `chmod 600 \(file)`")
        }
        guard info.st_uid == getuid() else {
            throw Unavailable(message: "\(file): the secret file belongs to another user")
        }
        guard let data = FileManager.default.contents(atPath: file),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else {
            throw Unavailable(message: "\(file): the secret file is empty or not text")
        }
        return Secret(value: text)
    }
}

extension Secret.Unavailable: CommandFailure {
    /// A secret the user must set or protect.
    public var isBadInput: Bool { true }
}
