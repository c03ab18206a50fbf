import GRDB

/// The tables, one migration per schema version. A new version appends a migration; none is ever edited.
enum SQLiteSchema {
    static let version = StoreSchema.currentVersion

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in StoreSchema.version1 { try db.execute(sql: statement) }
        }
        return migrator
    }
}
