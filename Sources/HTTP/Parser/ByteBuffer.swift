import Glibc

/// A growable byte buffer with a reader and a writer index, owned by one connection.
///
/// A class over raw memory rather than `[UInt8]` so the socket can `read(2)` straight into the
/// free tail without zero-filling it first.
final class ByteBuffer {
    private(set) var storage: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var readerIndex = 0
    var writerIndex = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    var readableCount: Int { writerIndex - readerIndex }
    var writableCount: Int { capacity - writerIndex }
    var readablePointer: UnsafeMutablePointer<UInt8> { storage + readerIndex }
    var writablePointer: UnsafeMutablePointer<UInt8> { storage + writerIndex }

    var readableBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + readerIndex, count: writerIndex - readerIndex)
    }

    func moveReader(by count: Int) {
        readerIndex += count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Makes room for at least `count` more bytes, compacting before growing.
    func reserveWritable(_ count: Int) {
        if writableCount >= count { return }
        if readerIndex > 0 {
            let readable = readableCount
            if readable > 0 { memmove(storage, storage + readerIndex, readable) }
            readerIndex = 0
            writerIndex = readable
            if writableCount >= count { return }
        }
        var newCapacity = capacity * 2
        while newCapacity - writerIndex < count { newCapacity *= 2 }
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.update(from: storage, count: writerIndex)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Gives back memory after a large request so idle keep-alive connections stay small.
    func shrinkIfIdle(to target: Int) {
        guard readableCount == 0, capacity > target * 4 else { return }
        storage.deallocate()
        capacity = target
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: target)
        readerIndex = 0
        writerIndex = 0
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, let base = bytes.baseAddress else { return }
        reserveWritable(bytes.count)
        UnsafeMutableRawPointer(storage + writerIndex).copyMemory(from: base, byteCount: bytes.count)
        writerIndex += bytes.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }
}
