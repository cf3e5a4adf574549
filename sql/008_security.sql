-- resilops 008: the security module (CONTRACT 6): API keys, the
-- tokenization vault and security scans.  Audit logs are the one audit
-- trail of 001 (audit_log), read through /api/v1/security/audit-logs.

-- API keys act as the account that made them, narrowed to their
-- permissions.  A key is "rk_" + 32 base62 characters, shown once;
-- stored is HMAC-SHA256 of it under a server secret (binary, compared
-- whole) and a short prefix for people to recognise it by.  After a
-- reroll the previous hash keeps working until prev_until.  The hourly
-- rate limit is a fixed window counted in the row itself: one UPDATE
-- per request decides and counts.
CREATE TABLE api_keys (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_id		VARCHAR(40) NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	key_name	VARCHAR(100) NOT NULL,
	prefix		VARCHAR(16) NOT NULL,
	key_hash	BINARY(32) NOT NULL,
	prev_hash	BINARY(32) NULL,
	prev_until	DATETIME NULL,
	permissions	VARCHAR(128) NOT NULL,
	rate_limit	INT UNSIGNED NOT NULL,
	is_active	TINYINT(1) NOT NULL DEFAULT 1,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	expires_at	DATETIME NULL,
	revoked_at	DATETIME NULL,
	last_used_at	DATETIME NULL,
	last_used_ip	VARCHAR(64) NULL,
	window_start	DATETIME NULL,
	window_count	INT UNSIGNED NOT NULL DEFAULT 0,
	UNIQUE KEY uq_api_keys_key_id (key_id),
	UNIQUE KEY uq_api_keys_hash (key_hash),
	UNIQUE KEY uq_api_keys_prev (prev_hash),
	KEY ix_api_keys_user (user_id),
	CONSTRAINT fk_api_keys_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The tokenization vault: a token ("tok_" + 32 base62) stands for a
-- sealed value.  Stored is the HMAC of the token, not the token; the
-- value is sealed under the key ring with "vault:<id>:<data_type>" as
-- additional data (util/keyring), so it opens only in its own row and
-- as its own type.
CREATE TABLE vault_tokens (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash	BINARY(32) NOT NULL,
	data_type	VARCHAR(32) NOT NULL,
	sealed		MEDIUMTEXT NOT NULL,
	key_version	INT UNSIGNED NOT NULL,
	preview		VARCHAR(8) NULL,
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	expires_at	DATETIME NULL,
	UNIQUE KEY uq_vault_token (token_hash),
	KEY ix_vault_version (key_version, id),
	KEY ix_vault_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE security_scans (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	scan_id		VARCHAR(40) NOT NULL,
	scan_type	VARCHAR(16) NOT NULL,
	target_id	VARCHAR(64) NOT NULL,
	security_score	TINYINT UNSIGNED NOT NULL,
	result		MEDIUMTEXT NOT NULL,	-- JSON: vulnerabilities, recommendations, checks
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME NOT NULL,
	UNIQUE KEY uq_scans_scan_id (scan_id),
	KEY ix_scans_created (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The security audit log's filters.
ALTER TABLE audit_log ADD KEY ix_audit_entity_time (entity, created_at);
