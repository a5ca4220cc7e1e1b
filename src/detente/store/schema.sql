-- detente event store schema (DuckDB). The contract between the store, the importers and the analysis.
-- Columns of `events` are the coder's record (detente.record.EVENT_FIELDS) plus dataset, original_id,
-- num_sources and batch_id. Codes are strings (CAMEO "042" keeps its leading zero).

CREATE SEQUENCE IF NOT EXISTS batch_ids START 1;

-- Where a batch of rows came from: a file, a URL, a dataset download.
CREATE TABLE IF NOT EXISTS sources (
    batch_id      BIGINT PRIMARY KEY,
    kind          VARCHAR NOT NULL,      -- ingest | gdelt1 | gdelt2 | gdelt2-mentions | icews | polecat | dyad-series
    location      VARCHAR NOT NULL,      -- path or URL
    dataset       VARCHAR NOT NULL,      -- detente | gdelt1 | gdelt2 | icews | polecat | <series name>
    version       VARCHAR,
    content_hash  VARCHAR,               -- of the file, so a re-import is recognised
    imported_at   TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL,      -- running | done | failed
    rows_read     BIGINT,
    rows_stored   BIGINT,
    rows_rejected BIGINT,
    finished_at   TIMESTAMP,
    message       VARCHAR                -- why a batch failed, or what was skipped
);

-- News reports detente coded itself.
CREATE TABLE IF NOT EXISTS documents (
    doc_id     VARCHAR PRIMARY KEY,
    text_hash  VARCHAR NOT NULL,
    title      VARCHAR,
    url        VARCHAR,
    published  DATE,
    origin     VARCHAR,
    batch_id   BIGINT,
    text       VARCHAR,
    outlet     VARCHAR                   -- publisher (URL host, else origin): what "distinct sources" counts
);

-- One row per real-world event (after dedup across reports).
CREATE TABLE IF NOT EXISTS events (
    event_id        VARCHAR NOT NULL,
    dataset         VARCHAR NOT NULL,
    original_id     VARCHAR,
    doc_id          VARCHAR,
    date            DATE,
    date_precision  VARCHAR,
    date_basis      VARCHAR,
    source_country  VARCHAR,
    source_sector   VARCHAR,
    source_text     VARCHAR,
    target_country  VARCHAR,
    target_sector   VARCHAR,
    target_text     VARCHAR,
    cameo           VARCHAR,
    cameo_root      VARCHAR,
    cameo_label     VARCHAR,
    plover          VARCHAR,
    goldstein       DOUBLE,
    quad_class      TINYINT,
    modality        VARCHAR,
    sentence        VARCHAR,
    char_start      INTEGER,
    char_end        INTEGER,
    rule            VARCHAR,
    confidence      DOUBLE,
    mentions        INTEGER,
    num_sources     INTEGER,
    batch_id        BIGINT,
    -- Beside the coder's record, for imported datasets (NULL for events detente coded):
    source_code     VARCHAR,             -- the dataset's raw actor code or name (GDELT IRNGOV, ICEWS name)
    target_code     VARCHAR,
    reported        DATE,                -- when the report was added (GDELT DATEADDED); events bucket by `date`
    num_articles    INTEGER,
    avg_tone        DOUBLE,
    source_url      VARCHAR
);

-- Which report told which event, with that report's sentence.
CREATE TABLE IF NOT EXISTS mentions (
    event_id    VARCHAR NOT NULL,
    doc_id      VARCHAR NOT NULL,
    sentence    VARCHAR,
    char_start  INTEGER,
    char_end    INTEGER,
    date        DATE,
    batch_id    BIGINT,
    outlet      VARCHAR,               -- imported mentions (GDELT 2.0): MentionSourceName
    sentence_no INTEGER,               -- imported mentions: SentenceID
    confidence  DOUBLE
);

-- Pre-aggregated undirected dyad-day values from outside (e.g. a GDELT-derived daily country network).
CREATE TABLE IF NOT EXISTS dyad_days (
    dataset    VARCHAR NOT NULL,
    date       DATE NOT NULL,
    country_a  VARCHAR NOT NULL,   -- country_a <= country_b
    country_b  VARCHAR NOT NULL,
    weight     DOUBLE NOT NULL,
    batch_id   BIGINT
);

-- Rows an importer could not read: which file, which line, why. The rest of the file imports.
CREATE TABLE IF NOT EXISTS rejects (
    batch_id   BIGINT NOT NULL,
    location   VARCHAR NOT NULL,
    line       BIGINT,
    reason     VARCHAR NOT NULL,
    raw        VARCHAR
);

-- Daily per directed dyad and quad class: what dyad time series read instead of scanning `events`.
-- Maintained by the store on every write (additive: one row per batch and key, summed when read);
-- `Store.optimize()` merges and re-sorts it by dyad so a dyad query touches few row groups.
CREATE TABLE IF NOT EXISTS event_days (
    dataset         VARCHAR NOT NULL,
    source_country  VARCHAR NOT NULL,
    target_country  VARCHAR NOT NULL,
    date            DATE NOT NULL,
    quad_class      TINYINT NOT NULL,
    events          BIGINT NOT NULL,
    mentions        BIGINT NOT NULL,
    goldstein_sum   DOUBLE NOT NULL,
    batch_id        BIGINT
);

-- Small facts about the store's layout, e.g. how many `events` rows `Store.optimize()` last sorted by dyad.
CREATE TABLE IF NOT EXISTS store_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);
