import Glibc

/// Linux calls the Glibc module does not export (epoll, eventfd, accept4), resolved once with
/// `dlsym` and called through C function pointers so the C calling convention is respected.
struct SystemCalls: Sendable {
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    typealias Accept4 =
        @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) ->
        Int32

    let epollCreate1: EpollCreate1
    let epollCtl: EpollCtl
    let epollWait: EpollWait
    let eventFD: EventFD
    let accept4: Accept4

    static let shared: SystemCalls? = {
        guard let create = dlsym(nil, "epoll_create1"), let ctl = dlsym(nil, "epoll_ctl"),
            let wait = dlsym(nil, "epoll_wait"), let event = dlsym(nil, "eventfd"),
            let accept = dlsym(nil, "accept4")
        else { return nil }
        return SystemCalls(
            epollCreate1: unsafeBitCast(create, to: EpollCreate1.self),
            epollCtl: unsafeBitCast(ctl, to: EpollCtl.self),
            epollWait: unsafeBitCast(wait, to: EpollWait.self),
            eventFD: unsafeBitCast(event, to: EventFD.self),
            accept4: unsafeBitCast(accept, to: Accept4.self))
    }()

    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollErr: UInt32 = 0x008
    static let epollHup: UInt32 = 0x010
    static let epollCtlAdd: Int32 = 1
    static let epollCtlDel: Int32 = 2
    static let epollCtlMod: Int32 = 3
    static let nonBlocking: Int32 = 0o4000
    static let closeOnExec: Int32 = 0o2000000

    /// `struct epoll_event` is packed on x86_64 (12 bytes) and naturally aligned elsewhere.
    #if arch(x86_64)
        static let epollEventSize = 12
        static let epollDataOffset = 4
    #else
        static let epollEventSize = 16
        static let epollDataOffset = 8
    #endif

    func control(_ epollFD: Int32, _ operation: Int32, _ fd: Int32, events: UInt32) -> Int32 {
        var raw: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &raw) { buffer in
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(
                of: UInt64(UInt32(bitPattern: fd)), toByteOffset: Self.epollDataOffset, as: UInt64.self)
            return epollCtl(epollFD, operation, fd, buffer.baseAddress)
        }
    }
}

/// A buffer of `epoll_event`s read without assuming Swift can lay the packed struct out.
struct EpollEventBuffer {
    let capacity: Int
    let storage: UnsafeMutableRawPointer

    init(capacity: Int) {
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * SystemCalls.epollEventSize, alignment: 8)
    }

    func deallocate() { storage.deallocate() }

    func events(at index: Int) -> UInt32 {
        storage.loadUnaligned(fromByteOffset: index * SystemCalls.epollEventSize, as: UInt32.self)
    }

    func fd(at index: Int) -> Int32 {
        let data = storage.loadUnaligned(
            fromByteOffset: index * SystemCalls.epollEventSize + SystemCalls.epollDataOffset, as: UInt64.self)
        return Int32(truncatingIfNeeded: data)
    }
}
