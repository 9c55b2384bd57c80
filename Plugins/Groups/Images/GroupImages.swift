import Foundation
import Kernel
import Membership
import Storage

/// The group's picture: an optional PNG, JPEG, GIF or WebP of at most 2 MB, stored in
/// groups_image and served at /groups/<slug>/image.
extension GroupsService {
    /// Checks an image upload: PNG, JPEG, GIF or WebP (from its bytes), 2 MB at most.
    public static func validateImage(_ bytes: [UInt8]) throws -> String {
        guard bytes.count <= maximumImageBytes else {
            throw DomainError.invalid([
                FieldError(field: "image", message: "The image is larger than 2 MB. Choose a smaller one.")
            ])
        }
        guard let type = MembershipService.imageType(of: bytes) else {
            throw DomainError.invalid([
                FieldError(field: "image", message: "Use a PNG, JPEG, GIF or WebP image.")
            ])
        }
        return type
    }

    public func setImage(groupID: Int64, bytes: [UInt8], by actor: SignedInMember) throws {
        let type = try Self.validateImage(bytes)
        let now = self.now
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            try db.execute(
                """
                INSERT INTO groups_image (group_id, content_type, bytes, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (group_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
                    updated_at = excluded.updated_at
                """, [groupID, type, bytes, now])
        }
    }

    public func removeImage(groupID: Int64, by actor: SignedInMember) throws {
        try database.write { db in
            guard let group = try group(id: groupID, in: db) else { throw DomainError.notFound }
            try requireChair(group, actor, in: db)
            try db.execute("DELETE FROM groups_image WHERE group_id = ?", [groupID])
        }
    }

    public func image(groupID: Int64) throws -> (type: String, bytes: [UInt8])? {
        try database.read { db in
            try db.queryOne("SELECT content_type, bytes FROM groups_image WHERE group_id = ?", [groupID]) {
                (try $0.value("content_type") as String, try $0.value("bytes") as [UInt8])
            }
        }
    }

}
