import Foundation

/// An exclusive hold on a store for one run that writes it (an ingest, a provisioning apply), so
/// that two overlapping runs (a slow night and the next cron start) cannot both resume from the
/// same checkpoint and count lines, or create accounts, twice.
///
/// It is an advisory `flock` on `STORE.lock`, released when the value goes or the process dies.
public final class StoreLock {
    private let descriptor: Int32

    /// Takes the lock of the store at `storePath`: `STORE.lock`, or `STORE.NAME.lock`.
    ///
    /// - Throws: `StoreError` saying `busy` when another run holds it, or when the lock file
    ///   cannot be made.
    public init(
        storePath: String, name: String? = nil, busy: String = "another mailcensus run is using this store"
    ) throws(StoreError) {
        let path = storePath + (name.map { ".\($0)" } ?? "") + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(
                .cannotOpen, location: storePath,
                "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError(
                .busy, location: storePath,
                "\(busy); let it finish (its lock is \(path))")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
