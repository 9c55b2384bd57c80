import Glibc

/// A thread's time slice under Linux's EEVDF scheduler (custom slices since Linux 6.12):
/// `sched_setattr` with `sched_runtime` set, the policy and nice value kept.
///
/// Event loops ask for a short one. A loop wakes for a moment (a response to write, requests to
/// read) while the workers run requests on the same cores; a shorter slice gives it an earlier
/// deadline, so it gets a core sooner and writes the finished responses before they wait out a
/// worker's slice (1.4 ms by default on two cores). `pln serve` asks for 100 µs: on two cores,
/// uncached searches at 64 connections had a p99 0.7–0.9 ms lower in each of seven ABBA blocks,
/// and the cheapest page (~85 µs) lost ~9% of its throughput (BENCHMARKS.md, stop 31). Older
/// kernels accept the call and ignore the slice; where the call is refused (seccomp, not Linux)
/// nothing changes.
///
/// ```swift
/// _ = TimeSlice.requestForCurrentThread(nanoseconds: 100_000)
/// TimeSlice.currentThreadSlice()  // 100_000 where honoured
/// ```
public enum TimeSlice {
    /// `long syscall(long number, ...)`: variadic, so not imported; every argument here is a
    /// register-sized integer or a pointer, which the variadic convention passes the same way.
    typealias Syscall = @convention(c) (Int, Int, UnsafeMutableRawPointer?, Int, Int) -> Int

    static let syscall: Syscall? = dlsym(nil, "syscall").map { unsafeBitCast($0, to: Syscall.self) }

    #if arch(x86_64)
        static let setAttribute = 314
        static let getAttribute = 315
    #elseif arch(arm64)
        static let setAttribute = 274
        static let getAttribute = 275
    #else
        static let setAttribute = -1
        static let getAttribute = -1
    #endif

    /// `struct sched_attr` as of Linux 4.13 (SCHED_ATTR_SIZE_VER1), 56 bytes.
    struct Attributes {
        var size: UInt32 = 56
        var policy: UInt32 = 0
        var flags: UInt64 = 0
        var nice: Int32 = 0
        var priority: UInt32 = 0
        var runtime: UInt64 = 0
        var deadline: UInt64 = 0
        var period: UInt64 = 0
        var utilizationMinimum: UInt32 = 0
        var utilizationMaximum: UInt32 = 0
    }

    private static func attributes() -> Attributes? {
        guard let syscall, getAttribute > 0 else { return nil }
        var attributes = Attributes()
        let result = withUnsafeMutableBytes(of: &attributes) { buffer in
            syscall(getAttribute, 0, buffer.baseAddress, MemoryLayout<Attributes>.size, 0)
        }
        return result == 0 ? attributes : nil
    }

    /// Asks for a slice of `nanoseconds` (the kernel keeps it within 0.1–100 ms) for the calling
    /// thread, keeping its policy and nice value. True when the kernel reports that slice back.
    @discardableResult
    public static func requestForCurrentThread(nanoseconds: UInt64) -> Bool {
        guard let syscall, var attributes = attributes() else { return false }
        // Real-time and deadline threads have no fair slice; leave them be.
        guard attributes.policy == 0 || attributes.policy == 3 else { return false }  // SCHED_OTHER, SCHED_BATCH
        attributes.size = UInt32(MemoryLayout<Attributes>.size)
        attributes.flags = 0
        attributes.runtime = nanoseconds
        let result = withUnsafeMutableBytes(of: &attributes) { buffer in
            syscall(setAttribute, 0, buffer.baseAddress, 0, 0)
        }
        return result == 0 && currentThreadSlice() == nanoseconds
    }

    /// The calling thread's requested slice, or nil when it has none of its own (the kernel's
    /// default) or the scheduler cannot be asked.
    public static func currentThreadSlice() -> UInt64? {
        guard let runtime = attributes()?.runtime, runtime > 0 else { return nil }
        return runtime
    }
}
