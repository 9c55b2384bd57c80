import Foundation
import Storage

/// The search index's PostgreSQL form: the same `search_documents`, `search_readers`,
/// `search_facets` and `search_reindex` as on SQLite, with the text in `search_text` as a
/// weighted `tsvector` (titles A, keywords B, bodies D; the `english` configuration stems like
/// FTS5's Porter tokenizer) under a GIN index, and names in `search_names`.
public enum PostgresSearchSchema {
    /// The PostgreSQL form of migration `kernel/008_search`.
    public static let migration = """
        CREATE TABLE search_documents (
            id BIGSERIAL PRIMARY KEY,
            module TEXT NOT NULL,
            kind TEXT NOT NULL,
            item_id BIGINT NOT NULL,
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            author_id BIGINT,
            audience TEXT NOT NULL,
            group_id BIGINT,
            group_slug TEXT,
            state TEXT NOT NULL,
            container TEXT,
            sort_date DOUBLE PRECISION NOT NULL,
            UNIQUE (kind, item_id)
        );
        CREATE INDEX search_documents_container ON search_documents (container) WHERE container IS NOT NULL;
        CREATE INDEX search_documents_author ON search_documents (author_id) WHERE author_id IS NOT NULL;
        CREATE INDEX search_documents_module ON search_documents (module);
        CREATE INDEX search_documents_directory ON search_documents (kind, title COLLATE nocase, item_id);
        CREATE TABLE search_readers (
            document_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
            member_id BIGINT NOT NULL,
            PRIMARY KEY (document_id, member_id)
        );
        CREATE TABLE search_facets (
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            document_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
            PRIMARY KEY (name, value, document_id)
        );
        CREATE INDEX search_facets_document ON search_facets (document_id);
        CREATE INDEX search_facets_folded ON search_facets (name, lower(value));
        CREATE TABLE search_text (
            rowid BIGINT PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            keywords TEXT NOT NULL,
            body TEXT NOT NULL,
            document tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', keywords), 'B')
                || setweight(to_tsvector('english', body), 'D')) STORED
        );
        CREATE INDEX search_text_document ON search_text USING GIN (document);
        CREATE TABLE search_names (
            rowid BIGINT PRIMARY KEY REFERENCES search_documents (id) ON DELETE CASCADE,
            name TEXT NOT NULL
        );
        CREATE TABLE search_reindex (kind TEXT PRIMARY KEY, last_id BIGINT NOT NULL);
        """
}
